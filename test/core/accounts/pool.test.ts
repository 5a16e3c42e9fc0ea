import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  isLease,
  type AccountLease,
  type AccountsService,
  type NoUsableAccount,
} from '../../../main/core/accounts/index.js';
import {
  answered,
  openPool,
  quotaHeaders,
  tempHome,
  usageLimit429,
  usagePool,
  writeAuthJson,
  type TestPool,
  type UsageBody,
} from './helpers.js';

const pools: TestPool[] = [];
afterEach(async () => {
  for (const p of pools.splice(0)) await p.close();
});

/** usagePool, closed after the test. */
async function poolWith(
  n: number,
  usage: Record<string, UsageBody> = {},
  overrides: Parameters<typeof usagePool>[2] = {},
) {
  const made = await usagePool(n, usage, overrides);
  pools.push(made.pool);
  return made;
}

function lease(x: AccountLease | NoUsableAccount): AccountLease {
  if (!isLease(x)) throw new Error(`no lease: ${x.message}`);
  return x;
}

const NOW_S = (): number => Math.floor(Date.now() / 1000);

describe('no account', () => {
  it('explains how to add one', async () => {
    const { pool } = await openPool(await tempHome());
    pools.push(pool);
    const answer = await pool.acquire({});
    expect(answer).toMatchObject({ kind: 'none-configured' });
    expect((answer as NoUsableAccount).message).toMatch(/accounts import.*accounts add.*dashboard/s);
    expect(pool.counts()).toEqual({ total: 0, usable: 0 });
  });
});

describe('report(): what the request path should do next', () => {
  it('2xx records the quota headers and answers ok', async () => {
    const { pool, ids } = await poolWith(1);
    const l = lease(await pool.acquire({}));
    const headers = quotaHeaders({
      'x-codex-primary-used-percent': 25,
      'x-codex-primary-window-minutes': 300,
      'x-codex-primary-reset-after-seconds': 600,
      'x-codex-secondary-used-percent': 10,
      'x-codex-secondary-window-minutes': 10080,
    });
    expect(await pool.report(l.id, answered({ status: 200, headers }))).toBe('ok');
    const [acct] = (await pool.list()).accounts;
    expect(acct.id).toBe(ids[0]);
    expect(acct.quota.five_hour).toMatchObject({ used_percent: 25, window_minutes: 300 });
    expect(acct.quota.weekly).toMatchObject({ used_percent: 10 });
    expect(await pool.quota()).toMatchObject({
      accounts: 1,
      usable: 1,
      five_hour_remaining_percent: 75,
      weekly_remaining_percent: 90,
    });
  });

  it('usage_limit_reached cools the account down until its reset and fails over to the next one', async () => {
    const { pool, ids } = await poolWith(2);
    await pool.setPreferred(ids[0]);
    const first = lease(await pool.acquire({ sessionKey: 's' }));
    expect(first.id).toBe(ids[0]);
    const resetsAt = NOW_S() + 3 * 3600;
    expect(await pool.report(first.id, usageLimit429(resetsAt))).toBe('next');
    const second = lease(await pool.acquire({ sessionKey: 's', exclude: new Set([first.id]) }));
    expect(second.id).toBe(ids[1]);
    const listed = (await pool.list()).accounts.find((a) => a.id === ids[0]);
    expect(listed).toMatchObject({
      status: 'cooldown',
      status_until: resetsAt,
      status_reason: expect.stringMatching(/usage limit reached/),
    });
    // Later requests skip it even though it is preferred.
    expect(lease(await pool.acquire({})).id).toBe(ids[1]);
  });

  it('plain 429, 403, overload and 5xx fail over; request errors give up', async () => {
    const { pool, ids } = await poolWith(1);
    const l = lease(await pool.acquire({}));
    expect(
      await pool.report(l.id, answered({ status: 400, headers: new Headers(), body: '{"error":{"message":"bad"}}' })),
    ).toBe('give-up');
    expect(await pool.report(l.id, answered({ status: 404, headers: new Headers() }))).toBe('give-up');
    expect(await pool.report(l.id, answered({ status: 413, headers: new Headers() }))).toBe('give-up');
    expect(await pool.report(l.id, answered({ status: 500, headers: new Headers() }))).toBe('next');
    expect((await pool.list()).accounts[0].status).toBe('active');
    expect(
      await pool.report(
        l.id,
        answered({
          status: 200,
          headers: new Headers(),
          streamError: { code: 'server_is_overloaded', message: 'busy' },
        }),
      ),
    ).toBe('next');
    expect((await pool.list()).accounts[0]).toMatchObject({
      status: 'cooldown',
      status_reason: expect.stringMatching(/overloaded/),
    });
    expect(
      await pool.report(
        l.id,
        answered({ status: 429, headers: new Headers({ 'retry-after': '12' }), body: '{"detail":"slow down"}' }),
      ),
    ).toBe('next');
    const until = (await pool.list()).accounts[0].status_until as number;
    expect(until).toBeGreaterThanOrEqual(NOW_S() + 11);
    expect(until).toBeLessThanOrEqual(NOW_S() + 12);
    expect(
      await pool.report(l.id, answered({ status: 403, headers: new Headers(), body: '{"detail":"Forbidden"}' })),
    ).toBe('next');
    expect((await pool.list()).accounts[0].status_reason).toMatch(/forbidden/);
    expect(await pool.report('acct_unknown', answered({ status: 200, headers: new Headers() }))).toBe('give-up');
    expect(ids).toHaveLength(1);
  });
});

