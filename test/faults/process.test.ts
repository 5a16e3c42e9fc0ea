// Fault matrix, part 3: faults at the level of whole processes. The server runs in a child
// process here, so that a crash shows as a dead process (not as an error the test runner
// swallows), so that kill -9 really cuts it mid-write, and so that two servers can share one
// data dir as the CLI and the desktop app do.
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeIssuer, type FakeIssuer } from '../fakes/oauth-issuer.js';
import type { FakeCodexOptions, Reply } from '../fakes/codex-backend.js';
import { ev, toSse } from '../fakes/codex-events.js';
import { parseTokens } from '../../main/core/accounts/tokens.js';
import { openSecretStore } from '../../main/core/secrets/index.js';
import { startTestProxy, type TestProxy } from '../support/proxy.js';
import { writeAuthJson } from '../core/accounts/helpers.js';
import { answerEvents, ask, claudeBody, savedState, spawnCore, sse, type ChildCore } from './support.js';

const IDLE_MS = 500;
const children: ChildCore[] = [];
const cleanups: Array<() => Promise<void>> = [];

afterEach(async () => {
  for (const c of children.splice(0)) {
    if (c.child.exitCode === null && c.child.signalCode === null) c.child.kill('SIGKILL');
    await c.exited;
  }
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/**
 * A data dir with accounts imported by an in-process core that is then shut down, so only child
 * processes use it. With an issuer, the accounts carry refresh tokens the issuer honours.
 */
async function dataDir(opts: {
  accounts: number;
  fake?: FakeCodexOptions;
  issuer?: FakeIssuer;
  env?: Record<string, string>;
}): Promise<TestProxy> {
  const p = await startTestProxy({
    accounts: opts.issuer ? 0 : opts.accounts,
    fake: opts.fake,
    env: { ...(opts.issuer ? { OPENAI_AUTH_URL: opts.issuer.url } : {}), ...opts.env },
  });
  if (opts.issuer) {
    for (let i = 1; i <= opts.accounts; i++) {
      const accountId = `acct-${i}`;
      const tokens = opts.issuer.mint({ accountId, email: `user${i}@example.com` }, 3600);
      const file = await writeAuthJson(path.join(p.home, `import-${i}`), { accountId, tokens });
      p.accountIds.push((await p.core.pool.importCodexAuth(file)).id);
    }
  }
  await p.core.close();
  cleanups.push(async () => {
    await p.fake.close();
    await rm(p.home, { recursive: true, force: true });
  });
  return p;
}

async function child(env: NodeJS.ProcessEnv): Promise<ChildCore> {
  const c = await spawnCore(env);
  children.push(c);
  return c;
}

function alive(c: ChildCore): boolean {
  return c.child.exitCode === null && c.child.signalCode === null;
}

describe('the server process survives every upstream fault', () => {
  const midContent = [ev.created(), ...ev.textMessage('Partial answer').slice(0, 3)];
  const faults: Array<[string, Reply]> = [
    ['overload error event before content', sse([ev.created(), ev.error('server_is_overloaded', 'busy')])],
    ['response.failed before content', sse([ev.created(), ev.failed('server_is_overloaded', 'busy')])],
    ['context_length_exceeded before content', sse([ev.created(), ev.failed('context_length_exceeded', 'too long')])],
    ['overload after content', sse([...midContent, ev.error('server_is_overloaded', 'busy')])],
    ['connection reset before content', sse(answerEvents(), { resetAfter: 2 })],
    ['connection reset mid-stream', sse(answerEvents(), { resetAfter: 9, chunkDelayMs: 10 })],
    ['malformed SSE', sse([], { raw: `${toSse(midContent)}data: {oops\n\n` })],
    ['stall before content', sse(answerEvents(), { stallAfter: 2 })],
    ['stall mid-stream', sse(answerEvents(), { stallAfter: 9 })],
    ['HTTP 500', { kind: 'http', status: 500, body: { detail: 'Internal Server Error' } }],
  ];

  it.each(faults)('%s', async (_name, fault) => {
    const p = await dataDir({
      accounts: 1,
      fake: { script: () => fault },
      env: { CODEX_IDLE_TIMEOUT_MS: String(IDLE_MS) },
    });
    const c = await child(p.env);
    for (const stream of [true, false]) {
      const res = await ask(c.url, claudeBody({ stream }));
      expect(res.status === 200 || (res.status >= 400 && res.status < 600)).toBe(true);
      await res.text();
    }
    // A crash may come later than the answer: from a timer the failed stream left armed (the
    // idle timeout), or when the backend drops its idle keep-alive connections.
    await p.fake.close();
    await new Promise((r) => setTimeout(r, 3 * IDLE_MS));
    expect(alive(c), `server died:\n${c.stderr()}`).toBe(true);
    expect((await fetch(`${c.url}/health`)).status).toBe(200);
  });
});

describe('kill -9 in the middle of writes', () => {
  it('every account, token and setting still loads afterwards, round after round', async () => {
    const issuer = await startFakeIssuer();
    cleanups.push(() => issuer.close());
    const p = await dataDir({ accounts: 3, issuer });
    const ids = [...p.accountIds];
    const secrets = await openSecretStore({ home: p.core.home, env: p.env, log: { warn: () => undefined } });

    for (let round = 0; round < 4; round++) {
      const c = await child(p.env);
      let stop = false;
      let confirmed = 0;
      const call = async (method: string, route: string, body: unknown): Promise<void> => {
        const res = await fetch(`${c.url}${route}`, {
          method,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
        await res.text();
        if (res.ok) confirmed++;
      };
      // Four writers at once: token refreshes, account selection, lane settings, quota updates.
      const writers = [
        (i: number) => call('POST', '/accounts/refresh', { id: ids[i % ids.length] }),
        (i: number) =>
          i % 2 === 0
            ? call('POST', '/accounts/strategy', { strategy: i % 4 === 0 ? 'round-robin' : 'sticky' })
            : call('POST', '/accounts/switch', { id: ids[i % ids.length] }),
        (i: number) => call('PUT', '/api/models', { lanes: { opus: { effort: i % 2 === 0 ? 'high' : 'low' } } }),
        () => call('POST', '/v1/messages', claudeBody({ stream: false })),
      ];
      const loops = writers.map(async (write) => {
        for (let i = 0; !stop; i++) await write(i).catch(() => undefined);
      });
      // Kill at a different point each round, always while all four writers are busy.
      const target = 8 + round * 7;
      while (confirmed < target) await new Promise((r) => setTimeout(r, 5));
      c.child.kill('SIGKILL');
      expect(await c.exited).toMatchObject({ signal: 'SIGKILL' });
      stop = true;
      await Promise.all(loops);

      const after = await savedState(p.core.home, p.env);
      expect(after.accounts.map((a) => a.id).sort()).toEqual([...ids].sort());
      for (const id of ids) expect(after.tokens[id], `tokens of ${id}`).toEqual({ access: true, refresh: true });
      expect(['sticky', 'round-robin']).toContain(after.strategy);
      expect([null, ...ids]).toContain(after.preferred);
      const lanes = (after.settings as { lanes?: { opus?: { effort?: string } } } | null)?.lanes;
      if (lanes) expect(['high', 'low']).toContain(lanes.opus?.effort);

      // Only a refresh in flight at the kill can have spent a token without storing its successor.
      const dead = [];
      for (const id of ids) {
        const stored = parseTokens((await secrets.get(id)) as string);
        if (!issuer.isLive(stored.refresh_token as string)) dead.push(id);
      }
      expect(dead.length, `accounts whose stored refresh token is spent: ${dead.join(', ')}`).toBeLessThanOrEqual(1);
      // Keep later rounds meaningful: give a lost account fresh tokens the way a re-login would.
      for (const id of dead) {
        const index = ids.indexOf(id) + 1;
        const tokens = issuer.mint({ accountId: `acct-${index}`, email: `user${index}@example.com` }, 3600);
        const file = await writeAuthJson(path.join(p.home, `relogin-${round}-${index}`), {
          accountId: `acct-${index}`,
          tokens,
        });
        const c2 = await child(p.env);
        await fetch(`${c2.url}/accounts/import`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ path: file }),
        });
        c2.child.kill('SIGTERM');
        await c2.exited;
      }
    }
  });
});

describe('two server processes on one data dir', () => {
  it('both hit a 401 at once: one refresh reaches the issuer, both requests are answered', async () => {
    const issuer = await startFakeIssuer({ refreshDelayMs: 300 });
    cleanups.push(() => issuer.close());
    const revoked = new Set<string>();
    const p = await dataDir({
      accounts: 1,
      issuer,
      fake: {
        // The token both servers start with has been revoked upstream: 401 until they refresh.
        script: (req) =>
          revoked.has(String(req.headers.authorization).replace(/^Bearer /, ''))
            ? { kind: 'http', status: 401, body: { detail: 'Unauthorized' } }
            : sse(answerEvents()),
      },
    });
    const secrets = await openSecretStore({ home: p.core.home, env: p.env, log: { warn: () => undefined } });
    const firstToken = parseTokens((await secrets.get(p.accountIds[0])) as string).access_token;
    revoked.add(firstToken);

    const [a, b] = await Promise.all([child(p.env), child(p.env)]);
    const [ra, rb] = await Promise.all([ask(a.url), ask(b.url)]);
    expect([ra.status, rb.status]).toEqual([200, 200]);
    await Promise.all([ra.text(), rb.text()]);
    expect(issuer.refreshCount()).toBe(1);
    const stored = parseTokens((await secrets.get(p.accountIds[0])) as string);
    expect(stored.access_token).not.toBe(firstToken);
    expect(issuer.isLive(stored.refresh_token as string)).toBe(true);
  });
});
