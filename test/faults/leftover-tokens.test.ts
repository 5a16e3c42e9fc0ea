// kill -9 in the middle of a token write or of an account's removal leaves token copies behind:
// the temp file of an atomic write (secrets/acct_….json.NNN, full tokens inside) and the token
// file of an account that is no longer in accounts.json. The next server to start sweeps both,
// and keeps everything that belongs to a listed account.
import { readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestProxy, type TestProxy } from '../support/proxy.js';
import { writeAuthJson } from '../core/accounts/helpers.js';
import { ask, claudeBody, savedState, spawnCore, type ChildCore } from './support.js';

const FREEZE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'freeze-secret-io.ts');

let p: TestProxy;
const children: ChildCore[] = [];

beforeAll(async () => {
  p = await startTestProxy({ accounts: 2 });
  await p.core.close();
});

afterAll(async () => {
  for (const c of children) {
    if (c.child.exitCode === null && c.child.signalCode === null) c.child.kill('SIGKILL');
    await c.exited;
  }
  await p.fake.close();
  await rm(p.home, { recursive: true, force: true });
});

const home = (): string => p.core.home;
const secretsDir = (): string => path.join(home(), 'secrets');

async function child(freeze?: 'fsync' | 'remove'): Promise<ChildCore> {
  const env = freeze ? { ...p.env, FREEZE_SECRET_IO: freeze } : p.env;
  const c = await spawnCore(env, freeze ? { preload: FREEZE } : {});
  children.push(c);
  return c;
}

/** Sends the request, waits until the server is frozen inside the secret operation, then kills it. */
async function killMidway(c: ChildCore, route: string, init: RequestInit): Promise<void> {
  void fetch(`${c.url}${route}`, init).catch(() => undefined);
  await vi.waitFor(() => expect(c.stderr()).toMatch(/FROZEN /), { timeout: 10_000 });
  c.child.kill('SIGKILL');
  expect(await c.exited).toMatchObject({ signal: 'SIGKILL' });
}

/** Every file under the data dir that holds this text. */
async function filesHolding(text: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(home(), { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    if ((await readFile(file, 'utf8')).includes(text)) found.push(path.relative(home(), file));
  }
  return found;
}

describe('token copies left by kill -9', () => {
  it('are swept when the next server starts; listed accounts keep their tokens', async () => {
    const before = await savedState(home(), p.env);
    const [removed, kept] = before.accounts.map((a) => a.id);

    // 1. Killed while writing the tokens of a new account: a temp file with full tokens stays.
    const importer = await child('fsync');
    const file = await writeAuthJson(path.join(p.home, 'codex-late'), {
      accountId: 'acct-late',
      email: 'late@example.com',
    });
    await killMidway(importer, '/accounts/import', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ path: file }),
    });
    expect(await filesHolding('rt-acct-late')).toEqual([expect.stringMatching(/^secrets[\\/]acct_\w+\.json\.\d+$/)]);

    // 2. Killed while removing an account: it is gone from accounts.json, its tokens are not.
    const remover = await child('remove');
    await killMidway(remover, `/accounts/${removed}`, { method: 'DELETE' });
    expect(await filesHolding('rt-acct-1')).toEqual([`secrets${path.sep}${removed}.json`]);
    expect(await readFile(path.join(home(), 'accounts.json'), 'utf8')).not.toContain(removed);

    // 3. The next server sweeps both (dead writers' locks go stale first), and serves as before.
    const next = await child();
    await vi.waitFor(async () => expect(await readdir(secretsDir())).toEqual([`${kept}.json`]), {
      timeout: 30_000,
      interval: 200,
    });
    expect(await filesHolding('rt-acct-late')).toEqual([]);
    expect(await filesHolding('rt-acct-1')).toEqual([]);
    expect(await filesHolding('rt-acct-2')).toEqual([`secrets${path.sep}${kept}.json`]);
    const res = await ask(next.url, claudeBody({ stream: false }));
    expect(res.status).toBe(200);
    await res.text();
    const after = await savedState(home(), p.env);
    expect(after.accounts.map((a) => a.id)).toEqual([kept]);
    expect(after.tokens[kept]).toEqual({ access: true, refresh: true });
  });
});
