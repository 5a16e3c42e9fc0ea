// `npm test` runner: runs vitest inside a throwaway D-Bus session with an unlocked
// gnome-keyring when this machine has them, so the OS-keychain tests run against a real Secret
// Service without ever touching the developer's own keyring. Elsewhere the keychain tests skip.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const has = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
const vitest = ['node_modules/vitest/vitest.mjs', 'run', ...process.argv.slice(2)];

let result;
if (process.platform === 'linux' && has('dbus-run-session') && has('gnome-keyring-daemon')) {
  const inner = `echo test-keyring-password | gnome-keyring-daemon --unlock --components=secrets >/dev/null && exec "${process.execPath}" ${vitest.map((a) => `'${a}'`).join(' ')}`;
  // A fresh keyring file per run: gnome-keyring keeps it under $XDG_DATA_HOME/keyrings, and an
  // existing one with another password would stay locked (and prompt, which fails headless).
  const keyringHome = mkdtempSync(path.join(os.tmpdir(), 'ccp-keyring-'));
  result = spawnSync('dbus-run-session', ['--', 'sh', '-c', inner], {
    stdio: 'inherit',
    env: { ...process.env, XDG_DATA_HOME: keyringHome },
  });
  rmSync(keyringHome, { recursive: true, force: true });
} else {
  console.log('(no dbus-run-session/gnome-keyring-daemon: OS keychain tests will be skipped)');
  result = spawnSync(process.execPath, vitest, { stdio: 'inherit' });
}
process.exit(result.status ?? 1);
