// A settings file the user made read-only is a decision, not an obstacle: "Configure Claude Code"
// and "Restore" refuse with an error that names the file, and leave every file as it was (running
// as root, a rename would otherwise replace it without a word).
import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawRequest, startHarness, type Harness } from './harness.js';

let h: Harness;
let settings: string;
let globalConfig: string;
const ORIGINAL = '{\n  "env": { "FOO": "bar" }\n}\n';

beforeAll(async () => {
  h = await startHarness();
  settings = path.join(h.home, '.claude', 'settings.json');
  globalConfig = path.join(h.home, '.claude.json');
  await mkdir(path.dirname(settings), { recursive: true });
});
afterAll(() => h?.close());

function post(route: string) {
  return rawRequest(h.port, {
    method: 'POST',
    path: route,
    headers: { 'content-type': 'application/json' },
    body: '{}',
  });
}

async function snapshot(file: string): Promise<{ text: string; mode: number } | null> {
  const text = await readFile(file, 'utf8').catch(() => null);
  return text === null ? null : { text, mode: (await stat(file)).mode & 0o777 };
}

describe('read-only Claude Code files', () => {
  it('configure refuses a read-only settings.json and changes nothing', async () => {
    await writeFile(settings, ORIGINAL);
    await chmod(settings, 0o444);
    const reply = await post('/claude/config/proxy');
    expect(reply.status).toBe(403);
    const error = reply.json().error;
    expect(error?.type).toBe('permission_error');
    expect(error?.message).toContain(settings);
    expect(error?.message).toMatch(/read-only/);
    expect(await snapshot(settings)).toEqual({ text: ORIGINAL, mode: 0o444 });
    expect(await snapshot(`${settings}.codex-claude-proxy.bak`)).toBeNull();
    expect(await snapshot(globalConfig)).toBeNull();
  });

  it('configure refuses a read-only ~/.claude.json and changes nothing', async () => {
    await chmod(settings, 0o600);
    await writeFile(globalConfig, '{"numStartups": 3}\n');
    await chmod(globalConfig, 0o400);
    const reply = await post('/claude/config/proxy');
    expect(reply.status).toBe(403);
    expect(reply.json().error?.message).toContain(globalConfig);
    expect(await snapshot(settings)).toEqual({ text: ORIGINAL, mode: 0o600 });
    expect(await snapshot(globalConfig)).toEqual({ text: '{"numStartups": 3}\n', mode: 0o400 });
    expect(await snapshot(`${settings}.codex-claude-proxy.bak`)).toBeNull();
  });

  it('restore refuses a settings.json made read-only after configuring, and keeps the backup', async () => {
    await chmod(globalConfig, 0o600);
    expect((await post('/claude/config/proxy')).status).toBe(200);
    const configured = await snapshot(settings);
    await chmod(settings, 0o400);
    const reply = await post('/claude/config/restore');
    expect(reply.status).toBe(403);
    expect(reply.json().error?.message).toContain(settings);
    expect(await snapshot(settings)).toEqual({ ...configured, mode: 0o400 });
    expect(await snapshot(`${settings}.codex-claude-proxy.bak`)).not.toBeNull();
  });
});
