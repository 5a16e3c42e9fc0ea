import { spawn } from 'node:child_process';
import { readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { AccountStore, emptyQuota, type AccountRecord } from '../../../main/core/accounts/store.js';
import { tempHome } from './helpers.js';

const WRITER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'store-writer.ts');

function record(id: string): AccountRecord {
  const now = new Date().toISOString();
  return {
    id,
    account_id: `chatgpt-${id}`,
    user_id: null,
    email: null,
    plan: null,
    source: 'oauth',
    added_at: now,
    updated_at: now,
    status: 'active',
    status_until: null,
    status_reason: null,
    status_cause: null,
    quota: emptyQuota(),
  };
}

/** Runs the writer until it confirmed `atLeast` writes, then SIGKILLs it; returns what it confirmed. */
function writeThenKill(home: string, prefix: string, atLeast: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', WRITER, home, prefix], { stdio: ['ignore', 'pipe', 'pipe'] });
    const confirmed: string[] = [];
    let buffer = '';
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      buffer += d.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) if (line.startsWith('wrote ')) confirmed.push(line.slice(6));
      if (confirmed.length >= atLeast && !child.killed) child.kill('SIGKILL');
    });
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve(confirmed);
      else reject(new Error(`writer exited with ${code}: ${stderr}`));
    });
  });
}

describe('account store', () => {
  it('writes atomically with owner-only permissions and sees other processes’ writes', async () => {
    const home = await tempHome();
    const mine = await AccountStore.open(home);
    const theirs = await AccountStore.open(home);
    await mine.update((d) => {
      d.accounts.push(record('one'));
      d.strategy = 'least-used';
    });
    expect((await stat(mine.file)).mode & 0o777).toBe(0o600);
    expect(theirs.current.accounts).toHaveLength(0);
    expect(await theirs.reloadIfChanged()).toBe(true);
    expect(theirs.current.accounts.map((a) => a.id)).toEqual(['one']);
    expect(theirs.current.strategy).toBe('least-used');
    expect(await theirs.reloadIfChanged()).toBe(false);
    // A write from the other side starts from the newest file, never from a stale copy.
    await theirs.update((d) => d.accounts.push(record('two')));
    await mine.update((d) => d.accounts.push(record('three')));
    expect(JSON.parse(await readFile(mine.file, 'utf8')).accounts.map((a: AccountRecord) => a.id)).toEqual(['one', 'two', 'three']);
  });

  it("counts the other side's writes it comes across, by a reload or inside its own update, and never its own", async () => {
    const home = await tempHome();
    const mine = await AccountStore.open(home);
    const theirs = await AccountStore.open(home);
    const start = mine.foreignWrites;
    await mine.update((d) => d.accounts.push(record('one')));
    expect(mine.foreignWrites).toBe(start);
    await theirs.update((d) => d.accounts.push(record('two')));
    await mine.update((d) => d.accounts.push(record('three')));
    expect(mine.foreignWrites).toBe(start + 1);
    expect(await mine.reloadIfChanged()).toBe(false);
    await theirs.update((d) => d.accounts.push(record('four')));
    expect(await mine.reloadIfChanged()).toBe(true);
    expect(mine.foreignWrites).toBe(start + 2);
  });

  it('explains a damaged file instead of silently starting empty', async () => {
    const home = await tempHome();
    await writeFile(path.join(home, 'accounts.json'), '{"accounts": [');
    await expect(AccountStore.open(home)).rejects.toThrow(/accounts.json is not valid JSON/);
  });

  it('loses nothing when a writer is killed with -9 in the middle of writing', async () => {
    const home = await tempHome();
    const store = await AccountStore.open(home);
    await store.update((d) => d.accounts.push(record('base_a'), record('base_b')));
    const expected = new Set(['base_a', 'base_b']);
    for (const [round, atLeast] of [
      ['r1', 15],
      ['r2', 40],
      ['r3', 7],
    ] as const) {
      for (const id of await writeThenKill(home, round, atLeast)) expected.add(id);
      const reopened = await AccountStore.open(home);
      const ids = new Set(reopened.current.accounts.map((a) => a.id));
      for (const id of expected) expect(ids.has(id), `${id} survived round ${round}`).toBe(true);
    }
    // The dead writer's lock does not block the next write for long.
    await store.update((d) => d.accounts.push(record('after')));
    expect(store.current.accounts.some((a) => a.id === 'after')).toBe(true);
  });
});