describe('every account unusable', () => {
  it('one message naming each account and the earliest reset, with retry-after > 60 s when that is far', async () => {
    const { pool, ids } = await poolWith(2);
    const soon = NOW_S() + 2 * 3600;
    const later = NOW_S() + 5 * 3600;
    await pool.report(ids[0], usageLimit429(later));
    await pool.report(ids[1], usageLimit429(soon));
    const answer = await pool.acquire({});
    expect(answer).toMatchObject({ kind: 'all-unusable' });
    const { message, retryAfterSeconds } = answer as NoUsableAccount;
    expect(message).toMatch(/All 2 ChatGPT accounts are unavailable/);
    expect(message).toMatch(/u0@example\.test: usage limit reached/);
    expect(message).toMatch(/u1@example\.test: usage limit reached/);
    expect(message).toContain(`Earliest reset: ${new Date(soon * 1000).toISOString().replace('.000Z', 'Z')}`);
    expect(retryAfterSeconds).toBeGreaterThan(60);
    expect(retryAfterSeconds).toBeLessThanOrEqual(2 * 3600);
    expect(await pool.quota()).toMatchObject({ accounts: 2, usable: 0, next_reset_at: soon });
  });

  it('a short wait gives a short retry-after', async () => {
    const { pool, ids } = await poolWith(1);
    await pool.report(ids[0], answered({ status: 429, headers: new Headers({ 'retry-after': '20' }) }));
    const answer = (await pool.acquire({})) as NoUsableAccount;
    expect(answer.retryAfterSeconds).toBeGreaterThan(0);
    expect(answer.retryAfterSeconds).toBeLessThanOrEqual(20);
  });
});

describe('quota', () => {
  it('fresh usage data showing the window reset lifts a usage-limit cooldown early', async () => {
    const usage: Record<string, UsageBody> = {};
    const { pool, ids, usageCalls } = await poolWith(1, usage);
    await pool.report(ids[0], usageLimit429(NOW_S() + 4 * 3600));
    expect(pool.counts().usable).toBe(0);
    usage['acc-0'] = {
      plan_type: 'plus',
      rate_limit: {
        allowed: true,
        limit_reached: false,
        primary_window: { used_percent: 2, limit_window_seconds: 18000, reset_after_seconds: 17000 },
        secondary_window: { used_percent: 40, limit_window_seconds: 604800, reset_after_seconds: 100000 },
      },
    };
    await pool.refreshQuota();
    expect(usageCalls).toEqual(['acc-0']);
    const [acct] = (await pool.list()).accounts;
    expect(acct).toMatchObject({
      status: 'active',
      status_until: null,
      quota: { five_hour: { used_percent: 2 }, weekly: { used_percent: 40 } },
    });
    expect(isLease(await pool.acquire({}))).toBe(true);
  });

  it('the background poll looks at cooling accounts by itself', async () => {
    const usage: Record<string, UsageBody> = {};
    const { pool, ids } = await poolWith(1, usage, { usagePollMs: 20 });
    await pool.report(ids[0], usageLimit429(NOW_S() + 3600));
    usage['acc-0'] = {
      rate_limit: { limit_reached: false, primary_window: { used_percent: 0, limit_window_seconds: 18000 } },
    };
    await vi.waitFor(async () => expect((await pool.list()).accounts[0].status).toBe('active'), { timeout: 5_000 });
  });

  it('usage data that still shows the limit keeps the cooldown', async () => {
    const usage: Record<string, UsageBody> = {
      'acc-0': {
        rate_limit: {
          allowed: false,
          limit_reached: true,
          primary_window: { used_percent: 100, limit_window_seconds: 18000, reset_after_seconds: 3600 },
        },
      },
    };
    const { pool, ids } = await poolWith(1, usage);
    await pool.report(ids[0], usageLimit429(NOW_S() + 3600));
    await pool.refreshQuota(ids[0]);
    expect((await pool.list()).accounts[0].status).toBe('cooldown');
  });

  it('quota survives in the store for other processes (e.g. `accounts list`)', async () => {
    const { pool, home } = await poolWith(1);
    const l = lease(await pool.acquire({}));
    await pool.report(
      l.id,
      answered({
        status: 200,
        headers: quotaHeaders({ 'x-codex-primary-used-percent': 33, 'x-codex-primary-window-minutes': 300 }),
      }),
    );
    await pool.close();
    pools.length = 0;
    const { pool: other } = await openPool(home);
    pools.push(other);
    expect((await other.list()).accounts[0].quota.five_hour?.used_percent).toBe(33);
  });
});

