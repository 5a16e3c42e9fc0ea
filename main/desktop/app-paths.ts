// Where the app's own files are, relative to the app root (`app.getAppPath()`: the project
// directory under `electron .`, resources/app.asar when packaged; see electron-builder.yml files).
import path from 'node:path';

export interface AppPaths {
  preload: string;
  rendererDir: string;
  /** Window and notification icon. */
  appIcon: string;
  trayIcon: string;
}

/** macOS wants a black template image (it tints it); the others get a coloured glyph. */
export function trayIconName(platform: NodeJS.Platform): string {
  if (platform === 'darwin') return 'trayTemplate.png';
  return platform === 'win32' ? 'tray-win.png' : 'tray-linux.png';
}

export function appPaths(appRoot: string, platform: NodeJS.Platform): AppPaths {
  const icons = path.join(appRoot, 'assets', 'icons');
  return {
    preload: path.join(appRoot, 'dist', 'preload', 'index.cjs'),
    rendererDir: path.join(appRoot, 'dist', 'renderer'),
    appIcon: path.join(icons, 'app.png'),
    trayIcon: path.join(icons, trayIconName(platform)),
  };
}
