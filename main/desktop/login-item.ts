// "Launch at login". macOS and Windows keep login items themselves (app.setLoginItemSettings);
// on Linux Electron has no such API, so we write an XDG autostart entry. A launch from the login
// item carries `--hidden`: the app then starts in the tray without opening its window.
import { app } from 'electron';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const HIDDEN_FLAG = '--hidden';

/** The command line a login launch runs: in development `electron <app dir>`, packaged the app itself. */
function launchCommand(): { exec: string; args: string[] } {
  // An AppImage runs from a temporary mount; APPIMAGE is the file the user keeps.
  const exec = process.env.APPIMAGE || process.execPath;
  return { exec, args: app.isPackaged ? [HIDDEN_FLAG] : [app.getAppPath(), HIDDEN_FLAG] };
}

function quoteDesktopArg(arg: string): string {
  // Desktop Entry spec: quote, and escape ", `, $ and \ inside quotes.
  return `"${arg.replace(/(["`$\\])/g, '\\$1')}"`;
}

/** An XDG autostart entry (pure, for tests). */
export function autostartEntry(name: string, exec: string, args: readonly string[]): string {
  return [
    '[Desktop Entry]',
    'Type=Application',
    `Name=${name}`,
    `Exec=${[exec, ...args].map(quoteDesktopArg).join(' ')}`,
    'X-GNOME-Autostart-enabled=true',
    'Terminal=false',
    '',
  ].join('\n');
}

function autostartFile(): string {
  return path.join(app.getPath('appData'), 'autostart', 'codex-claude-proxy.desktop');
}

export function getLaunchAtLogin(): boolean {
  if (process.platform === 'linux') return existsSync(autostartFile());
  // Windows compares the registered arguments too, so ask with the ones we register.
  return app.getLoginItemSettings({ args: launchCommand().args }).openAtLogin;
}

/** Applies the change and returns what the OS reports afterwards. */
export function setLaunchAtLogin(enabled: boolean): boolean {
  const { exec, args } = launchCommand();
  if (process.platform === 'linux') {
    const file = autostartFile();
    if (enabled) {
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, autostartEntry(app.getName(), exec, args));
    } else {
      rmSync(file, { force: true });
    }
  } else {
    app.setLoginItemSettings({ openAtLogin: enabled, path: exec, args });
  }
  return getLaunchAtLogin();
}

/** This launch came from the login item: start in the tray only. */
export function launchedAtLogin(argv: readonly string[]): boolean {
  if (argv.includes(HIDDEN_FLAG)) return true;
  return process.platform === 'darwin' && app.getLoginItemSettings().wasOpenedAtLogin;
}
