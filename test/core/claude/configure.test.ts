import fs from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { useClaudeHome } from './claude-home.js';
import {
  ClaudeConfigError,
  DEFAULT_MODE_REASON,
  claudeConfigState,
  claudePaths,
  configureClaudeCode,
  restoreClaudeCode,
  type ConfigureOptions,
} from '../../../main/core/claude/index.js';

let home: string;
let env: NodeJS.ProcessEnv;
let paths: ReturnType<typeof claudePaths>;

const target = (over: Partial<ConfigureOptions> = {}): ConfigureOptions => ({
  env,
  baseUrl: 'http://127.0.0.1:8081',
  authToken: 'proxy-token-0123456789',
  models: { opus: 'claude-opus-5-5', sonnet: 'claude-sonnet-5-5', haiku: 'claude-haiku-5-5' },
  contextWindow: 272000,
  ...over,
});

const read = (file: string): string => fs.readFileSync(file, 'utf8');
const readJson = (file: string): Record<string, unknown> => JSON.parse(read(file)) as Record<string, unknown>;
const mode = (file: string): number => fs.statSync(file).mode & 0o777;
const posix = process.platform !== 'win32';

function write(file: string, text: string, fileMode = 0o644): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text, { mode: fileMode });
  fs.chmodSync(file, fileMode);
}

const claudeHome = useClaudeHome('ccp-claude-');
beforeEach(() => ({ home, env, paths } = claudeHome()));

describe('claudePaths', () => {
  it('uses ~/.claude/settings.json and ~/.claude.json by default', () => {
    expect(paths.settings).toBe(path.join(home, '.claude', 'settings.json'));
    expect(paths.globalConfig).toBe(path.join(home, '.claude.json'));
    expect(paths.backup).toBe(`${paths.settings}.codex-claude-proxy.bak`);
  });

  it('moves both files into CLAUDE_CONFIG_DIR when it is set', () => {
    const dir = path.join(home, 'cfg');
    const p = claudePaths({ HOME: home, CLAUDE_CONFIG_DIR: dir });
    expect(p.settings).toBe(path.join(dir, 'settings.json'));
    expect(p.globalConfig).toBe(path.join(dir, '.claude.json'));
  });
});

