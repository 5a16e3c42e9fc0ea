// The secrets folder after a crash: what sweepTemps() removes (temp files of dead writers, full
// tokens inside) and what it must leave (stored secrets, and a live writer's temp file).
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { withFileLock } from '../../../main/core/secrets/file-lock.js';
import { FileSecretStore } from '../../../main/core/secrets/index.js';
import { tempHome } from '../accounts/helpers.js';

describe('sweeping the secrets folder', () => {
  it('removes dead writers’ temp files, waits for a live writer, and keeps stored secrets', async () => {
    const home = await tempHome('ccp-sweep-');
    const store = new FileSecretStore(home, { warn: () => undefined }, 'test');
    await store.set('acct_kept', '{"refresh_token":"rt-kept"}');
    const dir = path.join(home, 'secrets');
    await writeFile(path.join(dir, 'acct_dead.json.1234567'), '{"refresh_token":"rt-dead"}');
    await writeFile(path.join(dir, 'acct_kept.enc.42'), '{"v":1}');
    await writeFile(path.join(dir, 'acct_busy.json.99'), '{"refresh_token":"rt-busy"}');
    await writeFile(path.join(dir, 'README'), 'not ours');

    // Another process is in the middle of writing acct_busy: it holds that id's write lock.
    let release = (): void => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    let locked = (): void => undefined;
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    await mkdir(path.join(home, 'locks', 'secrets'), { recursive: true });
    const writer = withFileLock(path.join(home, 'locks', 'secrets', 'acct_busy.lock'), async () => {
      locked();
      await held;
    });
    await isLocked;

    const sweep = store.sweepTemps();
    await expect(readdir(dir)).resolves.toContain('acct_busy.json.99');
    release();
    await writer;
    // Once the writer is done, what it left is a leftover like the others.
    expect(await sweep).toBe(3);
    expect((await readdir(dir)).sort()).toEqual(['README', 'acct_kept.json']);
    expect(await store.ids()).toEqual(['acct_kept']);
    expect(await store.get('acct_kept')).toBe('{"refresh_token":"rt-kept"}');
  });

  it('has nothing to do without a secrets folder', async () => {
    const store = new FileSecretStore(await tempHome('ccp-sweep-'), { warn: () => undefined }, 'test');
    expect(await store.sweepTemps()).toBe(0);
    expect(await store.ids()).toEqual([]);
  });
});
