import { beforeEach, describe, expect, it, vi } from 'vitest';
import { app, resetFakes } from './electron-fake.js';

vi.mock('electron', async () => (await import('./electron-fake.js')).electronModule());

const { autostartEntry, launchedAtLogin } = await import('../../main/desktop/login-item.js');

beforeEach(() => resetFakes());

describe('autostartEntry', () => {
  it('writes a desktop entry whose Exec quotes paths with spaces and escapes specials', () => {
    const entry = autostartEntry('Codex Claude Proxy', '/opt/Codex Claude Proxy/codex-claude-proxy', ['--hidden']);
    expect(entry).toContain('[Desktop Entry]\nType=Application\nName=Codex Claude Proxy\n');
    expect(entry).toContain('Exec="/opt/Codex Claude Proxy/codex-claude-proxy" "--hidden"\n');
    expect(autostartEntry('x', '/home/a"b/$HOME`x`\\y', [])).toContain('Exec="/home/a\\"b/\\$HOME\\`x\\`\\\\y"\n');
  });
});

describe('launchedAtLogin', () => {
  it('recognises the flag the login item passes', () => {
    expect(launchedAtLogin(['/usr/bin/app', '--hidden'])).toBe(true);
    expect(launchedAtLogin(['/usr/bin/app'])).toBe(process.platform === 'darwin' ? app.getLoginItemSettings().wasOpenedAtLogin : false);
  });
});