describe('configureClaudeCode', () => {
  it('sets up a fresh install: env block, permission mode, onboarding flag, owner-only files', async () => {
    const state = await configureClaudeCode(target());
    expect(readJson(paths.settings)).toEqual({
      env: {
        ANTHROPIC_BASE_URL: 'http://127.0.0.1:8081',
        ANTHROPIC_AUTH_TOKEN: 'proxy-token-0123456789',
        ANTHROPIC_DEFAULT_OPUS_MODEL: 'claude-opus-5-5',
        ANTHROPIC_DEFAULT_SONNET_MODEL: 'claude-sonnet-5-5',
        ANTHROPIC_DEFAULT_HAIKU_MODEL: 'claude-haiku-5-5',
        CLAUDE_CODE_AUTO_COMPACT_WINDOW: '272000',
        CLAUDE_CODE_SKIP_FAST_MODE_ORG_CHECK: '1',
      },
      permissions: { defaultMode: 'default', disableAutoMode: 'disable' },
    });
    expect(readJson(paths.globalConfig)).toEqual({ hasCompletedOnboarding: true });
    expect(readJson(paths.backup)).toEqual({});
    if (posix) expect([mode(paths.settings), mode(paths.globalConfig)]).toEqual([0o600, 0o600]);
    expect(state).toMatchObject({
      settings_path: paths.settings,
      configured: true,
      base_url: 'http://127.0.0.1:8081',
      backup_exists: true,
      default_mode: 'default',
      onboarding_completed: true,
    });
    expect(state.notes).toContain(DEFAULT_MODE_REASON);
  });

  it('honours CLAUDE_CONFIG_DIR', async () => {
    const dir = path.join(home, 'elsewhere');
    env = { HOME: home, CLAUDE_CONFIG_DIR: dir };
    await configureClaudeCode(target());
    expect(fs.existsSync(path.join(dir, 'settings.json'))).toBe(true);
    expect(readJson(path.join(dir, '.claude.json')).hasCompletedOnboarding).toBe(true);
    expect(fs.existsSync(path.join(home, '.claude'))).toBe(false);
    expect(fs.existsSync(path.join(home, '.claude.json'))).toBe(false);
  });

  it('keeps every other key and their order, drops a conflicting ANTHROPIC_API_KEY, backs up the exact bytes', async () => {
    const original =
      '{"model":"opus",\n  "env": {"FOO": "bar", "ANTHROPIC_API_KEY": "sk-old", "ANTHROPIC_BASE_URL": "https://old.example"},\n"permissions": {"allow": ["Bash(ls)"]}, "theme": "dark"}';
    write(paths.settings, original, 0o644);
    write(
      paths.globalConfig,
      JSON.stringify({ userID: 'u1', projects: { '/x': { hasTrustDialogAccepted: true } } }),
      0o640,
    );

    await configureClaudeCode(target());

    const settings = readJson(paths.settings);
    expect(Object.keys(settings)).toEqual(['model', 'env', 'permissions', 'theme']);
    expect(settings.model).toBe('opus');
    expect(settings.theme).toBe('dark');
    expect(settings.permissions).toEqual({ allow: ['Bash(ls)'], defaultMode: 'default', disableAutoMode: 'disable' });
    const envBlock = settings.env as Record<string, string>;
    expect(Object.keys(envBlock).slice(0, 2)).toEqual(['FOO', 'ANTHROPIC_BASE_URL']);
    expect(envBlock.FOO).toBe('bar');
    expect(envBlock.ANTHROPIC_BASE_URL).toBe('http://127.0.0.1:8081');
    expect(envBlock).not.toHaveProperty('ANTHROPIC_API_KEY');
    expect(read(paths.backup)).toBe(original);
    expect(readJson(paths.globalConfig)).toEqual({
      userID: 'u1',
      projects: { '/x': { hasTrustDialogAccepted: true } },
      hasCompletedOnboarding: true,
    });
    if (posix) {
      expect(mode(paths.backup)).toBe(0o644);
      expect(mode(paths.settings)).toBe(0o600);
      expect(mode(paths.globalConfig)).toBe(0o640);
    }
  });

  it('keeps a permission mode that works through a proxy, replaces "auto"', async () => {
    write(paths.settings, JSON.stringify({ permissions: { defaultMode: 'acceptEdits' } }));
    await configureClaudeCode(target());
    expect(readJson(paths.settings).permissions).toEqual({ defaultMode: 'acceptEdits', disableAutoMode: 'disable' });

    write(paths.settings, JSON.stringify({ permissions: { defaultMode: 'auto' } }));
    fs.rmSync(paths.backup);
    await configureClaudeCode(target());
    expect(readJson(paths.settings).permissions).toEqual({ defaultMode: 'default', disableAutoMode: 'disable' });
  });

  it('leaves an already onboarded ~/.claude.json alone', async () => {
    const globalText = '{ "hasCompletedOnboarding": true, "userID": "abc" }';
    write(paths.globalConfig, globalText);
    await configureClaudeCode(target());
    expect(read(paths.globalConfig)).toBe(globalText);
  });

  it('is idempotent and never replaces the original backup', async () => {
    const original = JSON.stringify({ env: { ANTHROPIC_API_KEY: 'sk-original' } }, null, 4);
    write(paths.settings, original);
    await configureClaudeCode(target());
    const first = read(paths.settings);
    await configureClaudeCode(target());
    expect(read(paths.settings)).toBe(first);
    await configureClaudeCode(target({ authToken: 'another-token-abcdef', contextWindow: 400000 }));
    expect(readJson(paths.settings).env).toMatchObject({
      ANTHROPIC_AUTH_TOKEN: 'another-token-abcdef',
      CLAUDE_CODE_AUTO_COMPACT_WINDOW: '400000',
    });
    expect(read(paths.backup)).toBe(original);
  });

  it('serialises concurrent configures', async () => {
    write(paths.settings, '{"theme":"light"}');
    await Promise.all([configureClaudeCode(target()), configureClaudeCode(target()), configureClaudeCode(target())]);
    expect(read(paths.backup)).toBe('{"theme":"light"}');
    expect(readJson(paths.settings).theme).toBe('light');
  });

  it('refuses a malformed settings.json and changes nothing', async () => {
    const broken = '{ "env": { "FOO": "bar", } ';
    write(paths.settings, broken);
    const error = await configureClaudeCode(target()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ClaudeConfigError);
    expect((error as ClaudeConfigError).code).toBe('malformed');
    expect((error as ClaudeConfigError).message).toContain(paths.settings);
    expect(read(paths.settings)).toBe(broken);
    expect(fs.existsSync(paths.backup)).toBe(false);
    expect(fs.existsSync(paths.globalConfig)).toBe(false);
  });

  it('refuses settings whose env or permissions is not an object, or a non-object top level', async () => {
    for (const text of ['{"env": "ANTHROPIC_BASE_URL=x"}', '{"permissions": []}', '[1, 2]', 'null']) {
      write(paths.settings, text);
      await expect(configureClaudeCode(target())).rejects.toMatchObject({ code: 'malformed' });
      expect(read(paths.settings)).toBe(text);
    }
    expect(fs.existsSync(paths.backup)).toBe(false);
  });

  it('refuses a malformed ~/.claude.json before writing settings', async () => {
    write(paths.settings, '{"theme":"dark"}');
    write(paths.globalConfig, '{oops');
    await expect(configureClaudeCode(target())).rejects.toMatchObject({ code: 'malformed' });
    expect(read(paths.settings)).toBe('{"theme":"dark"}');
    expect(read(paths.globalConfig)).toBe('{oops');
    expect(fs.existsSync(paths.backup)).toBe(false);
  });

  it('drops CLAUDE_CODE_MAX_CONTEXT_TOKENS an earlier release wrote, keeps one the user had', async () => {
    // Configured by an earlier release: the backup (the user's original) has no such key.
    write(paths.backup, '{}');
    write(paths.settings, JSON.stringify({ env: { CLAUDE_CODE_MAX_CONTEXT_TOKENS: '272000', FOO: '1' } }));
    await configureClaudeCode(target());
    expect(readJson(paths.settings).env).not.toHaveProperty('CLAUDE_CODE_MAX_CONTEXT_TOKENS');

    // The user's own (it only has an effect with DISABLE_COMPACT): theirs, kept and restored.
    fs.rmSync(paths.backup);
    const own = { env: { DISABLE_COMPACT: '1', CLAUDE_CODE_MAX_CONTEXT_TOKENS: '190000' } };
    write(paths.settings, JSON.stringify(own));
    await configureClaudeCode(target());
    expect(readJson(paths.settings).env).toMatchObject(own.env);
    await restoreClaudeCode({ env });
    expect(readJson(paths.settings)).toEqual(own);
  });

  it("keeps the user's own auto-mode switch and puts it back on restore", async () => {
    const original = { permissions: { defaultMode: 'plan', disableAutoMode: 'disable', allow: ['Read'] } };
    write(paths.settings, JSON.stringify(original));
    await configureClaudeCode(target());
    expect(readJson(paths.settings).permissions).toEqual(original.permissions);
    await restoreClaudeCode({ env });
    expect(readJson(paths.settings)).toEqual(original);
  });

  it('validates the target before touching the disk', async () => {
    await expect(configureClaudeCode(target({ baseUrl: 'not a url', contextWindow: 0 }))).rejects.toMatchObject({
      code: 'invalid-target',
    });
    expect(fs.existsSync(paths.settings)).toBe(false);
  });
});

