// Loaded with `node --import` before dist/main/index.cjs: answers `require('electron')` with a
// stub, so the real main-process bundle (core, electron-store and all) can boot in plain Node. It
// reports what the app does as JSON lines on stdout; SIGTERM plays the user choosing Quit.
//
// The window's page is played too: loading a URL fetches the page and the scripts and styles it
// links, then reports did-finish-load (or a console error for an asset that fails, as Chromium does).
//
// Env: STUB_APP_PATH (app root with dist/ and assets/), STUB_USER_DATA (Electron's userData),
// STUB_CONSOLE_ERROR (a console error the page logs after loading), STUB_RENDERED (the child count
// of #app that executeJavaScript reports; default 1, as the mounted dashboard has).
//
// Not played: running the dashboard's scripts (the stub cannot render), CSP, the preload.
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
  userData = process.env.STUB_USER_DATA;
  getPath = () => this.userData;
  setPath = (name, value) => {
    if (name === 'userData') this.userData = value;
    report({ event: 'setPath', name, value });
  };
  getName = () => 'Codex Claude Proxy';
  getVersion = () => '0.0.0-stub';
  setAppUserModelId = () => undefined;
  getLoginItemSettings = () => ({ openAtLogin: false, wasOpenedAtLogin: false });
  setLoginItemSettings = () => undefined;
  focus = () => undefined;
  exit(code = 0) {
    report({ event: 'exit', code });
    process.exit(code);
  }
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
  executeJavaScript = async () => Number(process.env.STUB_RENDERED ?? 1);

  consoleError(message, sourceId) {
    this.emit('console-message', { level: 'error', message, lineNumber: 0, sourceId });
  }

  /** Fetches the page and what it links, as the renderer would, and reports how that went. */
  async load(url) {
    let page;
    try {
      page = await fetch(url);
    } catch (err) {
      this.emit('did-fail-load', {}, -102, `ERR_CONNECTION_REFUSED ${err.message}`, url, true);
      return;
    }
    if (!page.ok) {
      this.emit('did-fail-load', {}, -300, `HTTP ${page.status}`, url, true);
      return;
    }
    const html = await page.text();
    for (const [, link] of html.matchAll(/(?:src|href)="([^"]+\.(?:js|css))"/g)) {
      const asset = await fetch(new URL(link, url));
      if (!asset.ok)
        this.consoleError(`Failed to load resource: the server responded with a status of ${asset.status}`, asset.url);
    }
    this.emit('did-finish-load', {});
    if (process.env.STUB_CONSOLE_ERROR) this.consoleError(process.env.STUB_CONSOLE_ERROR, url);
  }
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
    await this.webContents.load(url);
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
