import type { KeyboardEvent, MenuItem, MenuItemConstructorOptions } from 'electron';
import { EventEmitter } from 'node:events';
import path from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { AccountSummary, ClaudeConfigState } from '../../shared/api.js';
import { DEFAULT_LANES } from '../../shared/models.js';
import type { DesktopCore, OpenCoreOptions } from '../../main/desktop/core-adapter.js';
import { app, BrowserWindow, handlers, Notification, resetFakes, shell, Tray } from './electron-fake.js';
import { account, limited, pooled } from './fixtures.js';

vi.mock('electron', async () => (await import('./electron-fake.js')).electronModule());
vi.mock('electron-store', () => ({ default: class {} }));

const { runDesktopApp } = await import('../../main/desktop/desktop-app.js');
const { memoryPrefs } = await import('../../main/desktop/prefs.js');

const CLAUDE_STATE: ClaudeConfigState = {
  settings_path: '/home/u/.claude/settings.json',
  configured: false,
  base_url: null,
  backup_exists: false,
  default_mode: null,
  env: {},
};

/** A core that listens nowhere: start() either "binds" its port or fails like listen() does. */
class FakeCore extends EventEmitter implements DesktopCore {
  bound: { host: string; port: number } | null = null;
  failure: Error | null = null;
  accountList: AccountSummary[] = [account('a', { preferred: true }), account('b')];

  constructor(readonly port: number) {
    super();
  }

  start = vi.fn(async () => {
    if (this.failure) throw this.failure;
    this.bound = { host: '127.0.0.1', port: this.port };
    this.emit('change');
    return { url: `http://127.0.0.1:${this.port}`, ...this.bound };
  });
  stop = vi.fn(async () => {
    this.bound = null;
    this.emit('change');
  });
  close = vi.fn(async () => {
    this.bound = null;
  });
  running = (): boolean => this.bound !== null;
  address = (): { host: string; port: number } | null => this.bound;
  accounts = vi.fn(async () => ({
    accounts: this.accountList,
    strategy: 'sticky' as const,
    secret_store: 'file' as const,
  }));
  pooledQuota = vi.fn(async () => pooled());
  switchAccount = vi.fn(async (_id: string) => undefined);
  setStrategy = vi.fn(async () => undefined);
  lanes = () => DEFAULT_LANES;
  setLaneModel = vi.fn();
  models = () => [];
  startLogin = vi.fn(async () => ({ loginId: 'login-1', authUrl: 'https://auth.example.com/oauth/authorize?state=s' }));
  waitForLogin = vi.fn(async () => account('new'));
  claudeState = vi.fn(async () => CLAUDE_STATE);
  configureClaude = vi.fn(async () => ({ ...CLAUDE_STATE, configured: true }));
  restoreClaude = vi.fn(async () => CLAUDE_STATE);
}

function addressInUse(port: number): Error {
  return Object.assign(new Error(`listen EADDRINUSE: address already in use 127.0.0.1:${port}`), {
    code: 'EADDRINUSE',
    port,
  });
}

let cores: FakeCore[];
/** Applied to each new core before it is handed out. */
let prepare: (core: FakeCore, opts: OpenCoreOptions) => void;

const openCore = vi.fn(async (opts: OpenCoreOptions) => {
  const core = new FakeCore(opts.port === 0 ? 53124 : 8081);
  prepare(core, opts);
  cores.push(core);
  return core;
});

function launch(argv: string[] = ['/opt/app/codex-claude-proxy']) {
  return runDesktopApp({ openCore, argv, prefs: memoryPrefs() });
}

function trayMenu(): MenuItemConstructorOptions[] {
  const tray = Tray.instances[0];
  const calls = tray.setContextMenu.mock.calls;
  return (calls[calls.length - 1][0] as { template: MenuItemConstructorOptions[] }).template;
}

function menuItem(label: string): MenuItemConstructorOptions {
  const flat = (items: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] =>
    items.flatMap((i) => [i, ...(Array.isArray(i.submenu) ? flat(i.submenu) : [])]);
  const found = flat(trayMenu()).find((i) => i.label === label);
  if (!found) throw new Error(`no tray item "${label}"`);
  return found;
}

