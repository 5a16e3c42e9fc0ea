// The app's lifecycle: one instance, the core started in-process when Electron is ready, a tray
// that mirrors the core's state, notifications on account trouble, and a clean stop on quit.
// Every decision that can be made without Electron lives in a pure module next to this one.
import { app, session, shell, type WebContents } from 'electron';
import type { AccountSummary } from '../../shared/api.js';
import { DEFAULT_LANES } from '../../shared/models.js';
import { appPaths, appRoot } from './app-paths.js';
import type { OpenCore } from './core-adapter.js';
import { accountAlerts, addedAccounts, type AlertMemory, type Notice } from './alerts.js';
import { DIAGNOSTICS_VIEW, type DashboardView } from './dashboard-view.js';
import { registerIpcHandlers, removeIpcHandlers } from './ipc.js';
import { getLaunchAtLogin, launchedAtLogin, setLaunchAtLogin } from './login-item.js';
import { Notifier } from './notifications.js';
import { openPrefs, type PrefsStore } from './prefs.js';
import { ProxyRunner, type StartOutcome } from './proxy-runner.js';
import { checkExternalUrl, hardenSession, hardenWebContents } from './security.js';
import { AppTray } from './tray.js';
import { localTime, type TrayActions, type TrayState } from './tray-menu.js';
import { DashboardWindow } from './window.js';

export const APP_USER_MODEL_ID = 'dev.codex-claude-proxy.desktop';

export interface DesktopAppOptions {
  openCore: OpenCore;
  argv: readonly string[];
  /** App-only preferences; tests pass an in-memory store. */
  prefs?: PrefsStore;
}

function errorNotice(title: string, err: unknown): Notice {
  return {
    kind: 'error',
    title,
    body: err instanceof Error ? err.message : String(err),
    onClick: { open: 'overview' },
  };
}

export function portBusyNotice(busyPort: number, port: number): Notice {
  return {
    kind: 'port-busy',
    title: `Port ${busyPort} is already in use`,
    body:
      `Another program (perhaps \`codex-claude-proxy start\`) listens on ${busyPort}, so this app's proxy runs on ` +
      `127.0.0.1:${port} for now. Claude Code set up for ${busyPort} does not reach it: configure Claude Code again, ` +
      `or free the port and restart the proxy from the tray.`,
    onClick: { open: 'claude' },
  };
}

export class DesktopApp {
  readonly runner: ProxyRunner;
  private tray: AppTray | null = null;
  private readonly window: DashboardWindow;
  private readonly notifier: Notifier;
  private phase: 'starting' | 'settled' = 'starting';
  private problem: string | null = null;
  private accounts: AccountSummary[] | null = null;
  private alerts: AlertMemory | null = null;
  private quitting = false;
  private refreshing: Promise<void> | null = null;
  private queued: Promise<void> | null = null;
  private readonly paths = appPaths(appRoot(), process.platform);

  constructor(private readonly opts: DesktopAppOptions) {
    this.runner = new ProxyRunner(opts.openCore, this.paths.rendererDir);
    this.window = new DashboardWindow({
      preload: this.paths.preload,
      icon: this.paths.appIcon,
      prefs: opts.prefs ?? openPrefs(),
      origin: () => this.runner.origin(),
      quitting: () => this.quitting,
    });
    this.notifier = new Notifier(this.paths.appIcon, (notice) => this.onNoticeClick(notice));
  }

  /** Origin of the page the window may show and the IPC handlers trust. */
  origin(): string | null {
    return this.runner.origin();
  }

  /** What smoke mode checks: the tray exists, the window is shown, and its page. */
  inspect(): { tray: boolean; windowVisible: boolean; page: WebContents | null } {
    return { tray: this.tray !== null, windowVisible: this.window.visible, page: this.window.contents };
  }

