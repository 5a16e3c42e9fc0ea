// The start-up sweep removes the tokens of accounts that are no longer listed, but never those of
// an account that another process is adding right now (it writes tokens first, then the listing,
// both under the account's lock).
import { readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AccountStore, emptyQuota } from '../../../main/core/accounts/store.js';
import { FileSecretStore } from '../../../main/core/secrets/index.js';
import { withFileLock } from '../../../main/core/secrets/file-lock.js';
import { memoryLog, openPool, tempHome } from './helpers.js';

describe('sweeping token files at start-up', () => {
  it('deletes unlisted tokens, keeps listed ones, an account being added and the OpenRouter key', async () => {
    const home = await tempHome();
    const secrets = new FileSecretStore(home, { warn: () => undefined }, 'test');
    await secrets.set('acct_removed', '{"refresh_token":"rt-removed"}');
    await secrets.set('openrouter-api-key', 'sk-or-test');
    await writeFile(path.join(home, 'accounts.json.3141592'), '{"accounts":[');

    // Another process adds acct_adding: tokens written, listing not yet, its account lock held.
    let listed = (): void => undefined;
    const listing = new Promise<void>((resolve) => (listed = resolve));
    let locked = (): void => undefined;
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    const adder = withFileLock(path.join(home, 'locks', 'acct_adding.lock'), async () => {
      await secrets.set('acct_adding', '{"refresh_token":"rt-adding"}');
      locked();
      await listing;
      const store = await AccountStore.open(home);
      await store.update((draft) => {
        draft.accounts.push({
          id: 'acct_adding',
          account_id: 'acc-adding',
          user_id: null,
          email: null,
          plan: null,
          source: 'codex-import',
          added_at: new Date().toISOString(),
          updated_at: new Date().toISOString(),
          status: 'active',
          status_until: null,
          status_reason: null,
          status_cause: null,
          quota: emptyQuota(),
        });
      });
    });
    await isLocked;

    const log = memoryLog();
    const { pool } = await openPool(home, { log });
    listed();
    await adder;
    await pool.close(); // waits for the sweep
    expect((await readdir(path.join(home, 'secrets'))).sort()).toEqual(['acct_adding.json', 'openrouter-api-key.json']);
    expect((await readdir(home)).filter((name) => name.startsWith('accounts.json'))).toEqual(['accounts.json']);
    expect(log.lines.join('\n')).toMatch(/1 partly written file\(s\), the tokens of 1 removed account\(s\)/);
  });
});