function clickTray(label: string): void {
  menuItem(label).click?.({ checked: false } as MenuItem, undefined, {} as KeyboardEvent);
}

function titles(): string[] {
  return Notification.shown.map((n) => n.options.title);
}

beforeEach(() => {
  resetFakes();
  cores = [];
  prepare = () => undefined;
  openCore.mockClear();
});

describe('single instance', () => {
  it('quits when another instance holds the lock, without starting a core', async () => {
    app.requestSingleInstanceLock.mockReturnValue(false);
    await expect(launch()).resolves.toBeNull();
    expect(app.quit).toHaveBeenCalled();
    expect(openCore).not.toHaveBeenCalled();
  });

  it('takes the lock, and a second launch focuses the window', async () => {
    const desktop = await launch(['/opt/app/codex-claude-proxy', '--hidden']);
    expect(desktop).not.toBeNull();
    expect(app.requestSingleInstanceLock).toHaveBeenCalled();
    expect(BrowserWindow.instances).toHaveLength(0);
    app.emit('second-instance', {}, [], '/');
    expect(BrowserWindow.instances).toHaveLength(1);
    expect(BrowserWindow.instances[0].show).toHaveBeenCalled();
    expect(BrowserWindow.instances[0].focus).toHaveBeenCalled();
  });
});

describe('start-up', () => {
  it('starts the core in-process on ready, with the bundled dashboard, and shows the tray', async () => {
    await launch();
    // The app root is where the main bundle sits (dist/main/…), here the checkout.
    expect(openCore).toHaveBeenCalledWith({
      port: undefined,
      rendererDir: path.resolve(import.meta.dirname, '..', '..', 'dist', 'renderer'),
    });
    expect(cores[0].start).toHaveBeenCalledTimes(1);
    expect(Tray.instances).toHaveLength(1);
    expect(menuItem('Proxy running on 127.0.0.1:8081').enabled).toBe(false);
    expect(Tray.instances[0].setToolTip).toHaveBeenLastCalledWith(
      'Codex Claude Proxy — :8081\n2/2 accounts usable · 5h 63% left',
    );
    expect([...handlers.keys()]).toHaveLength(4);
    // A manual launch opens the dashboard from the server.
    expect(BrowserWindow.instances[0].loadURL).toHaveBeenCalledWith('http://127.0.0.1:8081/#/overview');
  });

  it('opens the accounts view on a first run without accounts', async () => {
    prepare = (core) => void (core.accountList = []);
    await launch();
    expect(BrowserWindow.instances[0].loadURL).toHaveBeenCalledWith('http://127.0.0.1:8081/#/accounts');
  });

  it('stays in the tray when started by the login item', async () => {
    await launch(['/opt/app/codex-claude-proxy', '--hidden']);
    expect(BrowserWindow.instances).toHaveLength(0);
  });

  it('when the port is busy: tells the user, serves on a free port, opens the Claude Code view, no crash', async () => {
    prepare = (core, opts) => {
      if (opts.port === undefined) core.failure = addressInUse(8081);
    };
    const desktop = await launch();
    expect(desktop).not.toBeNull();
    expect(openCore.mock.calls.map(([o]) => o.port)).toEqual([undefined, 0]);
    expect(cores[0].close).toHaveBeenCalled();
    expect(titles()).toEqual(['Port 8081 is already in use']);
    expect(Notification.shown[0].options.body).toContain('127.0.0.1:53124');
    expect(BrowserWindow.instances[0].loadURL).toHaveBeenCalledWith('http://127.0.0.1:53124/#/claude');
    menuItem('Port 8081 is in use by another program');
    menuItem('Proxy running on 127.0.0.1:53124');
  });

  it('retries the configured port on the next Start', async () => {
    let busy = true;
    prepare = (core, opts) => {
      if (opts.port === undefined && busy) core.failure = addressInUse(8081);
    };
    const desktop = await launch();
    busy = false;
    clickTray('Stop proxy');
    await vi.waitFor(() => expect(menuItem('Start proxy')).toBeDefined());
    clickTray('Start proxy');
    await vi.waitFor(() => expect(menuItem('Proxy running on 127.0.0.1:8081')).toBeDefined());
    expect(desktop?.runner.busyPort).toBeNull();
  });

  it('any other start failure: a notification and a stopped tray, no crash', async () => {
    prepare = (core) =>
      void (core.failure = Object.assign(new Error('listen EACCES: permission denied 127.0.0.1:80'), {
        code: 'EACCES',
      }));
    await launch();
    expect(titles()).toEqual(['The proxy could not start']);
    menuItem('Proxy stopped');
    menuItem('listen EACCES: permission denied 127.0.0.1:80');
    expect(BrowserWindow.instances).toHaveLength(0);
  });
});

