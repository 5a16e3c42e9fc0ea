// The request path serves tokens from memory and looks at accounts.json at most every half
// second, yet never hands out tokens older than what this process wrote or what another process
// wrote before this one last looked (or before it would refresh).
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { isLease, type AccountLease, type NoUsableAccount } from '../../../main/core/accounts/index.js';
import { TokenClient } from '../../../main/core/accounts/oauth/token-client.js';
import { Refresher } from '../../../main/core/accounts/refresher.js';
import { AccountStore } from '../../../main/core/accounts/store.js';
import { TokenCache } from '../../../main/core/accounts/token-cache.js';
import { parseTokens, serializeTokens, type TokenBundle } from '../../../main/core/accounts/tokens.js';
import { FileSecretStore } from '../../../main/core/secrets/file-store.js';
import type { SecretStore } from '../../../main/core/secrets/types.js';
import { startFakeIssuer, type FakeIdentity, type FakeIssuer } from '../../fakes/oauth-issuer.js';
import { openPool, tempHome, writeAuthJson, type TestPool } from './helpers.js';

const ME: FakeIdentity = { accountId: 'acc-c', email: 'cay@example.test', plan: 'plus' };
/** Longer than the access token minted at import, so a refreshed token is recognisably newer. */
const REFRESHED_TTL_S = 7200;

/** One process's view of the file secret store on a home, counting how often it is read. */
class CountingSecrets implements SecretStore {
  readonly kind = 'file' as const;
  readonly description = 'file store with a read counter (test)';
  reads = 0;
  private readonly inner: FileSecretStore;

  constructor(home: string) {
    this.inner = new FileSecretStore(home, { warn: () => undefined }, 'test');
  }

  get(id: string): Promise<string | undefined> {
    this.reads++;
    return this.inner.get(id);
  }

  set(id: string, value: string): Promise<void> {
    return this.inner.set(id, value);
  }

  delete(id: string): Promise<void> {
    return this.inner.delete(id);
  }

  ids(): Promise<string[]> {
    return this.inner.ids();
  }

  sweepTemps(): Promise<number> {
    return this.inner.sweepTemps();
  }
}

/** A clock that only moves when told, starting at the real time. */
function manualClock(): { now: () => number; advance: (ms: number) => void } {
  let t = Date.now();
  return { now: () => t, advance: (ms) => void (t += ms) };
}

let issuer: FakeIssuer;
const pools: TestPool[] = [];

beforeEach(async () => {
  issuer = await startFakeIssuer({ identity: ME, accessTtlSec: REFRESHED_TTL_S });
});
afterEach(async () => {
  vi.restoreAllMocks();
  for (const p of pools.splice(0)) await p.close();
  await issuer.close();
});

function lease(x: AccountLease | NoUsableAccount): AccountLease {
  if (!isLease(x)) throw new Error(`no lease: ${x.message}`);
  return x;
}

async function storedTokens(home: string, id: string): Promise<TokenBundle> {
  return parseTokens((await new FileSecretStore(home, { warn: () => undefined }, 'test').get(id)) as string);
}

/** A pool on `home` with its own counting secret store, as a separate process would have. */
async function processOn(home: string, now?: () => number): Promise<{ pool: TestPool; secrets: CountingSecrets }> {
  const secrets = new CountingSecrets(home);
  const { pool } = await openPool(home, { secrets, authUrl: issuer.url, ...(now ? { now } : {}) });
  pools.push(pool);
  return { pool, secrets };
}

/** A home with one imported account (access token valid for an hour), imported by a process that has exited. */
async function homeWithAccount(): Promise<{ home: string; id: string }> {
  const home = await tempHome();
  const cli = await processOn(home);
  const file = await writeAuthJson(path.join(home, 'codex'), { accountId: ME.accountId, tokens: issuer.mint(ME, 3600) });
  const { id } = await cli.pool.importCodexAuth(file);
  await cli.pool.close();
  pools.splice(pools.indexOf(cli.pool), 1);
  return { home, id };
}