describe('restoreClaudeCode', () => {
  it('puts the original file back byte for byte, with its mode, and deletes the backup', async () => {
    const original =
      '{\n\t"env": {"ANTHROPIC_API_KEY": "sk-mine", "FOO": "1"},\n\t"permissions": {"defaultMode": "auto"}\n}\n';
    write(paths.settings, original, 0o644);
    await configureClaudeCode(target());
    const state = await restoreClaudeCode({ env });
    expect(read(paths.settings)).toBe(original);
    if (posix) expect(mode(paths.settings)).toBe(0o644);
    expect(fs.existsSync(paths.backup)).toBe(false);
    expect(state).toMatchObject({ configured: false, backup_exists: false, base_url: null, default_mode: 'auto' });
  });

  it('keeps edits made after configuring and reverts only our keys', async () => {
    write(paths.settings, JSON.stringify({ env: { ANTHROPIC_API_KEY: 'sk-mine' } }));
    await configureClaudeCode(target());
    const configured = readJson(paths.settings);
    fs.writeFileSync(
      paths.settings,
      JSON.stringify({ ...configured, theme: 'dark', env: { ...(configured.env as object), EXTRA: 'x' } }),
    );
    await restoreClaudeCode({ env });
    expect(readJson(paths.settings)).toEqual({ env: { EXTRA: 'x', ANTHROPIC_API_KEY: 'sk-mine' }, theme: 'dark' });
  });

  it('removes our keys when there was no settings file before', async () => {
    await configureClaudeCode(target());
    await restoreClaudeCode({ env });
    expect(readJson(paths.settings)).toEqual({});
    expect(fs.existsSync(paths.backup)).toBe(false);
  });

  it('says there is nothing to restore without a backup', async () => {
    await expect(restoreClaudeCode({ env })).rejects.toMatchObject({ code: 'no-backup' });
    expect(fs.existsSync(paths.settings)).toBe(false);
  });

  it('refuses when settings.json became malformed, keeping the backup', async () => {
    await configureClaudeCode(target());
    write(paths.settings, '{ broken');
    await expect(restoreClaudeCode({ env })).rejects.toMatchObject({ code: 'malformed' });
    expect(read(paths.settings)).toBe('{ broken');
    expect(fs.existsSync(paths.backup)).toBe(true);
  });
});

