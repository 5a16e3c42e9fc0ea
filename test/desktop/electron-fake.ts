// A stand-in for the `electron` module in desktop tests. Importing the real package would try to
// download the Electron binary; every desktop test mocks it with this file instead:
//
//   vi.mock('electron', async () => (await import('./electron-fake.js')).electronModule());
//
// Only what main/desktop and preload use is here, recorded with vi.fn so tests can assert on calls.
import { EventEmitter } from 'node:events';
import { vi } from 'vitest';

type Listener = (...args: never[]) => unknown;

class FakeApp extends EventEmitter {
  isPackaged = true;
  requestSingleInstanceLock = vi.fn(() => true);
  quit = vi.fn();
  whenReady = vi.fn(() => Promise.resolve());
  getAppPath = vi.fn(() => '/app');
  getName = vi.fn(() => 'Codex Claude Proxy');
  getVersion = vi.fn(() => '0.1.0');
  getPath = vi.fn((_name: string) => '/tmp/codex-claude-proxy-test-appdata');
  setAppUserModelId = vi.fn();
  getLoginItemSettings = vi.fn((_options?: unknown) => ({ openAtLogin: false, wasOpenedAtLogin: false }));
  setLoginItemSettings = vi.fn();
  focus = vi.fn();
}

/** What an `ipcMain.handle` listener receives; tests build these to play a sender. */
export interface FakeInvokeEvent {
  senderFrame: { url: string; parent: object | null } | null;
}
export type InvokeHandler = (event: FakeInvokeEvent, ...args: unknown[]) => unknown;

export class FakeWebContents extends EventEmitter {
  url = '';
  openHandler: ((details: { url: string }) => { action: string }) | null = null;
  getURL = (): string => this.url;
  setWindowOpenHandler = vi.fn((handler: (details: { url: string }) => { action: string }) => {
    this.openHandler = handler;
  });

  /** Emits a navigation-style event the way Electron 45 does (details object carrying the URL). */
  navigate(event: 'will-navigate' | 'will-redirect' | 'will-attach-webview', url: string): boolean {
    let prevented = false;
    this.emit(event, { url, preventDefault: () => (prevented = true) });
    return prevented;
  }
}

export class BrowserWindow extends EventEmitter {
  static instances: BrowserWindow[] = [];
  readonly webContents = new FakeWebContents();
  visible = false;
  destroyed = false;
  maximized = false;
  loadURL = vi.fn(async (url: string) => {
    this.webContents.url = url;
  });
  show = vi.fn(() => {
    this.visible = true;
  });
  hide = vi.fn(() => {
    this.visible = false;
  });
  focus = vi.fn();
  restore = vi.fn();
  maximize = vi.fn(() => {
    this.maximized = true;
  });
  isVisible = (): boolean => this.visible;
  isMinimized = (): boolean => false;
  isMaximized = (): boolean => this.maximized;
  isDestroyed = (): boolean => this.destroyed;
  getNormalBounds = (): { x: number; y: number; width: number; height: number } => ({ x: 10, y: 20, width: 900, height: 700 });
  destroy = vi.fn(() => {
    this.destroyed = true;
    this.emit('closed');
  });

  constructor(readonly options: Record<string, unknown>) {
    super();
    BrowserWindow.instances.push(this);
  }

  /** Plays the user clicking the close button; returns whether the close was prevented. */
  userClose(): boolean {
    let prevented = false;
    this.emit('close', { preventDefault: () => (prevented = true) });
    return prevented;
  }
}

export class Tray {
  static instances: Tray[] = [];
  setContextMenu = vi.fn();
  setToolTip = vi.fn();
  destroy = vi.fn();
  constructor(readonly image: unknown) {
    Tray.instances.push(this);
  }
}

export class Notification extends EventEmitter {
  static shown: Notification[] = [];
  static isSupported = vi.fn(() => true);
  show = vi.fn(() => {
    Notification.shown.push(this);
  });
  constructor(readonly options: { title: string; body: string; icon?: string }) {
    super();
  }
}

function fakeSession() {
  return {
    headersListener: null as Listener | null,
    permissionRequest: null as Listener | null,
    permissionCheck: null as Listener | null,
    webRequest: {
      onHeadersReceived: vi.fn((listener: Listener) => {
        state.session.headersListener = listener;
      }),
    },
    setPermissionRequestHandler: vi.fn((handler: Listener) => {
      state.session.permissionRequest = handler;
    }),
    setPermissionCheckHandler: vi.fn((handler: Listener) => {
      state.session.permissionCheck = handler;
    }),
  };
}

function freshState() {
  return {
    app: new FakeApp(),
    handlers: new Map<string, InvokeHandler>(),
    session: fakeSession(),
  };
}

const state = freshState();

export const app = state.app;
export const ipcMain = {
  handle: vi.fn((channel: string, handler: InvokeHandler) => {
    if (state.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    state.handlers.set(channel, handler);
  }),
  removeHandler: vi.fn((channel: string) => void state.handlers.delete(channel)),
};
export const handlers = state.handlers;
export const shell = { openExternal: vi.fn(async (_url: string) => undefined) };
export const session = { defaultSession: state.session };
export const screen = {
  getAllDisplays: vi.fn(() => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }]),
};
export const Menu = { buildFromTemplate: vi.fn((template: unknown[]) => ({ template })) };
export const nativeImage = {
  createFromPath: vi.fn((path: string) => ({ path, setTemplateImage: vi.fn() })),
};
export const contextBridge = { exposeInMainWorld: vi.fn() };
export const ipcRenderer = { invoke: vi.fn(async (..._args: unknown[]): Promise<unknown> => undefined) };

/** Forgets everything recorded, so each test starts from a fresh Electron. */
export function resetFakes(): void {
  vi.clearAllMocks();
  state.handlers.clear();
  state.app.removeAllListeners();
  state.app.requestSingleInstanceLock.mockImplementation(() => true);
  BrowserWindow.instances = [];
  Tray.instances = [];
  Notification.shown = [];
}

/** The module object for `vi.mock('electron', …)` (electron-store reads the default export). */
export function electronModule() {
  const named = { app, ipcMain, shell, session, screen, Menu, nativeImage, contextBridge, ipcRenderer, BrowserWindow, Tray, Notification };
  return { ...named, default: named };
}
