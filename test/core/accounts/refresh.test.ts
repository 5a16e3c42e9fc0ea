import { spawn, type ChildProcess } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isLease, type AccountLease, type NoUsableAccount } from '../../../main/core/accounts/index.js';
import { tokenExpiry } from '../../../main/core/accounts/claims.js';
import { FileSecretStore } from '../../../main/core/secrets/file-store.js';
import { parseTokens } from '../../../main/core/accounts/tokens.js';
import { startFakeIssuer, type FakeIssuer, type FakeIdentity } from '../../fakes/oauth-issuer.js';
import { answered, openPool, tempHome, writeAuthJson, type TestPool } from './helpers.js';

const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'refresh-child.ts');
const ME: FakeIdentity = { accountId: 'acc-r', email: 'rae@example.test', plan: 'plus' };

let issuer: FakeIssuer;
const pools: TestPool[] = [];

beforeEach(async () => {
  issuer = await startFakeIssuer({ identity: ME, refreshDelayMs: 200 });
});
afterEach(async () => {
  for (const p of pools.splice(0)) await p.close();
  await issuer.close();
});

/** A home holding one imported account whose access token lives `ttlSec` more seconds. */
async function homeWithAccount(
  ttlSec: number,
): Promise<{ home: string; pool: TestPool; id: string; refreshToken: string }> {
  const home = await tempHome();
  const minted = issuer.mint(ME, ttlSec);
  const { pool } = await openPool(home, { authUrl: issuer.url });
  pools.push(pool);
  const imported = await pool.importCodexAuth(
    await writeAuthJson(path.join(home, 'codex'), { accountId: ME.accountId, tokens: minted }),
  );
  return { home, pool, id: imported.id, refreshToken: minted.refresh_token };
}

async function storedTokens(home: string, id: string) {
  const raw = await new FileSecretStore(home, { warn: () => undefined }, 'test').get(id);
  return parseTokens(raw as string);
}

function lease(x: AccountLease | NoUsableAccount): AccountLease {
  if (!isLease(x)) throw new Error(`no lease: ${x.message}`);
  return x;
}

describe('refresh ahead of expiry', () => {
  it('refreshes a token with less than 5 minutes left, once for many concurrent requests', async () => {
    const { pool, home, id, refreshToken } = await homeWithAccount(120);
    const leases = (await Promise.all([1, 2, 3, 4, 5].map(() => pool.acquire({})))).map(lease);
    expect(issuer.refreshCount()).toBe(1);
    expect(new Set(leases.map((l) => l.credentials.accessToken)).size).toBe(1);
    const stored = await storedTokens(home, id);
    expect(stored.access_token).toBe(leases[0].credentials.accessToken);
    expect(tokenExpiry(stored.access_token)).toBeGreaterThan(Date.now() / 1000 + 3000);
    expect(issuer.isLive(refreshToken)).toBe(false);
    expect(issuer.isLive(stored.refresh_token as string)).toBe(true);
    const refresh = issuer.tokenRequests.find((r) => r.grant_type === 'refresh_token');
    expect(refresh).toEqual({
      grant_type: 'refresh_token',
      content_type: 'application/json',
      keys: ['client_id', 'grant_type', 'refresh_token'],
    });
  });

  it('leaves a token with plenty of time alone', async () => {
    const { pool } = await homeWithAccount(3600);
    lease(await pool.acquire({}));
    expect(issuer.refreshCount()).toBe(0);
  });
});

describe('refresh races between processes', () => {
  function runChild(
    home: string,
    goFile: string,
  ): { child: ChildProcess; ready: Promise<void>; result: Promise<{ token?: string; error?: string }> } {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, home, issuer.url, goFile], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    let onReady: () => void;
    const ready = new Promise<void>((r) => (onReady = r));
    child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('ready\n')) onReady();
    });
    const result = new Promise<{ token?: string; error?: string }>((resolve, reject) => {
      child.on('exit', (code) => {
        const line = out.split('\n').find((l) => l.startsWith('{'));
        if (code === 0 && line) resolve(JSON.parse(line) as { token?: string; error?: string });
        else reject(new Error(`child exited ${code}: ${err}`));
      });
    });
    return { child, ready, result };
  }

  it('two processes refreshing the same account at once: exactly one refresh reaches the issuer, both get valid tokens', async () => {
    const { home, id, pool } = await homeWithAccount(60);
    await pool.close();
    pools.length = 0;
    const goFile = path.join(home, 'go');
    const a = runChild(home, goFile);
    const b = runChild(home, goFile);
    await Promise.all([a.ready, b.ready]);
    await writeFile(goFile, 'go');
    const [ra, rb] = await Promise.all([a.result, b.result]);
    expect(ra.error ?? rb.error).toBeUndefined();
    expect(issuer.refreshCount()).toBe(1);
    expect(ra.token).toBe(rb.token);
    const stored = await storedTokens(home, id);
    expect(stored.access_token).toBe(ra.token);
    expect(tokenExpiry(stored.access_token)).toBeGreaterThan(Date.now() / 1000 + 3000);
    expect(issuer.isLive(stored.refresh_token as string)).toBe(true);
  });
});