describe('tokens served from memory', () => {
  it('reads the secret store for the first acquire of an account only', async () => {
    const { home } = await homeWithAccount();
    const { pool, secrets } = await processOn(home);
    const first = lease(await pool.acquire({}));
    expect(secrets.reads).toBe(1);
    for (let i = 0; i < 5; i++) expect(lease(await pool.acquire({})).credentials).toEqual(first.credentials);
    expect(secrets.reads).toBe(1);
  });

  it('tokens this process writes (an import) are served without reading them back', async () => {
    const home = await tempHome();
    const { pool, secrets } = await processOn(home);
    await pool.importCodexAuth(await writeAuthJson(path.join(home, 'codex'), { accountId: ME.accountId, tokens: issuer.mint(ME, 3600) }));
    const afterImport = secrets.reads;
    lease(await pool.acquire({}));
    expect(secrets.reads).toBe(afterImport);
  });

  it('a refresh replaces the bundle in memory', async () => {
    const { home, id } = await homeWithAccount();
    const { pool, secrets } = await processOn(home);
    const before = lease(await pool.acquire({}));
    await pool.refresh(id);
    expect(issuer.refreshCount()).toBe(1);
    const readsAfterRefresh = secrets.reads;
    const after = lease(await pool.acquire({}));
    expect(after.credentials.accessToken).not.toBe(before.credentials.accessToken);
    expect(after.credentials.accessToken).toBe((await storedTokens(home, id)).access_token);
    expect(secrets.reads).toBe(readsAfterRefresh);
  });

  it('an access token about to expire is still refreshed before it is handed out', async () => {
    const { home, id } = await homeWithAccount();
    const clock = manualClock();
    const { pool } = await processOn(home, clock.now);
    const before = lease(await pool.acquire({}));
    clock.advance(3500_000);
    const after = lease(await pool.acquire({}));
    expect(issuer.refreshCount()).toBe(1);
    expect(after.credentials.accessToken).not.toBe(before.credentials.accessToken);
    expect(after.credentials.accessToken).toBe((await storedTokens(home, id)).access_token);
  });
});

describe('tokens written by another process', () => {
  // Without fs.watch, which would usually announce the write sooner, what is left is the guarantee.
  beforeEach(() => {
    vi.spyOn(AccountStore.prototype, 'watch').mockImplementation(() => () => undefined);
  });

  /** A server process that has used the account, then the CLI refreshing it on the same home. */
  async function refreshedByAnotherProcess() {
    const { home, id } = await homeWithAccount();
    const clock = manualClock();
    const server = await processOn(home, clock.now);
    const cli = await processOn(home);
    lease(await server.pool.acquire({}));
    await cli.pool.refresh(id);
    return { home, id, clock, server };
  }

  it('are picked up once the accounts.json check window has passed', async () => {
    const { home, id, clock, server } = await refreshedByAnotherProcess();
    clock.advance(500);
    const after = lease(await server.pool.acquire({}));
    expect(after.credentials.accessToken).toBe((await storedTokens(home, id)).access_token);
    expect(issuer.refreshCount()).toBe(1);
  });

  it('are noticed when this process writes accounts.json itself before its next look', async () => {
    const { home, id, server } = await refreshedByAnotherProcess();
    // A write of the server's own (which does not look at the file first) meets the newer file under the lock.
    await server.pool.setStrategy('round-robin');
    const after = lease(await server.pool.acquire({}));
    expect(after.credentials.accessToken).toBe((await storedTokens(home, id)).access_token);
  });
});

describe('the accounts.json check on the request path', () => {
  it('runs at most once per window, while explicit calls always look', async () => {
    const { home } = await homeWithAccount();
    const clock = manualClock();
    const { pool } = await processOn(home, clock.now);
    const checks = vi.spyOn(AccountStore.prototype, 'reloadIfChanged');
    for (let i = 0; i < 5; i++) lease(await pool.acquire({}));
    expect(checks).toHaveBeenCalledTimes(1);
    await pool.list();
    expect(checks).toHaveBeenCalledTimes(2);
    clock.advance(499);
    lease(await pool.acquire({}));
    expect(checks).toHaveBeenCalledTimes(2);
    clock.advance(1);
    lease(await pool.acquire({}));
    expect(checks).toHaveBeenCalledTimes(3);
    clock.advance(-60_000);
    lease(await pool.acquire({}));
    expect(checks).toHaveBeenCalledTimes(4);
  });
});

