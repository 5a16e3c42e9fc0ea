// Fault matrix, part 4: two accounts, and whatever befalls the first one before any byte reaches
// the client, the client sees exactly one clean 200 stream, served by the second; when every
// account is spent, one 429 that makes Claude Code stop at once. No account or token is lost.
import { afterEach, describe, expect, it } from 'vitest';
import { usageLimitReply, type RecordedRequest, type Reply } from '../fakes/codex-backend.js';
import { ev } from '../fakes/codex-events.js';
import { startTestProxy, type TestProxy } from '../support/proxy.js';
import {
  answerEvents,
  ask,
  claudeBody,
  expectAnthropicError,
  expectNothingLost,
  expectValidStream,
  savedState,
  sse,
  terminalOf,
  textOf,
} from './support.js';

const FIRST = 'acct-1';
const SECOND = 'acct-2';

let p: TestProxy;

afterEach(async () => {
  await p?.close();
});

const accountOf = (req: RecordedRequest): string => String(req.headers['chatgpt-account-id']);
const served = (): string[] => p.fake.requests.filter((r) => r.path.endsWith('/codex/responses')).map(accountOf);

/** Two accounts; the first is preferred and answers `fault` every time, the second answers normally. */
async function twoAccounts(fault: () => Reply): Promise<void> {
  p = await startTestProxy({
    accounts: 2,
    fake: { script: (req) => (accountOf(req) === FIRST ? fault() : sse(answerEvents(`Served by ${accountOf(req)}.`))) },
  });
  const first = (await p.core.pool.list()).accounts.find((a) => a.account_id === FIRST);
  await p.core.pool.setPreferred(first?.id as string);
}

const FAULTS: Array<[string, () => Reply]> = [
  ['429 usage_limit_reached', () => usageLimitReply(3 * 3600)],
  [
    '401 with a refresh that cannot reach the issuer',
    () => ({ kind: 'http', status: 401, body: { detail: 'Unauthorized' } }),
  ],
  ['503', () => ({ kind: 'http', status: 503, body: 'Service Unavailable' })],
  ['in-stream overload before content', () => sse([ev.created(), ev.error('server_is_overloaded', 'busy')])],
  ['response.failed overload before content', () => sse([ev.created(), ev.failed('server_is_overloaded', 'busy')])],
  ['connection reset before content', () => sse(answerEvents(), { resetAfter: 2 })],
];

describe('failover to the second account', () => {
  it.each(FAULTS)('%s on the first account → one clean 200 stream from the second', async (_name, fault) => {
    await twoAccounts(fault);
    const before = await savedState(p.core.home, p.env);
    const events = await expectValidStream(await ask(p.url));
    expect(textOf(events)).toBe(`Served by ${SECOND}.`);
    expect(terminalOf(events)).toEqual({ type: 'message_stop' });
    // Exactly one message: no second message_start spliced in from a retried attempt.
    expect(events.filter((e) => e.type === 'message_start')).toHaveLength(1);
    expect(served()[0]).toBe(FIRST);
    expect(served().at(-1)).toBe(SECOND);
    expect(served().length).toBeLessThanOrEqual(3);
    const second = (await p.core.pool.list()).accounts.find((a) => a.account_id === SECOND);
    expect(second?.status).toBe('active');
    await expectNothingLost(p.core.home, p.env, before);
  });
});

describe('every account spent', () => {
  it('one 429 rate_limit_error with retry-after over a minute, and both accounts kept', async () => {
    p = await startTestProxy({ accounts: 2, fake: { script: () => usageLimitReply(2 * 3600) } });
    const before = await savedState(p.core.home, p.env);
    for (const stream of [true, false]) {
      const res = await ask(p.url, claudeBody({ stream }));
      await expectAnthropicError(res, 429, 'rate_limit_error');
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(60);
    }
    // The second request knows both are limited and does not ask upstream again.
    expect(served().sort()).toEqual([FIRST, SECOND]);
    await expectNothingLost(p.core.home, p.env, before);
  });
});