describe('refresh failures', () => {
  it('a terminal failure marks the account needs_relogin until its access token dies, and skips it', async () => {
    const { pool } = await homeWithAccount(120);
    issuer.setRefreshFailure('refresh_token_expired');
    const answer = await pool.acquire({});
    expect(answer).toMatchObject({ kind: 'all-unusable', retryAfterSeconds: 3600 });
    expect((answer as NoUsableAccount).message).toMatch(
      /rae@example\.test: needs a new sign-in \(refresh token rejected: refresh_token_expired\)/,
    );
    expect((answer as NoUsableAccount).message).toMatch(/accounts add/);
    const [acct] = (await pool.list()).accounts;
    expect(acct.status).toBe('needs_relogin');
    expect(acct.status_until).toBeGreaterThan(Date.now() / 1000 + 60);
    expect(acct.status_until).toBeLessThanOrEqual(Date.now() / 1000 + 120);
    expect(pool.counts()).toEqual({ total: 1, usable: 0 });
    // No more attempts for traffic.
    await pool.acquire({});
    expect(issuer.refreshCount()).toBe(1);
  });

  it('a refresh token the Codex CLI already spent is detected as reused', async () => {
    const { pool, refreshToken } = await homeWithAccount(120);
    // The Codex CLI refreshes its copy first.
    await fetch(`${issuer.url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        client_id: 'app_EMoamEEZ73f0CkXaXp7hrann',
        grant_type: 'refresh_token',
        refresh_token: refreshToken,
      }),
    });
    expect(await pool.acquire({})).toMatchObject({ kind: 'all-unusable' });
    expect((await pool.list()).accounts[0]).toMatchObject({
      status: 'needs_relogin',
      status_reason: expect.stringMatching(/refresh_token_reused/),
    });
  });

  it('a passing failure keeps the account: the old token is used while it lasts, else a short cooldown', async () => {
    issuer.setRefreshFailure('server_error');
    const still = await homeWithAccount(200);
    expect(isLease(await still.pool.acquire({}))).toBe(true);
    expect((await still.pool.list()).accounts[0].status).toBe('active');

    const dead = await homeWithAccount(-10);
    const answer = await dead.pool.acquire({});
    expect(answer).toMatchObject({ kind: 'all-unusable' });
    expect((answer as NoUsableAccount).retryAfterSeconds).toBeLessThanOrEqual(30);
    expect((await dead.pool.list()).accounts[0]).toMatchObject({
      status: 'cooldown',
      status_reason: expect.stringMatching(/token refresh failed/),
    });
    issuer.setRefreshFailure(null);
    const again = await dead.pool.refresh((await dead.pool.list()).accounts[0].id);
    expect(again.status).toBe('active');
  });
});

describe('refresh after a 401', () => {
  it('refreshes once and answers retry-same with the new credentials on the next acquire', async () => {
    const { pool } = await homeWithAccount(3600);
    const first = lease(await pool.acquire({ sessionKey: 's1' }));
    const decision = await pool.report(
      first.id,
      answered({ status: 401, headers: new Headers(), body: '{"detail":"Unauthorized"}' }),
    );
    expect(decision).toBe('retry-same');
    expect(issuer.refreshCount()).toBe(1);
    const second = lease(await pool.acquire({ sessionKey: 's1' }));
    expect(second.id).toBe(first.id);
    expect(second.credentials.accessToken).not.toBe(first.credentials.accessToken);
    // A request that still carried the old token and comes back 401 does not trigger another refresh.
    expect(await pool.report(first.id, answered({ status: 401, headers: new Headers() }))).toBe('retry-same');
    expect(issuer.refreshCount()).toBe(1);
  });

  it('fails over when the refresh after a 401 is refused for good', async () => {
    const { pool } = await homeWithAccount(3600);
    const first = lease(await pool.acquire({}));
    issuer.setRefreshFailure('invalid_grant');
    expect(await pool.report(first.id, answered({ status: 401, headers: new Headers() }))).toBe('next');
    expect((await pool.list()).accounts[0].status).toBe('needs_relogin');
  });
});
