// Configure and restore with the status line: ours goes in where there is none or on request,
// a status line of the user's own always comes back.
import fs from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { useClaudeHome } from './claude-home.js';
import {
  claudeConfigState,
  claudePaths,
  configureClaudeCode,
  isProxyStatusLine,
  restoreClaudeCode,
  type StatusLineChoice,
} from '../../../main/core/claude/index.js';

const OURS = '/usr/bin/node /opt/ccp/node_modules/codex-claude-proxy/dist/cli.js statusline';
const THEIRS = { type: 'command', command: '~/.claude/my-line.sh', padding: 1 };

let env: NodeJS.ProcessEnv;
let paths: ReturnType<typeof claudePaths>;

const configure = (choice: StatusLineChoice, command: string | null = OURS) =>
  configureClaudeCode({
    env,
    baseUrl: 'http://127.0.0.1:8081',
    authToken: 'proxy-token-0123456789',
    models: { opus: 'claude-opus-5-5', sonnet: 'claude-sonnet-5-5', haiku: 'claude-haiku-5-5' },
    contextWindow: 272000,
    statusLine: { choice, command },
  });

const readJson = (file: string): Record<string, unknown> =>
  JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
const statusLine = (): unknown => readJson(paths.settings).statusLine;

function writeSettings(value: unknown): string {
  const text = JSON.stringify(value, null, 3);
  fs.mkdirSync(path.dirname(paths.settings), { recursive: true });
  fs.writeFileSync(paths.settings, text);
  return text;
}

const claudeHome = useClaudeHome('ccp-statusline-');
beforeEach(() => ({ env, paths } = claudeHome()));

describe('isProxyStatusLine', () => {
  it('knows our commands and nobody else’s', () => {
    for (const command of [
      OURS,
      'codex-claude-proxy statusline',
      '"C:\\Program Files\\nodejs\\node.exe" "C:\\Users\\a b\\AppData\\npm\\node_modules\\codex-claude-proxy\\dist\\cli.js" statusline',
      '"/usr/bin/node" "/Users/a b/src/codex-claude-proxy/dist/cli.js" statusline',
    ]) {
      expect(isProxyStatusLine({ type: 'command', command })).toBe(true);
    }
    for (const value of [
      THEIRS,
      { type: 'command', command: 'codex-claude-proxy accounts list' },
      { type: 'command', command: 'my-statusline' },
      { type: 'command', command: 'node ./cli.js statusline' },
      'codex-claude-proxy statusline',
      null,
    ]) {
      expect(isProxyStatusLine(value)).toBe(false);
    }
  });
});

describe('configure with the status line', () => {
  it('installs ours where there is none, and restore takes it out again', async () => {
    const original = writeSettings({ theme: 'dark' });
    const state = await configure('auto');
    expect(statusLine()).toEqual({ type: 'command', command: OURS, padding: 0 });
    expect(state.status_line).toBe('proxy');
    expect(state.notes?.some((n) => n.includes('codex-claude-proxy statusline'))).toBe(true);
    await restoreClaudeCode({ env });
    expect(fs.readFileSync(paths.settings, 'utf8')).toBe(original);
  });

  it("keeps the user's own unless asked, and says how to replace it", async () => {
    writeSettings({ statusLine: THEIRS });
    const state = await configure('auto');
    expect(statusLine()).toEqual(THEIRS);
    expect(state.status_line).toBe('own');
    expect(state.notes?.some((n) => n.includes('--statusline'))).toBe(true);
  });

  it("replaces the user's on request and puts theirs back on restore, byte for byte", async () => {
    const original = writeSettings({ statusLine: THEIRS, model: 'opus' });
    await configure('install');
    expect(statusLine()).toEqual({ type: 'command', command: OURS, padding: 0 });
    await restoreClaudeCode({ env });
    expect(fs.readFileSync(paths.settings, 'utf8')).toBe(original);
    expect(fs.existsSync(paths.statusLineBackup)).toBe(false);
  });

  it('keeps a status line the user set after the first configure when ours replaces it', async () => {
    writeSettings({});
    await configure('skip');
    const configured = readJson(paths.settings);
    fs.writeFileSync(paths.settings, JSON.stringify({ ...configured, statusLine: THEIRS }));

    await configure('install');
    expect(statusLine()).toEqual({ type: 'command', command: OURS, padding: 0 });
    expect(readJson(paths.statusLineBackup)).toEqual({ statusLine: THEIRS });
    await restoreClaudeCode({ env });
    expect(readJson(paths.settings)).toEqual({ statusLine: THEIRS });
  });

  it('skip takes ours out and brings back what the user had', async () => {
    writeSettings({ statusLine: THEIRS });
    await configure('install');
    await configure('skip');
    expect(statusLine()).toEqual(THEIRS);
    expect((await claudeConfigState({ env })).status_line).toBe('own');
  });

  it('restore keeps a status line the user put in place of ours', async () => {
    writeSettings({});
    await configure('auto');
    const mine = { type: 'command', command: 'echo mine' };
    fs.writeFileSync(paths.settings, JSON.stringify({ ...readJson(paths.settings), statusLine: mine }));
    await restoreClaudeCode({ env });
    expect(readJson(paths.settings)).toEqual({ statusLine: mine });
  });

  it('installs nothing when this process cannot name the command', async () => {
    writeSettings({});
    const state = await configure('install', null);
    expect(statusLine()).toBeUndefined();
    expect(state.status_line).toBe('none');
  });
});
