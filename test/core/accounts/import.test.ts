import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { codexTokens } from '../../fakes/jwt.js';
import { openPool, tempHome, writeAuthJson, type TestPool } from './helpers.js';

let pool: TestPool | null = null;
afterEach(async () => {
  await pool?.close();
  pool = null;
});

describe('importing the Codex CLI login', () => {
  it('reads $CODEX_HOME/auth.json by default, takes identity from the claims, and warns about the shared refresh token', async () => {
    const home = await tempHome();
    const codexHome = path.join(home, 'codex');
    await writeAuthJson(codexHome, { accountId: 'acc-1', email: 'ann@example.test', plan: 'pro' });
    ({ pool } = await openPool(path.join(home, 'data'), { env: { CODEX_CLAUDE_PROXY_SECRETS: 'file', CODEX_HOME: codexHome } }));
    const imported = await pool.importCodexAuth();
    expect(imported).toMatchObject({ account_id: 'acc-1', email: 'ann@example.test', plan: 'pro', status: 'active', source: 'codex-import' });
    expect(imported.warnings.join(' ')).toMatch(/single-use/);
    const list = await pool.list();
    expect(list.accounts).toHaveLength(1);
    expect(list.secret_store).toBe('file');
    expect(JSON.stringify(list)).not.toMatch(/rt-acc-1|eyJ/);
    // Metadata never holds tokens; the secret file does.
    const meta = await readFile(path.join(home, 'data', 'accounts.json'), 'utf8');
    expect(meta).not.toMatch(/rt-acc-1|eyJ/);
    expect(await readdir(path.join(home, 'data', 'secrets'))).toEqual([`${imported.id}.json`]);
  });

  it('updates the same account in place when imported twice', async () => {
    const home = await tempHome();
    ({ pool } = await openPool(home));
    const file = await writeAuthJson(path.join(home, 'c1'), { accountId: 'acc-2', email: 'old@example.test', expiresInSec: 600 });
    const first = await pool.importCodexAuth(file);
    await writeAuthJson(path.join(home, 'c1'), { accountId: 'acc-2', email: 'new@example.test', expiresInSec: 7200 });
    const second = await pool.importCodexAuth(file);
    expect(second.id).toBe(first.id);
    expect(second.email).toBe('new@example.test');
    expect((await pool.list()).accounts).toHaveLength(1);
    // Another ChatGPT account is another entry.
    await pool.importCodexAuth(await writeAuthJson(path.join(home, 'c2'), { accountId: 'acc-3' }));
    expect((await pool.list()).accounts).toHaveLength(2);
  });

  it('keeps newer tokens it already holds rather than an older copy of the CLI file', async () => {
    const home = await tempHome();
    ({ pool } = await openPool(home));
    await pool.importCodexAuth(await writeAuthJson(path.join(home, 'new'), { accountId: 'acc-4', expiresInSec: 7200 }));
    const again = await pool.importCodexAuth(await writeAuthJson(path.join(home, 'old'), { accountId: 'acc-4', expiresInSec: 60 }));
    expect(again.warnings.join(' ')).toMatch(/newer tokens/);
  });

  it('explains a missing file, an API-key-only file, malformed JSON and tokens without an account', async () => {
    const home = await tempHome();
    ({ pool } = await openPool(home));
    await expect(pool.importCodexAuth(path.join(home, 'nope', 'auth.json'))).rejects.toMatchObject({
      errorType: 'invalid_request_error',
      message: expect.stringMatching(/No Codex CLI login found at .*codex login/),
    });
    const apiKey = path.join(home, 'apikey.json');
    await writeFile(apiKey, JSON.stringify({ OPENAI_API_KEY: 'sk-test', tokens: null }));
    await expect(pool.importCodexAuth(apiKey)).rejects.toThrow(/only an OpenAI API key/);
    const broken = path.join(home, 'broken.json');
    await writeFile(broken, '{"tokens": {');
    await expect(pool.importCodexAuth(broken)).rejects.toThrow(/not valid JSON/);
    const anonymous = path.join(home, 'anon.json');
    const { id_token, access_token } = codexTokens({ accountId: '' });
    await writeFile(anonymous, JSON.stringify({ tokens: { id_token, access_token, refresh_token: 'rt' } }));
    await expect(pool.importCodexAuth(anonymous)).rejects.toThrow(/no ChatGPT account id/);
    expect((await pool.list()).accounts).toHaveLength(0);
  });

  it('is seen by a running pool on the same home without a restart (CLI while the server runs)', async () => {
    const home = await tempHome();
    ({ pool } = await openPool(home));
    expect(await pool.acquire({})).toMatchObject({ kind: 'none-configured' });
    const cli = (await openPool(home)).pool;
    await cli.importCodexAuth(await writeAuthJson(path.join(home, 'c'), { accountId: 'acc-5' }));
    await cli.close();
    const lease = await pool.acquire({});
    expect(lease).toMatchObject({ credentials: { chatgptAccountId: 'acc-5' } });
    expect(pool.counts()).toEqual({ total: 1, usable: 1 });
  });
});
