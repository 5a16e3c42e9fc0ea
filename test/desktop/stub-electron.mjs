// Loaded with `node --import` before dist/main/index.cjs: answers `require('electron')` with a
// stub, so the real main-process bundle (core, electron-store and all) can boot in plain Node. It
// reports what the app does as JSON lines on stdout; SIGTERM plays the user choosing Quit.
//
// Env: STUB_APP_PATH (app root with dist/ and assets/), STUB_USER_DATA (Electron's userData).
import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import Module from 'node:module';
import process from 'node:process';

const report = (event) => process.stdout.write(`${JSON.stringify(event)}\n`);

class StubApp extends EventEmitter {
  isPackaged = false;
  requestSingleInstanceLock = () => true;
  whenReady = () => Promise.resolve();
  getAppPath = () => process.env.STUB_APP_PATH;
  getPath = () => process.env.STUB_USER_DATA;
  getName = () => 'Codex Claude Proxy';
  getVersion = () => '0.0.0-stub';
  setAppUserModelId = () => undefined;
  getLoginItemSettings = () => ({ openAtLogin: false, wasOpenedAtLogin: false });
  setLoginItemSettings = () => undefined;
  focus = () => undefined;
  quit() {
    let prevented = false;
    this.emit('before-quit', { preventDefault: () => (prevented = true) });
    if (prevented) return;
    report({ event: 'quit' });
    process.exit(0);
  }
}

const app = new StubApp();

class WebContents extends EventEmitter {
  url = '';
  getURL = () => this.url;
  setWindowOpenHandler = () => undefined;
}

class BrowserWindow extends EventEmitter {
  webContents = new WebContents();
  visible = false;
  constructor(options) {
    super();
    report({ event: 'window', webPreferences: options.webPreferences });
    app.emit('web-contents-created', {}, this.webContents);
  }
  loadURL = async (url) => {
    this.webContents.url = url;
    report({ event: 'loadURL', url });
  };
  show = () => void (this.visible = true);
  hide = () => void (this.visible = false);
  focus = () => undefined;
  restore = () => undefined;
  maximize = () => undefined;
  isVisible = () => this.visible;
  isMinimized = () => false;
  isMaximized = () => false;
  isDestroyed = () => false;
  getNormalBounds = () => ({ x: 0, y: 0, width: 800, height: 600 });
  destroy = () => this.emit('closed');
}

class Tray {
  constructor(image) {
    report({ event: 'tray', icon: image.path, iconExists: existsSync(image.path) });
  }
  setToolTip = (tooltip) => report({ event: 'tooltip', tooltip });
  setContextMenu = (menu) => report({ event: 'menu', labels: menu.labels });
  destroy = () => report({ event: 'tray-destroyed' });
}

class Notification extends EventEmitter {
  static isSupported = () => true;
  constructor(options) {
    super();
    this.options = options;
  }
  show = () => report({ event: 'notification', title: this.options.title });
}

const electron = {
  app,
  BrowserWindow,
  Tray,
  Notification,
  Menu: { buildFromTemplate: (template) => ({ labels: template.map((i) => i.label).filter(Boolean) }) },
  nativeImage: { createFromPath: (path) => ({ path, setTemplateImage: () => undefined }) },
  screen: { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] },
  shell: { openExternal: async (url) => report({ event: 'openExternal', url }) },
  ipcMain: { handle: () => undefined, removeHandler: () => undefined, on: () => undefined },
  session: {
    defaultSession: {
      webRequest: { onHeadersReceived: () => undefined },
      setPermissionRequestHandler: () => undefined,
      setPermissionCheckHandler: () => undefined,
    },
  },
};

const load = Module._load;
Module._load = function (request, ...rest) {
  return request === 'electron' ? electron : load.call(this, request, ...rest);
};

process.on('SIGTERM', () => app.quit());
