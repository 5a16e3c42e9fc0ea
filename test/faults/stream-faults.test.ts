// Fault matrix, part 2: what goes wrong inside a 200 stream. Before the first content byte the
// client must get a plain Anthropic HTTP error (Claude Code retries those); after it, a valid
// stream that ends in an Anthropic `error` event. Never a hang, never a torn stream, and the
// upstream request never outlives the client's.
import { afterEach, describe, expect, it } from 'vitest';
import type { Reply } from '../fakes/codex-backend.js';
import { ev, toSse } from '../fakes/codex-events.js';
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

/** Generous bound for "does not hang"; a hang is the failure, not slowness. */
const NO_HANG_MS = 10_000;
const IDLE_MS = 500;

let p: TestProxy;

async function proxyWith(script: () => Reply, idleMs = IDLE_MS): Promise<TestProxy> {
  p = await startTestProxy({ accounts: 1, fake: { script }, env: { CODEX_IDLE_TIMEOUT_MS: String(idleMs) } });
  return p;
}

/** Open sockets and timers of this process, by kind. */
function resources(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const kind of process.getActiveResourcesInfo()) counts[kind] = (counts[kind] ?? 0) + 1;
  return counts;
}

/**
 * Sockets and timers do not pile up: `later` holds no more timers than `earlier`, and at most one
 * more socket (the keep-alive pools may have opened one more connection meanwhile).
 */
function expectNoGrowth(earlier: Record<string, number>, later: Record<string, number>, what: string): void {
  expect(later.Timeout ?? 0, `timers ${what}`).toBeLessThanOrEqual(earlier.Timeout ?? 0);
  expect(later.TCPSocketWrap ?? 0, `sockets ${what}`).toBeLessThanOrEqual((earlier.TCPSocketWrap ?? 0) + 1);
}

afterEach(async () => {
  await p?.close();
});

/** Resolves when `check` holds, failing after `ms`: for things that happen asynchronously. */
async function eventually(check: () => boolean, ms = NO_HANG_MS): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

function withinNoHang<T>(promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${NO_HANG_MS} ms: the proxy hangs`)), NO_HANG_MS);
  });
  return Promise.race([promise, hang]).finally(() => clearTimeout(timer));
}

const content = (text = 'Partial answer that gets cut') => [ev.created(), ...ev.textMessage(text).slice(0, 3)];

describe('failures before the first content byte become HTTP errors', () => {
  it.each([
    ['an error event', ev.error('server_is_overloaded', 'Our servers are currently overloaded.')],
    ['response.failed', ev.failed('server_is_overloaded', 'Our servers are currently overloaded.')],
  ])('overload as %s right after response.created → 529 overloaded_error', async (_name, failure) => {
    await proxyWith(() => sse([ev.rateLimits(), ev.created(), failure]));
    await expectAnthropicError(await ask(p.url), 529, 'overloaded_error');
  });

  it('connection reset after response.created → 5xx api_error', async () => {
    await proxyWith(() => sse(answerEvents(), { resetAfter: 2 }));
    const res = await withinNoHang(ask(p.url));
    expect(res.status).toBeGreaterThanOrEqual(500);
    await expectAnthropicError(res, res.status, 'api_error');
  });

  it('malformed SSE data → 5xx api_error', async () => {
    await proxyWith(() => sse([], { raw: 'event: response.created\ndata: {"type":"response.created",\n\n' }));
    const res = await withinNoHang(ask(p.url));
    await expectAnthropicError(res, res.status, 'api_error');
    expect(res.status).toBeGreaterThanOrEqual(500);
  });

  it('a stream that ends without any event → 5xx api_error', async () => {
    await proxyWith(() => sse([], { raw: '' }));
    const res = await withinNoHang(ask(p.url));
    await expectAnthropicError(res, res.status, 'api_error');
  });

  it('a stream that stalls before any content → an error within the idle timeout, not a hang', async () => {
    await proxyWith(() => sse(answerEvents(), { stallAfter: 2 }));
    const res = await withinNoHang(ask(p.url));
    expect(res.status).toBeGreaterThanOrEqual(500);
    await expectAnthropicError(res, res.status, 'api_error');
    await eventually(() => p.fake.openStreams() === 0);
  });

  it('an upstream that never sends its response headers → an error, not a hang', async () => {
    await proxyWith(() => sse(answerEvents(), { delayMs: 60_000 }));
    const res = await withinNoHang(ask(p.url));
    expect(res.status).toBeGreaterThanOrEqual(500);
    await eventually(() => p.fake.openStreams() === 0);
  });
});

describe('failures after the first content byte end the stream with an error event', () => {
  it('overload after content → valid stream ending in overloaded_error', async () => {
    await proxyWith(() =>
      sse([...content(), ev.error('server_is_overloaded', 'Our servers are currently overloaded.')]),
    );
    const events = await expectValidStream(await ask(p.url));
    expect(textOf(events)).not.toBe('');
    expect(terminalOf(events)).toMatchObject({ type: 'error', error: { type: 'overloaded_error' } });
  });

  it('response.failed after content, non-streaming → the failure as an HTTP error', async () => {
    await proxyWith(() => sse([...content(), ev.failed('server_is_overloaded', 'busy')]));
    await expectAnthropicError(await ask(p.url, claudeBody({ stream: false })), 529, 'overloaded_error');
  });

  it('connection reset mid-stream → valid stream ending in api_error', async () => {
    await proxyWith(() => sse(answerEvents(), { resetAfter: 9, chunkDelayMs: 20 }));
    const events = await withinNoHang(expectValidStream(await ask(p.url)));
    expect(terminalOf(events)).toMatchObject({ type: 'error', error: { type: 'api_error' } });
  });

  it('a stream that stalls mid-answer → valid stream ending in an error after the idle timeout', async () => {
    await proxyWith(() => sse(answerEvents(), { stallAfter: 9 }));
    const events = await withinNoHang(expectValidStream(await ask(p.url)));
    expect(terminalOf(events)).toMatchObject({ type: 'error', error: { type: 'api_error' } });
    await eventually(() => p.fake.openStreams() === 0);
  });

  it('malformed SSE after content → valid stream ending in api_error', async () => {
    const raw = `${toSse(content())}event: response.output_text.delta\ndata: {"delta": "oops\n\n`;
    await proxyWith(() => sse([], { raw }));
    const events = await withinNoHang(expectValidStream(await ask(p.url)));
    expect(terminalOf(events)).toMatchObject({ type: 'error', error: { type: 'api_error' } });
  });

  it('a stream that ends cleanly but without response.completed → valid stream ending in api_error', async () => {
    await proxyWith(() => sse(answerEvents().slice(0, -1)));
    const events = await withinNoHang(expectValidStream(await ask(p.url)));
    expect(terminalOf(events)).toMatchObject({ type: 'error', error: { type: 'api_error' } });
  });

  it('unknown and out-of-band events in the middle change nothing', async () => {
    const events = answerEvents();
    events.splice(4, 0, { type: 'codex.response.metadata', metadata: {} }, { type: 'response.brand_new_event', x: 1 });
    await proxyWith(() => sse(events));
    const out = await expectValidStream(await ask(p.url));
    expect(terminalOf(out)).toEqual({ type: 'message_stop' });
    expect(textOf(out)).toBe('Here are the files.');
  });
});