describe('claudeConfigState', () => {
  it('reports an untouched install', async () => {
    expect(await claudeConfigState({ env })).toEqual({
      settings_path: paths.settings,
      configured: false,
      base_url: null,
      backup_exists: false,
      backup_path: paths.backup,
      default_mode: null,
      env: {},
      global_config_path: paths.globalConfig,
      onboarding_completed: false,
      status_line: 'none',
      notes: [],
    });
  });

  it('masks secrets in the env block and compares the base URL with ours', async () => {
    write(
      paths.settings,
      JSON.stringify({ env: { GITHUB_TOKEN: 'ghp_abcdefghijklmnopqrstuvwxyz', SHORT_KEY: 'abc', MAX: 5 } }),
    );
    await configureClaudeCode(target());
    const state = await claudeConfigState({ env, baseUrl: 'http://127.0.0.1:8081/' });
    expect(state.configured).toBe(true);
    expect(state.env).toMatchObject({
      ANTHROPIC_AUTH_TOKEN: '…6789',
      GITHUB_TOKEN: '…wxyz',
      SHORT_KEY: '[hidden]',
      MAX: '5',
      ANTHROPIC_BASE_URL: 'http://127.0.0.1:8081',
      CLAUDE_CODE_AUTO_COMPACT_WINDOW: '272000',
    });
    expect(JSON.stringify(state)).not.toContain('proxy-token-0123456789');
    expect((await claudeConfigState({ env, baseUrl: 'http://127.0.0.1:9999' })).configured).toBe(false);
  });

  it('warns when the permission mode is auto while configured', async () => {
    await configureClaudeCode(target());
    const settings = readJson(paths.settings);
    fs.writeFileSync(paths.settings, JSON.stringify({ ...settings, permissions: { defaultMode: 'auto' } }));
    const state = await claudeConfigState({ env });
    expect(state.notes?.some((n) => n.startsWith('Warning: permission mode is "auto"'))).toBe(true);
  });
});