describe('Refresher', () => {
  function refresherOn(home: string, now: () => number = Date.now): { refresher: Refresher; secrets: CountingSecrets } {
    const secrets = new CountingSecrets(home);
    const refresher = new Refresher({
      home,
      secrets,
      tokens: new TokenClient(issuer.url, fetch),
      now,
      onRefreshed: async () => undefined,
      onTerminal: async () => undefined,
    });
    return { refresher, secrets };
  }

  async function seeded(): Promise<{ home: string; id: string; first: TokenBundle }> {
    const home = await tempHome();
    const id = 'acct_cached';
    const first: TokenBundle = { ...issuer.mint(ME, 3600), last_refresh: new Date().toISOString() };
    await new FileSecretStore(home, { warn: () => undefined }, 'test').set(id, serializeTokens(first));
    return { home, id, first };
  }

  it('after a 401, re-reads the store under the lock and takes another process refresh instead of refreshing again', async () => {
    const { home, id, first } = await seeded();
    const { refresher, secrets } = refresherOn(home);
    expect((await refresher.ensureFresh(id)).access_token).toBe(first.access_token);
    const other = (await refresherOn(home).refresher.forceRefresh(id)).access_token;
    const readsBefore = secrets.reads;
    expect((await refresher.forceRefresh(id, first.access_token)).access_token).toBe(other);
    expect(secrets.reads).toBe(readsBefore + 1);
    expect(issuer.refreshCount()).toBe(1);
    expect((await refresher.ensureFresh(id)).access_token).toBe(other);
    expect(secrets.reads).toBe(readsBefore + 1);
  });

  it('when its copy is about to expire, re-reads the store under the lock and uses a newer token found there', async () => {
    const { home, id, first } = await seeded();
    const clock = manualClock();
    const { refresher } = refresherOn(home, clock.now);
    expect((await refresher.ensureFresh(id)).access_token).toBe(first.access_token);
    const other = (await refresherOn(home).refresher.forceRefresh(id)).access_token;
    clock.advance(3500_000);
    expect((await refresher.ensureFresh(id)).access_token).toBe(other);
    expect(issuer.refreshCount()).toBe(1);
  });

  it('forgets tokens it deleted', async () => {
    const { home, id } = await seeded();
    const { refresher } = refresherOn(home);
    await refresher.ensureFresh(id);
    await refresher.delete(id);
    await expect(refresher.ensureFresh(id)).rejects.toThrow(/No stored tokens/);
  });

  it('forgets everything on dropCache()', async () => {
    const { home, id } = await seeded();
    const { refresher, secrets } = refresherOn(home);
    await refresher.ensureFresh(id);
    refresher.dropCache();
    await refresher.ensureFresh(id);
    expect(secrets.reads).toBe(2);
  });
});

describe('TokenCache', () => {
  const bundle = (access: string): TokenBundle => ({ id_token: 'i', access_token: access, refresh_token: null, last_refresh: new Date(0).toISOString() });

  it('a read that started before a write or a drop does not put its older answer back', async () => {
    const cache = new TokenCache();
    let finishRead: (b: TokenBundle) => void = () => undefined;
    const slowRead = cache.load('a', () => new Promise<TokenBundle>((r) => (finishRead = r)));
    cache.put('a', bundle('new'));
    finishRead(bundle('old'));
    expect((await slowRead)?.access_token).toBe('old');
    expect(cache.get('a')?.access_token).toBe('new');

    const readBeforeDrop = cache.load('b', async () => bundle('old'));
    cache.clear();
    await readBeforeDrop;
    expect(cache.get('b')).toBeUndefined();
  });

  it('a read that finds nothing, or fails, forgets what it held', async () => {
    const cache = new TokenCache();
    cache.put('a', bundle('x'));
    await cache.load('a', async () => undefined);
    expect(cache.get('a')).toBeUndefined();
    cache.put('a', bundle('x'));
    await expect(cache.load('a', () => Promise.reject(new Error('unreadable')))).rejects.toThrow('unreadable');
    expect(cache.get('a')).toBeUndefined();
  });
});