describe('no leaks', () => {
  it('a stream that fails before content leaves no timer or socket behind', async () => {
    // A long idle timeout: a timer the failed stream leaves armed would still be counted below.
    // An unknown failure code keeps the account usable, so every request reaches upstream.
    await proxyWith(() => sse([ev.created(), ev.error('something_new', 'transient')]), 60_000);
    const fail = async () => expectAnthropicError(await ask(p.url), 500, 'api_error');
    await fail();
    await new Promise((r) => setTimeout(r, 100));
    const afterOne = resources();
    for (let i = 0; i < 5; i++) await fail();
    await new Promise((r) => setTimeout(r, 100));
    expectNoGrowth(afterOne, resources(), 'after 6 failed streams vs after 1');
    expect(p.fake.openStreams()).toBe(0);
  });

  /** Starts a long slow stream, reads its first bytes, then hangs up like a cancelled Claude Code. */
  async function disconnectOnce(): Promise<void> {
    const aborted = p.fake.abortedStreams();
    const controller = new AbortController();
    const res = await ask(p.url, claudeBody(), controller.signal);
    expect(res.status).toBe(200);
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    await reader.read();
    controller.abort();
    await reader.cancel().catch(() => undefined);
    await eventually(() => p.fake.abortedStreams() === aborted + 1 && p.fake.openStreams() === 0);
  }

  it('aborts the upstream stream and leaks no sockets or timers, however often it happens', async () => {
    const long = [
      ev.created(),
      ...ev.textMessage('word '.repeat(400), { chunks: Array(400).fill('word ') }),
      ev.completed(),
    ];
    await proxyWith(() => sse(long, { chunkDelayMs: 20 }));
    const before = await savedState(p.core.home, p.env);

    const started = Date.now();
    await disconnectOnce();
    // Not a timing assertion on the proxy's speed: only that the abort is not left to a timeout.
    expect(Date.now() - started).toBeLessThan(NO_HANG_MS);
    await new Promise((r) => setTimeout(r, 100));
    const afterOne = resources();

    for (let i = 0; i < 5; i++) await disconnectOnce();
    await new Promise((r) => setTimeout(r, 100));
    expectNoGrowth(afterOne, resources(), 'after 6 disconnects vs after 1');

    // The proxy still serves, and the account is untouched by the client's choice to leave.
    p.fake.setScript(() => sse(answerEvents()));
    await expectValidStream(await ask(p.url));
    expect((await p.core.pool.list()).accounts[0].status).toBe('active');
    await expectNothingLost(p.core.home, p.env, before);
  });
});