  async ready(): Promise<void> {
    if (process.platform === 'win32') app.setAppUserModelId(APP_USER_MODEL_ID);
    hardenSession(session.defaultSession, () => this.origin());
    registerIpcHandlers(() => this.origin());
    this.tray = new AppTray(this.paths.trayIcon, this.actions());
    this.runner.on('change', () => void this.refresh());
    await this.refresh();

    const outcome = await this.startProxy();
    if (outcome.ok && !launchedAtLogin(this.opts.argv) && outcome.busyPort === undefined) {
      const firstRun = (this.accounts ?? []).length === 0;
      this.window.show(firstRun ? 'accounts' : undefined);
    }
  }

  /** A second launch of the app: bring the existing window forward. */
  focus(): void {
    if (!this.window.show()) this.notify(errorNotice('The proxy is not running', 'Start it from the tray menu.'));
  }

  async shutdown(): Promise<void> {
    this.quitting = true;
    removeIpcHandlers();
    await this.runner.close();
    this.window.destroy();
    this.tray?.destroy();
    this.tray = null;
  }

  beginQuit(): void {
    this.quitting = true;
  }

  /** Rebuilds tray and notifications from the core; calls during a rebuild share one follow-up. */
  refresh(): Promise<void> {
    if (this.refreshing) {
      this.queued ??= this.refreshing.then(() => {
        this.queued = null;
        return this.refresh();
      });
      return this.queued;
    }
    this.refreshing = this.apply()
      .catch((err: unknown) => console.error('desktop: could not read the proxy state:', err))
      .finally(() => {
        this.refreshing = null;
      });
    return this.refreshing;
  }

  private async startProxy(): Promise<StartOutcome> {
    const outcome = await this.runner.start();
    this.phase = 'settled';
    this.problem = outcome.ok ? null : outcome.message;
    if (!outcome.ok) {
      this.notify(errorNotice('The proxy could not start', outcome.message));
    } else if (outcome.busyPort !== undefined) {
      this.notify(portBusyNotice(outcome.busyPort, outcome.port));
      this.window.show('claude');
    }
    this.window.reload();
    await this.refresh();
    return outcome;
  }

  private async readState(): Promise<TrayState> {
    const core = this.runner.core;
    const running = core?.running() ?? false;
    const base: TrayState = {
      server: this.phase === 'starting' ? 'starting' : running ? 'running' : 'stopped',
      port: running ? (core?.address()?.port ?? null) : null,
      busyPort: running ? this.runner.busyPort : null,
      problem: running ? null : this.problem,
      accounts: [],
      strategy: 'sticky',
      pooled: null,
      lanes: DEFAULT_LANES,
      models: [],
      claude: null,
      launchAtLogin: getLaunchAtLogin(),
    };
    if (!core) return base;
    const [accounts, pooled, claude] = await Promise.all([
      core.accounts(),
      core.pooledQuota(),
      core.claudeState().catch(() => null),
    ]);
    return {
      ...base,
      accounts: accounts.accounts,
      strategy: accounts.strategy,
      pooled,
      lanes: core.lanes(),
      models: core.models(),
      claude: claude && { configured: claude.configured, canRestore: claude.backup_exists },
    };
  }

  private async apply(): Promise<void> {
    const state = await this.readState();
    this.tray?.update(state);
    if (!this.runner.core) return;
    const previous = this.accounts;
    this.accounts = state.accounts;
    const { memory, notices } = accountAlerts(this.alerts, state.accounts, Date.now(), localTime);
    this.alerts = memory;
    for (const notice of notices) this.notify(notice);
    // A sign-in finished in the browser: bring the user back to the app they started it from.
    if (addedAccounts(previous, state.accounts).length > 0 && this.window.visible) this.window.show();
  }

  private notify(notice: Notice): void {
    this.notifier.show(notice);
  }

  private onNoticeClick(notice: Notice): void {
    if ('signIn' in notice.onClick) void this.signIn();
    else this.openDashboard(notice.onClick.open);
  }