describe('selection', () => {
  it('sticky keeps a session on one account, round-robin rotates, least-used follows headroom; persisted', async () => {
    const { pool, ids, home } = await poolWith(3);
    const s1 = lease(await pool.acquire({ sessionKey: 'one' })).id;
    for (let i = 0; i < 3; i++) expect(lease(await pool.acquire({ sessionKey: 'one' })).id).toBe(s1);
    expect(pool.sessions()).toEqual([{ session: 'one', account: s1, last_used: expect.any(Number) }]);

    await pool.setStrategy('round-robin');
    const seen = [];
    for (let i = 0; i < 3; i++) seen.push(lease(await pool.acquire({ sessionKey: 'one' })).id);
    expect(new Set(seen)).toEqual(new Set(ids));

    await pool.setStrategy('least-used');
    for (const [i, used] of [80, 10, 50].entries()) {
      await pool.report(
        ids[i],
        answered({
          status: 200,
          headers: quotaHeaders({ 'x-codex-primary-used-percent': used, 'x-codex-primary-window-minutes': 300 }),
        }),
      );
    }
    expect(lease(await pool.acquire({})).id).toBe(ids[1]);

    await pool.setPreferred(ids[2]);
    expect(lease(await pool.acquire({})).id).toBe(ids[2]);
    const { pool: other } = await openPool(home);
    pools.push(other);
    const listed = await other.list();
    expect(listed.strategy).toBe('least-used');
    expect(listed.accounts.find((a) => a.preferred)?.id).toBe(ids[2]);
    await expect(pool.setStrategy('random' as never)).rejects.toThrow(/Unknown strategy/);
    await expect(pool.setPreferred('acct_nope')).rejects.toThrow(/No account/);
  });

  it('skips accounts the request already tried', async () => {
    const { pool, ids } = await poolWith(2);
    const first = lease(await pool.acquire({ sessionKey: 'x' }));
    const second = lease(await pool.acquire({ sessionKey: 'x', exclude: new Set([first.id]) }));
    expect(second.id).not.toBe(first.id);
    const none = (await pool.acquire({ sessionKey: 'x', exclude: new Set(ids) })) as NoUsableAccount;
    expect(none).toMatchObject({ kind: 'all-unusable' });
    expect(none.message).toMatch(/already failed for this request/);
  });
});

describe('other processes', () => {
  it('announce their changes to a running pool (the dashboard refreshes without polling)', async () => {
    const { pool, home } = await poolWith(0);
    let changes = 0;
    pool.on('change', () => void changes++);
    const { pool: cli } = await openPool(home);
    pools.push(cli);
    await cli.importCodexAuth(await writeAuthJson(path.join(home, 'late'), { accountId: 'acc-late' }));
    await vi.waitFor(() => expect(changes).toBeGreaterThan(0), { timeout: 5_000 });
    expect(pool.counts().total).toBe(1);
  });
});

describe('management', () => {
  it('removes an account with its tokens and emits change events', async () => {
    const { pool, ids } = await poolWith(2);
    let changes = 0;
    const onChange = (): void => void changes++;
    pool.on('change', onChange);
    await pool.setPreferred(ids[0]);
    expect(await pool.remove(ids[0])).toBe(true);
    expect(await pool.remove(ids[0])).toBe(false);
    pool.off('change', onChange);
    expect(changes).toBeGreaterThanOrEqual(2);
    const listed = await pool.list();
    expect(listed.accounts.map((a) => a.id)).toEqual([ids[1]]);
    expect(listed.accounts[0].preferred).toBe(false);
  });

  it('keeps an OpenRouter key in the same secret store', async () => {
    const { pool } = await poolWith(0);
    const service: AccountsService = pool;
    expect(await service.getOpenRouterKey()).toBeNull();
    await service.setOpenRouterKey('sk-or-test');
    expect(await service.getOpenRouterKey()).toBe('sk-or-test');
    await service.setOpenRouterKey(null);
    expect(await service.getOpenRouterKey()).toBeNull();
  });
});
