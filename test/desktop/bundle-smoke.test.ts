// Boots the built main-process bundle (dist/main/index.cjs) in plain Node with `electron` stubbed
// (stub-electron.mjs): the real core, electron-store and everything esbuild put into the bundle
// run as in the app. Proves the bundle starts the server, serves the dashboard the window loads,
// builds the tray from existing icons, and stops cleanly on Quit. Needs `npm run build` first.
import { existsSync, readFileSync } from 'node:fs';
import Module from 'node:module';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAIN_BUNDLE, StubApp } from './stub-app.js';

const root = path.resolve(import.meta.dirname, '..', '..');

describe('the built main bundle with a stub electron', () => {
  let app: StubApp;

  beforeAll(() => {
    app = new StubApp();
  });

  afterAll(() => app.dispose());

  it('starts the proxy and opens the window on the dashboard it serves (accounts view on a first run)', async () => {
    const load = await app.next((r) => r.event === 'loadURL');
    expect(load.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#\/accounts$/);
    const page = await fetch(String(load.url).replace('#/accounts', ''));
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="app">');
    const health = await fetch(new URL('/health', String(load.url)));
    expect(await health.json()).toMatchObject({ status: 'ok' });
  });

  it('creates a sandboxed window and a tray whose icon file exists', async () => {
    const win = await app.next((r) => r.event === 'window');
    expect(win.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false });
    expect(existsSync(String((win.webPreferences as { preload: string }).preload))).toBe(true);
    const tray = await app.next((r) => r.event === 'tray');
    expect(tray.iconExists).toBe(true);
    const menu = await app.next(
      (r) => r.event === 'menu' && (r.labels as string[]).some((l) => l.startsWith('Proxy running on')),
    );
    expect(menu.labels).toEqual(
      expect.arrayContaining([
        'Open Dashboard',
        'Run diagnostics',
        'Configure Claude Code',
        'Launch at login',
        'Quit Codex Claude Proxy',
      ]),
    );
  });

  it('`npm run app` (electron dist/dev-app) reaches the same bundle, the way Electron resolves an app folder', () => {
    // Electron's default app resolves the folder it is given with Node's resolver (its package.json "main").
    const resolve = Module as unknown as { _resolveFilename(request: string, parent: null, isMain: boolean): string };
    expect(resolve._resolveFilename(path.join(root, 'dist', 'dev-app'), null, true)).toBe(MAIN_BUNDLE);
    expect(JSON.parse(readFileSync(path.join(root, 'dist', 'dev-app', 'package.json'), 'utf8'))).toMatchObject({
      productName: 'Codex Claude Proxy',
    });
  });

  it('stops the server and exits cleanly on Quit', async () => {
    const load = await app.next((r) => r.event === 'loadURL');
    app.quit();
    expect(await app.exit).toBe(0);
    expect(app.reports.map((r) => r.event)).toEqual(expect.arrayContaining(['tray-destroyed', 'quit']));
    await expect(fetch(new URL('/health', String(load.url)))).rejects.toThrow();
    expect(app.stderr).not.toMatch(/TypeError|ReferenceError|start-up failed|shutdown failed/);
  });
});
