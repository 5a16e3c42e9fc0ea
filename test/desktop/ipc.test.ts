import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { IPC_CHANNELS, IPC_METHODS, MAX_EXTERNAL_URL_LENGTH } from '../../shared/ipc.js';
import { app, handlers, ipcMain, resetFakes, shell, type FakeInvokeEvent } from './electron-fake.js';

vi.mock('electron', async () => (await import('./electron-fake.js')).electronModule());

const { registerIpcHandlers, removeIpcHandlers, IpcRefused } = await import('../../main/desktop/ipc.js');

const ORIGIN = 'http://127.0.0.1:8081';
const fromDashboard: FakeInvokeEvent = { senderFrame: { url: `${ORIGIN}/#/accounts`, parent: null } };
const appData = mkdtempSync(path.join(os.tmpdir(), 'ccp-ipc-'));

function invoke(method: keyof typeof IPC_CHANNELS, event: FakeInvokeEvent, ...args: unknown[]): Promise<unknown> {
  const handler = handlers.get(IPC_CHANNELS[method]);
  if (!handler) throw new Error(`no handler for ${method}`);
  return Promise.resolve().then(() => handler(event, ...args));
}

/** Runs `fn` as if on another OS (login items differ per platform). */
async function onPlatform<T>(platform: NodeJS.Platform, fn: () => Promise<T>): Promise<T> {
  const original = Object.getOwnPropertyDescriptor(process, 'platform') as PropertyDescriptor;
  Object.defineProperty(process, 'platform', { value: platform });
  try {
    return await fn();
  } finally {
    Object.defineProperty(process, 'platform', original);
  }
}

let origin: string | null = ORIGIN;

beforeEach(() => {
  resetFakes();
  app.getPath.mockImplementation(() => appData);
  origin = ORIGIN;
  registerIpcHandlers(() => origin);
});

afterAll(() => rmSync(appData, { recursive: true, force: true }));

describe('IPC contract', () => {
  it('registers exactly one handler per channel of shared/ipc.ts', () => {
    expect([...handlers.keys()].sort()).toEqual(Object.values(IPC_CHANNELS).sort());
    expect(IPC_METHODS).toHaveLength(Object.keys(IPC_CHANNELS).length);
    expect(new Set(Object.values(IPC_CHANNELS)).size).toBe(IPC_METHODS.length);
  });

  it('removes every handler again', () => {
    removeIpcHandlers();
    expect(handlers.size).toBe(0);
    expect(ipcMain.removeHandler).toHaveBeenCalledTimes(IPC_METHODS.length);
  });

  it('answers the dashboard page', async () => {
    await expect(invoke('appInfo', fromDashboard)).resolves.toMatchObject({ name: 'Codex Claude Proxy', version: '0.1.0', platform: process.platform });
    await expect(invoke('getLaunchAtLogin', fromDashboard)).resolves.toBe(false);
  });
});

describe('sender check', () => {
  const refused: Array<[string, FakeInvokeEvent]> = [
    ['another site', { senderFrame: { url: 'https://evil.example/', parent: null } }],
    ['another port on loopback', { senderFrame: { url: 'http://127.0.0.1:9999/', parent: null } }],
    ['localhost instead of 127.0.0.1', { senderFrame: { url: 'http://localhost:8081/', parent: null } }],
    ['a file:// page', { senderFrame: { url: 'file:///app/dist/renderer/index.html', parent: null } }],
    ['a frame inside our page', { senderFrame: { url: `${ORIGIN}/`, parent: {} } }],
    ['a destroyed frame', { senderFrame: null }],
  ];

  for (const [name, event] of refused) {
    it(`refuses ${name} before acting`, async () => {
      for (const method of IPC_METHODS) {
        await expect(invoke(method, event, 'https://example.com/')).rejects.toBeInstanceOf(IpcRefused);
      }
      expect(shell.openExternal).not.toHaveBeenCalled();
      expect(app.setLoginItemSettings).not.toHaveBeenCalled();
    });
  }

  it('refuses everyone while the proxy is not serving the dashboard', async () => {
    origin = null;
    await expect(invoke('appInfo', fromDashboard)).rejects.toBeInstanceOf(IpcRefused);
  });
});

describe('openExternal input', () => {
  const bad: unknown[] = [
    'javascript:alert(1)',
    'file:///etc/passwd',
    'smb://server/share',
    'vscode://extension/run',
    'not a url',
    '',
    42,
    null,
    { href: 'https://example.com' },
    'https://user:secret@example.com/',
    `https://example.com/${'a'.repeat(MAX_EXTERNAL_URL_LENGTH)}`,
  ];

  for (const url of bad) {
    it(`refuses ${JSON.stringify(url)?.slice(0, 40)} before shell.openExternal runs`, async () => {
      await expect(invoke('openExternal', fromDashboard, url)).rejects.toThrow(TypeError);
      expect(shell.openExternal).not.toHaveBeenCalled();
    });
  }

  it('refuses extra arguments', async () => {
    await expect(invoke('openExternal', fromDashboard, 'https://example.com/', 'extra')).rejects.toThrow(/takes 1 argument/);
    expect(shell.openExternal).not.toHaveBeenCalled();
  });

  it('opens an https URL in the system browser, normalised', async () => {
    await invoke('openExternal', fromDashboard, 'https://auth.openai.com/oauth/authorize?state=x y');
    expect(shell.openExternal).toHaveBeenCalledWith('https://auth.openai.com/oauth/authorize?state=x%20y');
  });
});

describe('launch at login input', () => {
  for (const value of ['yes', 1, null, undefined, {}]) {
    it(`refuses ${JSON.stringify(value) ?? 'undefined'} before touching login items`, async () => {
      await onPlatform('darwin', async () => {
        await expect(invoke('setLaunchAtLogin', fromDashboard, value)).rejects.toThrow(TypeError);
      });
      expect(app.setLoginItemSettings).not.toHaveBeenCalled();
    });
  }

  it('sets the OS login item on macOS and Windows, with the --hidden flag', async () => {
    app.getLoginItemSettings.mockImplementation(() => ({ openAtLogin: true, wasOpenedAtLogin: false }));
    await onPlatform('win32', async () => {
      await expect(invoke('setLaunchAtLogin', fromDashboard, true)).resolves.toBe(true);
    });
    expect(app.setLoginItemSettings).toHaveBeenCalledWith(expect.objectContaining({ openAtLogin: true, args: ['--hidden'] }));
    app.getLoginItemSettings.mockImplementation(() => ({ openAtLogin: false, wasOpenedAtLogin: false }));
  });

  it('writes and removes an XDG autostart entry on Linux', async () => {
    await onPlatform('linux', async () => {
      await expect(invoke('setLaunchAtLogin', fromDashboard, true)).resolves.toBe(true);
      expect(readdirSync(path.join(appData, 'autostart'))).toEqual(['codex-claude-proxy.desktop']);
      await expect(invoke('getLaunchAtLogin', fromDashboard)).resolves.toBe(true);
      await expect(invoke('setLaunchAtLogin', fromDashboard, false)).resolves.toBe(false);
    });
    expect(readdirSync(path.join(appData, 'autostart'))).toEqual([]);
    expect(app.setLoginItemSettings).not.toHaveBeenCalled();
  });
});