describe('running', () => {
  it('tray actions call the core', async () => {
    await launch();
    clickTray('b@example.com — 5h 20% used');
    await vi.waitFor(() => expect(cores[0].switchAccount).toHaveBeenCalledWith('b'));
    clickTray('Configure Claude Code');
    await vi.waitFor(() => expect(cores[0].configureClaude).toHaveBeenCalled());
    clickTray('Stop proxy');
    await vi.waitFor(() => expect(cores[0].stop).toHaveBeenCalled());
  });

  it('a failing action becomes a notification', async () => {
    await launch();
    cores[0].restoreClaude.mockRejectedValueOnce(new Error('Nothing to restore'));
    clickTray('Restore Claude Code settings');
    await vi.waitFor(() => expect(titles()).toContain('Could not restore Claude Code settings'));
  });

  it('rebuilds the tray and notifies when the core reports a limit', async () => {
    const desktop = await launch();
    cores[0].accountList = [limited('a', 2_000_000_000), account('b')];
    cores[0].emit('change');
    await desktop?.refresh();
    expect(titles()).toEqual(['a@example.com hit its limit']);
    expect(trayMenu().some((i) => i.label?.startsWith('a@example.com — limited until'))).toBe(true);
  });

  it('a quota crossing 80 % notifies once however many changes follow', async () => {
    const desktop = await launch();
    const high = account('a', {
      quota: { ...account('a').quota, five_hour: { used_percent: 84, window_minutes: 300, resets_at: null } },
    });
    cores[0].accountList = [high, account('b')];
    for (let i = 0; i < 5; i++) {
      cores[0].emit('change');
      await desktop?.refresh();
    }
    expect(titles()).toEqual(['a@example.com has used 84% of its 5-hour limit']);
  });

  it('Run diagnostics opens the doctor view of the dashboard', async () => {
    await launch(['/opt/app/codex-claude-proxy', '--hidden']);
    clickTray('Run diagnostics');
    expect(BrowserWindow.instances[0].loadURL).toHaveBeenCalledWith('http://127.0.0.1:8081/#/doctor');
    expect(BrowserWindow.instances[0].show).toHaveBeenCalled();
  });

  it('signs in from a notification: system browser, wait for the callback, then the accounts view', async () => {
    const desktop = await launch(['/opt/app/codex-claude-proxy', '--hidden']);
    cores[0].accountList = [account('a', { status: 'needs_relogin' }), account('b')];
    await desktop?.refresh();
    expect(titles()).toEqual(['a@example.com needs a new sign-in']);
    Notification.shown[0].emit('click');
    await vi.waitFor(() => expect(BrowserWindow.instances).toHaveLength(1));
    expect(shell.openExternal).toHaveBeenCalledWith('https://auth.example.com/oauth/authorize?state=s');
    expect(cores[0].waitForLogin).toHaveBeenCalledWith('login-1');
    expect(BrowserWindow.instances[0].loadURL).toHaveBeenCalledWith('http://127.0.0.1:8081/#/accounts');
    expect(titles()).toContain('Signed in');
  });
});

describe('quit', () => {
  it('closes the core before letting Electron quit', async () => {
    await launch();
    const preventDefault = vi.fn();
    app.emit('before-quit', { preventDefault });
    expect(preventDefault).toHaveBeenCalled();
    await vi.waitFor(() => expect(app.quit).toHaveBeenCalled());
    expect(cores[0].close).toHaveBeenCalledTimes(1);
    expect(handlers.size).toBe(0);
    expect(Tray.instances[0].destroy).toHaveBeenCalled();
    // The second before-quit (from app.quit) goes through.
    const again = vi.fn();
    app.emit('before-quit', { preventDefault: again });
    expect(again).not.toHaveBeenCalled();
  });
});
