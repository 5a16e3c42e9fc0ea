// Boots the built main-process bundle (dist/main/index.cjs) in plain Node with `electron` stubbed
// (stub-electron.mjs): the real core, electron-store and everything esbuild put into the bundle
// run as in the app. Proves the bundle starts the server, serves the dashboard the window loads,
// builds the tray from existing icons, and stops cleanly on Quit. Needs `npm run build` first.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..', '..');
const bundle = path.join(root, 'dist', 'main', 'index.cjs');

interface Report {
  event: string;
  [key: string]: unknown;
}

describe('the built main bundle with a stub electron', () => {
  const work = mkdtempSync(path.join(os.tmpdir(), 'ccp-bundle-'));
  const reports: Report[] = [];
  const waiters: Array<{ match: (r: Report) => boolean; resolve: (r: Report) => void }> = [];
  let child: ChildProcess;
  let exit: Promise<number | null>;
  let stderr = '';

  function next(match: (r: Report) => boolean): Promise<Report> {
    const seen = reports.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve) => waiters.push({ match, resolve }));
  }

  beforeAll(() => {
    if (!existsSync(bundle)) throw new Error('Build first (npm run build): dist/main/index.cjs is missing');
    const home = path.join(work, 'home');
    child = spawn(process.execPath, ['--import', pathToFileURL(path.join(import.meta.dirname, 'stub-electron.mjs')).href, bundle], {
      cwd: work,
      env: {
        PATH: process.env.PATH,
        HOME: home,
        CODEX_CLAUDE_PROXY_HOME: path.join(home, 'data'),
        CODEX_CLAUDE_PROXY_SECRETS: 'file',
        CLAUDE_CONFIG_DIR: path.join(home, '.claude'),
        CODEX_HOME: path.join(home, '.codex'),
        PORT: '0',
        // Nothing may leave this machine.
        CHATGPT_BACKEND_URL: 'http://127.0.0.1:9/backend-api',
        OPENAI_AUTH_URL: 'http://127.0.0.1:9',
        STUB_APP_PATH: root,
        STUB_USER_DATA: path.join(work, 'user-data'),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      let report: Report;
      try {
        report = JSON.parse(line) as Report;
      } catch {
        return; // a log line from the app, not a stub report
      }
      reports.push(report);
      for (const waiter of waiters.filter((w) => w.match(report))) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(report);
      }
    });
    exit = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
  });

  afterAll(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(work, { recursive: true, force: true });
  });

  it('starts the proxy and opens the window on the dashboard it serves (accounts view on a first run)', async () => {
    const load = await next((r) => r.event === 'loadURL');
    expect(load.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#\/accounts$/);
    const page = await fetch(String(load.url).replace('#/accounts', ''));
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="app">');
    const health = await fetch(new URL('/health', String(load.url)));
    expect(await health.json()).toMatchObject({ status: 'ok' });
  });

  it('creates a sandboxed window and a tray whose icon file exists', async () => {
    const win = await next((r) => r.event === 'window');
    expect(win.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false });
    expect(existsSync(String((win.webPreferences as { preload: string }).preload))).toBe(true);
    const tray = await next((r) => r.event === 'tray');
    expect(tray.iconExists).toBe(true);
    const menu = await next((r) => r.event === 'menu' && (r.labels as string[]).some((l) => l.startsWith('Proxy running on')));
    expect(menu.labels).toEqual(expect.arrayContaining(['Open Dashboard', 'Configure Claude Code', 'Launch at login', 'Quit Codex Claude Proxy']));
  });

  it('stops the server and exits cleanly on Quit', async () => {
    const load = await next((r) => r.event === 'loadURL');
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
    expect(reports.map((r) => r.event)).toEqual(expect.arrayContaining(['tray-destroyed', 'quit']));
    await expect(fetch(new URL('/health', String(load.url)))).rejects.toThrow();
    expect(stderr).not.toMatch(/TypeError|ReferenceError|start-up failed|shutdown failed/);
  });
});
