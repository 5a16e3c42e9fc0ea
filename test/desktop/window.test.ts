import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { WindowBounds } from '../../main/desktop/prefs.js';
import { BrowserWindow, resetFakes } from './electron-fake.js';

vi.mock('electron', async () => (await import('./electron-fake.js')).electronModule());
vi.mock('electron-store', () => ({ default: class {} }));

const { DashboardWindow } = await import('../../main/desktop/window.js');
const { DEFAULT_BOUNDS, restoreBounds } = await import('../../main/desktop/prefs.js');

function memoryPrefs(initial?: WindowBounds) {
  let saved = initial;
  return {
    windowBounds: () => saved,
    saveWindowBounds: vi.fn((b: WindowBounds) => void (saved = b)),
  };
}

let origin: string | null;
let quitting: boolean;

function dashboard(prefs = memoryPrefs()) {
  return new DashboardWindow({ preload: '/app/dist/preload/index.cjs', prefs, origin: () => origin, quitting: () => quitting });
}

beforeEach(() => {
  resetFakes();
  origin = 'http://127.0.0.1:8081';
  quitting = false;
});

describe('DashboardWindow', () => {
  it('creates one sandboxed window loading the dashboard from our server', () => {
    const win = dashboard();
    expect(win.show('accounts')).toBe(true);
    expect(BrowserWindow.instances).toHaveLength(1);
    const [created] = BrowserWindow.instances;
    expect(created.options.webPreferences).toMatchObject({
      preload: '/app/dist/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
    });
    expect(created.loadURL).toHaveBeenCalledWith('http://127.0.0.1:8081/#/accounts');
    expect(created.show).toHaveBeenCalled();
    expect(created.focus).toHaveBeenCalled();
    win.show('logs');
    expect(BrowserWindow.instances).toHaveLength(1);
    expect(created.loadURL).toHaveBeenLastCalledWith('http://127.0.0.1:8081/#/logs');
  });

  it('does not reload a page that is already ours when no view is asked for', () => {
    const win = dashboard();
    win.show();
    win.show();
    expect(BrowserWindow.instances[0].loadURL).toHaveBeenCalledTimes(1);
  });

  it('opens nothing while the proxy is not serving', () => {
    origin = null;
    expect(dashboard().show()).toBe(false);
    expect(BrowserWindow.instances).toHaveLength(0);
  });

  it('hides to the tray on close and saves its bounds; really closes when quitting', () => {
    const prefs = memoryPrefs();
    const win = dashboard(prefs);
    win.show();
    const [created] = BrowserWindow.instances;
    expect(created.userClose()).toBe(true);
    expect(created.hide).toHaveBeenCalled();
    expect(prefs.saveWindowBounds).toHaveBeenCalledWith({ x: 10, y: 20, width: 900, height: 700, maximized: false });
    quitting = true;
    expect(created.userClose()).toBe(false);
  });

  it('reopens with the saved size and position', () => {
    dashboard(memoryPrefs({ x: 100, y: 50, width: 1000, height: 800, maximized: true })).show();
    const [created] = BrowserWindow.instances;
    expect(created.options).toMatchObject({ x: 100, y: 50, width: 1000, height: 800 });
    expect(created.maximize).toHaveBeenCalled();
  });

  it('follows the server to a new port', () => {
    const win = dashboard();
    win.show();
    origin = 'http://127.0.0.1:53124';
    win.reload();
    expect(BrowserWindow.instances[0].loadURL).toHaveBeenLastCalledWith('http://127.0.0.1:53124/#/overview');
  });
});

describe('restoreBounds', () => {
  const screen = [{ x: 0, y: 0, width: 1920, height: 1080 }];

  it('uses defaults when nothing was saved', () => {
    expect(restoreBounds(undefined, screen)).toEqual(DEFAULT_BOUNDS);
  });

  it('keeps a position that is on a display', () => {
    expect(restoreBounds({ x: 1800, y: 1000, width: 800, height: 600 }, screen)).toEqual({ x: 1800, y: 1000, width: 800, height: 600, maximized: false });
  });

  it('drops a position on a display that is gone, keeping the size', () => {
    expect(restoreBounds({ x: 3000, y: 0, width: 800, height: 600, maximized: true }, screen)).toEqual({ width: 800, height: 600, maximized: true });
  });

  it('never restores a window too small to use', () => {
    expect(restoreBounds({ width: 10, height: 10 }, screen)).toEqual({ width: 640, height: 480, maximized: false });
  });
});