  private openDashboard(view?: DashboardView): void {
    if (!this.window.show(view))
      this.notify(errorNotice('The proxy is not running', 'Start it from the tray menu to open the dashboard.'));
  }

  /** Sign-in from the tray: the system browser does the OAuth dance, the loopback callback ends it. */
  private async signIn(): Promise<void> {
    const core = this.runner.core;
    if (!core) return;
    const login = await core.startLogin();
    if (login.callbackError) {
      // The loopback callback cannot listen: the dashboard offers the paste-the-URL path.
      this.notify({
        kind: 'error',
        title: 'Finish the sign-in in the dashboard',
        body: login.callbackError,
        onClick: { open: 'accounts' },
      });
      this.openDashboard('accounts');
      return;
    }
    await shell.openExternal(checkExternalUrl(login.authUrl));
    const account = await core.waitForLogin(login.loginId);
    this.notify({
      kind: 'signed-in',
      title: 'Signed in',
      body: `${account.email ?? account.account_id} is ready to serve Claude Code.`,
      onClick: { open: 'accounts' },
    });
    this.openDashboard('accounts');
  }

  private actions(): TrayActions {
    const run =
      <A extends unknown[]>(title: string, task: (...args: A) => unknown) =>
      (...args: A): void => {
        Promise.resolve()
          .then(() => task(...args))
          .catch((err: unknown) => this.notify(errorNotice(title, err)))
          .finally(() => void this.refresh());
      };
    const core = () => {
      if (!this.runner.core) throw new Error('The proxy core is not available.');
      return this.runner.core;
    };
    return {
      start: run('Could not start the proxy', () => this.startProxy()),
      stop: run('Could not stop the proxy', () => this.runner.stop()),
      switchAccount: run('Could not switch account', (id: string) => core().switchAccount(id)),
      signIn: run('Sign-in failed', () => this.signIn()),
      setStrategy: run('Could not change the strategy', (strategy) => core().setStrategy(strategy)),
      setLaneModel: run('Could not change the model', (lane, model) => core().setLaneModel(lane, model)),
      openDashboard: (view) => this.openDashboard(view),
      runDiagnostics: () => this.openDashboard(DIAGNOSTICS_VIEW),
      configureClaude: run('Could not configure Claude Code', () => core().configureClaude()),
      restoreClaude: run('Could not restore Claude Code settings', () => core().restoreClaude()),
      setLaunchAtLogin: run('Could not change launch at login', (enabled: boolean) => setLaunchAtLogin(enabled)),
      quit: () => app.quit(),
    };
  }
}

/**
 * Wires the app into Electron's lifecycle and resolves once it has started. Resolves null when
 * another instance already runs (that one is told and focuses its window; this one quits).
 */
export async function runDesktopApp(opts: DesktopAppOptions): Promise<DesktopApp | null> {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return null;
  }
  const desktop = new DesktopApp(opts);
  let closing: Promise<void> | null = null;
  let closed = false;

  app.on('second-instance', () => desktop.focus());
  // macOS: a click on the Dock icon.
  app.on('activate', () => desktop.focus());
  // A tray app keeps running with every window closed.
  app.on('window-all-closed', () => undefined);
  app.on('web-contents-created', (_event, contents) =>
    hardenWebContents(
      contents,
      () => desktop.origin(),
      (url) => void shell.openExternal(url),
    ),
  );
  app.on('before-quit', (event) => {
    desktop.beginQuit();
    if (closed) return;
    // Stop the server (letting streams finish) before Electron tears the process down.
    event.preventDefault();
    closing ??= desktop
      .shutdown()
      .catch((err: unknown) => console.error('desktop: shutdown failed:', err))
      .finally(() => {
        closed = true;
        app.quit();
      });
  });
  await app.whenReady();
  await desktop.ready().catch((err: unknown) => console.error('desktop: start-up failed:', err));
  return desktop;
}
