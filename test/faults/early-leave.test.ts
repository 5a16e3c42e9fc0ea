// A client that hangs up while a non-streaming answer is still being built upstream has aborted:
// the log says so (a 499 row at WARN), with no ERROR, and the upstream request is cancelled. The
// window that once turned this into "MessageAccumulator: no message_start received" is held open
// here: the account report that follows the first upstream events (a disk write) waits until the
// client is gone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LogEntry } from '../../shared/api.js';
import { ev } from '../fakes/codex-events.js';
import { startHarness, type Harness } from '../core/server/harness.js';
import { claudeBody } from './support.js';

let h: Harness;
let restore: () => void;

async function until<T>(what: string, probe: () => T | undefined): Promise<T> {
  for (let i = 0; i < 400; i++) {
    const value = probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`gave up waiting for ${what}`);
}

beforeAll(async () => {
  h = await startHarness();
  // The model starts answering, then thinks for as long as the client is willing to wait.
  h.fake.setScript(() => ({ kind: 'sse', stallAfter: 4, events: [ev.created(), ...ev.textMessage('never finished')] }));
  const pool = h.core.pool;
  const report = pool.report.bind(pool);
  pool.report = async (...args: Parameters<typeof pool.report>) => {
    const aborted = h.fake.abortedStreams();
    const [, outcome] = args;
    if (outcome.status === 200 && outcome.verdict.kind === 'ok')
      await until('the client to leave', () => (h.fake.abortedStreams() > aborted ? true : undefined));
    return report(...args);
  };
  restore = () => {
    pool.report = report;
  };
});
afterAll(async () => {
  restore?.();
  await h?.close();
});

async function leaveEarly(path: string, body: unknown): Promise<LogEntry> {
  const turns = () => h.fake.requests.filter((r) => r.path.includes('/responses')).length;
  const seen = turns();
  const since = h.core.logs.recent().at(-1)?.seq ?? 0;
  const controller = new AbortController();
  const pending = fetch(`${h.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
    body: JSON.stringify(body),
    signal: controller.signal,
  }).catch((err: Error) => err);
  await until('the upstream stream', () => (turns() > seen && h.fake.openStreams() > 0 ? true : undefined));
  controller.abort();
  expect(await pending).toBeInstanceOf(Error);
  const row = await until('the request row', () =>
    h.core.logs.recent().find((e) => e.seq > since && (e.request?.path === path || e.level === 'error')),
  );
  const errors = h.core.logs.recent().filter((e) => e.seq > since && e.level === 'error');
  expect(errors.map((e) => `${e.msg} ${JSON.stringify(e.err ?? '')}`)).toEqual([]);
  await until('the upstream cancel', () => (h.fake.openStreams() === 0 ? true : undefined));
  return row;
}

describe('a client that leaves during a non-streaming call', () => {
  it('on /v1/messages is logged as an abort', async () => {
    const row = await leaveEarly('/v1/messages', claudeBody({ stream: false }));
    expect(row.request?.status).toBe(499);
    expect(row.level).toBe('warn');
  });

  it('on /v1/chat/completions is logged as an abort', async () => {
    const row = await leaveEarly('/v1/chat/completions', {
      model: 'claude-sonnet-5-5',
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(row.request?.status).toBe(499);
    expect(row.level).toBe('warn');
  });
});
