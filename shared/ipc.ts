// The contract between the dashboard page inside the desktop window and the Electron main process.
// The preload exposes exactly these methods as `window.desktop`; the main process registers one
// handler per channel. Anything the browser can do over HTTP stays on HTTP: IPC covers only what a
// web page cannot do by itself (the system browser, login items, app facts).

export interface AppInfo {
  name: string;
  version: string;
  /** Node's `process.platform` of the main process: 'darwin' | 'win32' | 'linux' | … */
  platform: string;
  arch: string;
  electron: string;
}

/** Every IPC method: its arguments and what its promise resolves to. */
export interface IpcContract {
  /** Open an http(s) URL in the system browser (OAuth sign-in, docs links). */
  openExternal: { args: [url: string]; result: void };
  getLaunchAtLogin: { args: []; result: boolean };
  /** Returns the state the OS reports after the change. */
  setLaunchAtLogin: { args: [enabled: boolean]; result: boolean };
  appInfo: { args: []; result: AppInfo };
}

export type IpcMethod = keyof IpcContract;

export const IPC_CHANNELS: { readonly [M in IpcMethod]: string } = {
  openExternal: 'desktop:open-external',
  getLaunchAtLogin: 'desktop:get-launch-at-login',
  setLaunchAtLogin: 'desktop:set-launch-at-login',
  appInfo: 'desktop:app-info',
};

export const IPC_METHODS = Object.keys(IPC_CHANNELS) as IpcMethod[];

/** What `window.desktop` offers the page. */
export type DesktopApi = {
  readonly [M in IpcMethod]: (...args: IpcContract[M]['args']) => Promise<IpcContract[M]['result']>;
};

/** The global name the preload exposes the API under. */
export const DESKTOP_GLOBAL = 'desktop';

/** Longest URL `openExternal` accepts (OAuth URLs are well under 2 kB). */
export const MAX_EXTERNAL_URL_LENGTH = 4096;
