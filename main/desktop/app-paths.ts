// Where the app's own files are, relative to the app root: the checkout in development,
// resources/app.asar when packaged (see electron-builder.yml files).
import path from 'node:path';
import { fileURLToPath } from 'node:url';

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

/**
 * The root is found from the main bundle's own place, dist/main/index.cjs, rather than from
 * `app.getAppPath()`: in development Electron starts on dist/dev-app (the package.json has no
 * "main", so that npm does not publish the desktop bundle), whose folder is not the root.
 */
export function appRoot(moduleUrl: string = import.meta.url): string {
  return fileURLToPath(new URL('../..', moduleUrl));
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
