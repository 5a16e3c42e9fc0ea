// The dashboard window: the same page a browser gets from the proxy, loaded from our own server
// (a file:// page would send `Origin: null`, which the API guard refuses). Closing it hides it to
// the tray; its size and position survive restarts.
import { app, BrowserWindow, screen, type WebContents } from 'electron';
import { dashboardUrl, type DashboardView } from './dashboard-view.js';
import { restoreBounds, type PrefsStore } from './prefs.js';
import { dashboardWebPreferences, originOf, type OriginSource } from './security.js';

export interface DashboardWindowOptions {
  preload: string;
  icon?: string;
  prefs: PrefsStore;
  origin: OriginSource;
  /** True once the app is quitting: then a close really closes. */
  quitting: () => boolean;
}

export class DashboardWindow {
  private win: BrowserWindow | null = null;

  constructor(private readonly opts: DashboardWindowOptions) {}

  get visible(): boolean {
    return this.win !== null && !this.win.isDestroyed() && this.win.isVisible();
  }

  /** The page of the window, while there is one. */
  get contents(): WebContents | null {
    return this.win !== null && !this.win.isDestroyed() ? this.win.webContents : null;
  }

  /** Shows (creating if needed) and focuses the window on `view`. False while nothing serves it. */
  show(view?: DashboardView): boolean {
    const origin = this.opts.origin();
    if (!origin) return false;
    const win = this.window();
    // Already on our page and no view asked for: leave it as it is. A view only changes the hash,
    // which the page handles without reloading.
    if (view || originOf(win.webContents.getURL()) !== origin) void win.loadURL(dashboardUrl(origin, view));
    if (win.isMinimized()) win.restore();
    win.show();
    // macOS does not bring a background app forward for its window's focus() alone (e.g. after
    // the sign-in finished in the browser).
    if (process.platform === 'darwin') app.focus({ steal: true });
    win.focus();
    return true;
  }

  /** After the server moved (restart, other port): point an open window at it again. */
  reload(): void {
    const origin = this.opts.origin();
    if (!origin || !this.win || this.win.isDestroyed()) return;
    if (originOf(this.win.webContents.getURL()) !== origin) void this.win.loadURL(dashboardUrl(origin));
  }

  destroy(): void {
    this.win?.destroy();
    this.win = null;
  }

  private window(): BrowserWindow {
    if (this.win && !this.win.isDestroyed()) return this.win;
    const bounds = restoreBounds(
      this.opts.prefs.windowBounds(),
      screen.getAllDisplays().map((d) => d.workArea),
    );
    const win = new BrowserWindow({
      ...bounds,
      minWidth: 640,
      minHeight: 480,
      show: false,
      title: 'Codex Claude Proxy',
      icon: this.opts.icon,
      autoHideMenuBar: true,
      webPreferences: dashboardWebPreferences(this.opts.preload),
    });
    if (bounds.maximized) win.maximize();
    win.on('close', (event) => {
      this.opts.prefs.saveWindowBounds({ ...win.getNormalBounds(), maximized: win.isMaximized() });
      if (this.opts.quitting()) return;
      event.preventDefault();
      win.hide();
    });
    win.on('closed', () => {
      this.win = null;
    });
    this.win = win;
    return win;
  }
}
