// Recovery without a restart with the product's default intervals, on a clock the test moves:
// while every account is cooling after a usage limit, one request a minute goes through as a
// probe, and the usage poll looks at cooling accounts every minute. Either way a limit that
// lifts early is noticed within 75 s (60 s, plus at most 15 s for the usage call).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { isLease, type AccountLease, type NoUsableAccount } from '../../../main/core/accounts/index.js';
import { answered, quotaHeaders, usageLimit429, usagePool, type TestPool, type UsageBody } from './helpers.js';

const pools: TestPool[] = [];
afterEach(async () => {
  vi.useRealTimers();
  for (const p of pools.splice(0)) await p.close();
});

/** A clock that only moves when told, starting at the real time. */
function manualClock(): { now: () => number; advance: (ms: number) => void } {
  let t = Date.now();
  return { now: () => t, advance: (ms) => void (t += ms) };
}

function lease(x: AccountLease | NoUsableAccount): AccountLease {
  if (!isLease(x)) throw new Error(`no lease: ${x.message}`);
  return x;
}

/** Two accounts, both spent for three hours, with the default probe interval and no poll. */
async function spentPair(clock: { now: () => number }) {
  const made = await usagePool(2, {}, { now: clock.now, usagePollMs: 0 });
  pools.push(made.pool);
  const resetsAt = Math.floor(clock.now() / 1000) + 3 * 3600;
  for (const id of made.ids) expect(await made.pool.report(id, usageLimit429(resetsAt))).toBe('next');
  return { ...made, resetsAt };
}

describe('half-open circuit: one probe a minute while every account is cooling', () => {
  it('lets no request through in the first minute, then exactly one', async () => {
    const clock = manualClock();
    const { pool } = await spentPair(clock);
    expect(await pool.acquire({})).toMatchObject({ kind: 'all-unusable' });
    clock.advance(59_000);
    expect(await pool.acquire({})).toMatchObject({ kind: 'all-unusable' });
    clock.advance(1_000);
    const probe = lease(await pool.acquire({ sessionKey: 'a' }));
    // While the probe is out, and for a minute after, everyone else hears the limit.
    expect(await pool.acquire({ sessionKey: 'b' })).toMatchObject({ kind: 'all-unusable' });
    clock.advance(30_000);
    expect(await pool.acquire({ sessionKey: 'c' })).toMatchObject({ kind: 'all-unusable' });
    expect(probe.id).toBeTruthy();
  });

  it('a probe that is served lifts its account; one that meets the limit keeps it, and the next probe tries the other', async () => {
    const clock = manualClock();
    const { pool, ids, resetsAt } = await spentPair(clock);
    clock.advance(60_000);
    const first = lease(await pool.acquire({}));
    expect(await pool.report(first.id, usageLimit429(resetsAt))).toBe('next');
    // The failover inside the same request gets no second probe.
    expect(await pool.acquire({ exclude: new Set([first.id]) })).toMatchObject({ kind: 'all-unusable' });
    clock.advance(60_000);
    const second = lease(await pool.acquire({}));
    expect(second.id).not.toBe(first.id);
    expect(ids).toContain(second.id);
    expect(await pool.report(second.id, answered({ status: 200, headers: new Headers() }))).toBe('ok');
    const accounts = (await pool.list()).accounts;
    expect(accounts.find((a) => a.id === second.id)).toMatchObject({ status: 'active', status_until: null });
    expect(accounts.find((a) => a.id === first.id)?.status).toBe('cooldown');
    expect(lease(await pool.acquire({})).id).toBe(second.id);
  });

  it('a probe refused for another reason still lifts the limit when its quota headers show room', async () => {
    const clock = manualClock();
    const { pool } = await spentPair(clock);
    clock.advance(60_000);
    const probe = lease(await pool.acquire({}));
    const headers = quotaHeaders({ 'x-codex-primary-used-percent': 3, 'x-codex-primary-window-minutes': 300 });
    expect(await pool.report(probe.id, answered({ status: 500, headers }))).toBe('next');
    expect((await pool.list()).accounts.find((a) => a.id === probe.id)?.status).toBe('active');
  });

  it('does not probe accounts that waiting cannot fix', async () => {
    const clock = manualClock();
    const made = await usagePool(1, {}, { now: clock.now, usagePollMs: 0 });
    pools.push(made.pool);
    await made.pool.report(
      made.ids[0],
      answered({
        status: 429,
        headers: new Headers(),
        body: '{"error":{"type":"usage_not_included"}}',
      }),
    );
    clock.advance(10 * 60_000);
    expect(await made.pool.acquire({})).toMatchObject({ kind: 'all-unusable' });
  });
});

describe('the usage poll, every minute by default', () => {
  it('clears a cooldown when the snapshot says limit_reached: false, even with a full window', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const usage: Record<string, UsageBody> = {
      'acc-0': {
        rate_limit: {
          allowed: false,
          limit_reached: true,
          primary_window: { used_percent: 100, limit_window_seconds: 18000 },
        },
      },
    };
    // No usagePollMs: the product default.
    const made = await usagePool(1, usage, { usagePollMs: undefined });
    pools.push(made.pool);
    await made.pool.report(made.ids[0], usageLimit429(Math.floor(Date.now() / 1000) + 3 * 3600));

    vi.advanceTimersByTime(60_000);
    await vi.waitFor(() => expect(made.usageCalls).toEqual(['acc-0']));
    expect((await made.pool.list()).accounts[0].status).toBe('cooldown');

    // Credits bought: the window is still full, but the backend lets requests through.
    usage['acc-0'] = {
      rate_limit: {
        allowed: true,
        limit_reached: false,
        primary_window: { used_percent: 100, limit_window_seconds: 18000 },
      },
    };
    vi.advanceTimersByTime(60_000);
    await vi.waitFor(async () => expect((await made.pool.list()).accounts[0].status).toBe('active'));
    expect(made.usageCalls).toEqual(['acc-0', 'acc-0']);
  });
});
