// Recovery without a restart, through the real server against the strict fake backend: every
// account is spent, then the limit lifts early (OpenAI resets it, the user buys credits), and
// the proxy finds out by itself — from the usage poll or from one probe request — with no
// restart and no call to the accounts API. The intervals are shortened through the environment
// so the test is quick; the product defaults (60 s each) are checked in recovery.test.ts.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startTestProxy, type TestProxy } from '../../support/proxy.js';
import { ask } from '../../faults/support.js';

let p: TestProxy | null = null;
afterEach(async () => {
  await p?.close();
  p = null;
});

/** Upstream calls so far, by endpoint. */
function calls(proxy: TestProxy, endpoint: 'responses' | 'usage'): number {
  const suffix = endpoint === 'responses' ? '/codex/responses' : '/wham/usage';
  return proxy.fake.requests.filter((r) => r.path.split('?')[0].endsWith(suffix)).length;
}

/** Spends every account upstream and lets one request find out: the client gets a 429. */
async function spendAll(proxy: TestProxy): Promise<void> {
  for (const id of proxy.accountIds) proxy.fake.limitAccount(id, 3 * 3600);
  const res = await ask(proxy.url);
  expect(res.status).toBe(429);
  await res.text();
  const accounts = (await proxy.core.pool.list()).accounts;
  expect(accounts.map((a) => a.status)).toEqual(['cooldown', 'cooldown']);
}

/** Asks until a request is served (the shortened intervals make that quick). */
async function servedAgain(proxy: TestProxy): Promise<void> {
  await vi.waitFor(
    async () => {
      const res = await ask(proxy.url);
      const text = await res.text();
      expect(res.status, text).toBe(200);
    },
    { timeout: 15_000, interval: 50 },
  );
}

describe('every account spent, then the limit lifts early', () => {
  it('the usage poll sees limit_reached: false and the next request is served', async () => {
    p = await startTestProxy({
      accounts: 2,
      // Probes are kept out of the way: only the poll can notice here.
      env: { CODEX_CLAUDE_PROXY_USAGE_POLL_MS: '50', CODEX_CLAUDE_PROXY_PROBE_MS: '3600000' },
    });
    const proxy = p;
    await spendAll(proxy);
    const spentCalls = calls(proxy, 'responses');
    // While the limit holds, the poll keeps seeing it, and requests are answered locally.
    const usageBefore = calls(proxy, 'usage');
    await vi.waitFor(() => expect(calls(proxy, 'usage')).toBeGreaterThan(usageBefore + 4), { timeout: 10_000 });
    const still = await ask(proxy.url);
    expect(still.status).toBe(429);
    await still.text();
    expect(calls(proxy, 'responses')).toBe(spentCalls);

    for (const id of proxy.accountIds) proxy.fake.liftLimit(id);
    await servedAgain(proxy);
  });

  it('with the poll off, one probe request goes through and is served', async () => {
    p = await startTestProxy({
      accounts: 2,
      env: { CODEX_CLAUDE_PROXY_USAGE_POLL_MS: '0', CODEX_CLAUDE_PROXY_PROBE_MS: '100' },
    });
    const proxy = p;
    await spendAll(proxy);
    for (const id of proxy.accountIds) proxy.fake.liftLimit(id);
    await servedAgain(proxy);
    expect(calls(proxy, 'usage')).toBe(0);
    expect((await proxy.core.pool.list()).accounts.some((a) => a.status === 'active')).toBe(true);
  });

  it('a probe that finds the limit still there keeps the cooldown and tells the client', async () => {
    p = await startTestProxy({
      accounts: 1,
      env: { CODEX_CLAUDE_PROXY_USAGE_POLL_MS: '0', CODEX_CLAUDE_PROXY_PROBE_MS: '100' },
    });
    const proxy = p;
    proxy.fake.limitAccount(proxy.accountIds[0], 3 * 3600);
    const first = await ask(proxy.url);
    expect(first.status).toBe(429);
    await first.text();
    const spentCalls = calls(proxy, 'responses');
    // Some later request is let through as a probe; it meets the limit and the client hears why.
    await vi.waitFor(
      async () => {
        const res = await ask(proxy.url);
        expect(res.status).toBe(429);
        expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/usage limit/);
        expect(calls(proxy, 'responses')).toBeGreaterThan(spentCalls);
      },
      { timeout: 15_000, interval: 50 },
    );
    expect((await proxy.core.pool.list()).accounts[0].status).toBe('cooldown');
  });
});
