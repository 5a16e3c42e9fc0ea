import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Settings } from '../../../main/core/config/settings.js';
import { resolveIdentity } from '../../../main/core/upstream/identity.js';

let home: string;
let settings: Settings;
beforeEach(async () => {
  home = await mkdtemp(path.join(os.tmpdir(), 'ccp-settings-'));
  settings = new Settings(home);
});
afterEach(async () => {
  settings.close();
  await rm(home, { recursive: true, force: true });
});

describe('settings', () => {
  it('maps a Claude family to another lane and back to its default', () => {
    expect(settings.families.fable).toBe('opus');
    expect(settings.setFamily('Fable', 'sonnet').fable).toBe('sonnet');
    expect(new Settings(home).families.fable).toBe('sonnet');
    expect(settings.setFamily('fable', null).fable).toBe('opus');
    expect(() => settings.setFamily('fable', 'gpt' as never)).toThrow(/Lane must be/);
    expect(() => settings.setFamily('a b', 'opus')).toThrow(/not a Claude family/);
  });

  it('keeps the upstream identity, validated, with env over settings over defaults', () => {
    expect(resolveIdentity(settings.identity, {}, '9.9.9')).toMatchObject({
      originator: 'codex_cli_rs',
      clientVersion: '0.171.0',
      sources: { originator: 'default', clientVersion: 'default' },
    });
    settings.setIdentity({ originator: 'codex_exec', clientVersion: '0.172.0' });
    const fromSettings = resolveIdentity(settings.identity, {}, '9.9.9');
    expect(fromSettings.userAgent).toMatch(/^codex_exec\/0\.172\.0 \(.+\) codex-claude-proxy\/9\.9\.9$/);
    expect(fromSettings.sources.originator).toBe('settings');
    const fromEnv = resolveIdentity(settings.identity, { CODEX_ORIGINATOR: 'codex_vscode' }, '9.9.9');
    expect(fromEnv).toMatchObject({ originator: 'codex_vscode', clientVersion: '0.172.0' });
    expect(fromEnv.userAgent.startsWith('codex_vscode/0.172.0 ')).toBe(true);
    expect(() => settings.setIdentity({ clientVersion: 'latest' })).toThrow(/client version/);
    expect(() => resolveIdentity(undefined, { CODEX_CLIENT_VERSION: 'x' })).toThrow(/CODEX_CLIENT_VERSION/);
    settings.setIdentity({ originator: '', clientVersion: null });
    expect(settings.identity).toEqual({});
  });
});
