// End-to-end fuzz through the real server and the strict fake backend: any body gets a 200 (a
// valid stream or message) or a 4xx Anthropic error, never a 5xx or a hang, and nothing we send
// upstream is refused by the backend's validation.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorBody, Message } from '../../shared/anthropic.js';
import { startTestProxy, type TestProxy } from '../support/proxy.js';
import { assertValidAnthropicStream } from '../support/stream-validator.js';
import { claudeLikeBody, garbageBody } from './anthropic-bodies.js';

let p: TestProxy;

beforeAll(async () => {
  p = await startTestProxy({ accounts: 2 });
});

afterAll(async () => {
  await p?.close();
});

const NO_HANG_MS = 10_000;

async function post(body: string): Promise<Response> {
  return fetch(`${p.url}/v1/messages?beta=true`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': 'any', 'anthropic-version': '2023-06-01' },
    body,
    signal: AbortSignal.timeout(NO_HANG_MS),
  });
}

/** What the client got must be one of the answers a real Anthropic endpoint gives. */
async function expectWellFormed(res: Response): Promise<void> {
  const text = await res.text();
  if (res.status === 200) {
    if (res.headers.get('content-type')?.startsWith('text/event-stream')) assertValidAnthropicStream(text);
    else expect((JSON.parse(text) as Message).type).toBe('message');
    return;
  }
  expect(res.status, text).toBeGreaterThanOrEqual(400);
  expect(res.status, text).toBeLessThan(500);
  const body = JSON.parse(text) as ErrorBody;
  expect(body).toMatchObject({ type: 'error', error: { type: expect.any(String), message: expect.any(String) } });
}

const bodyText = fc.oneof(
  { weight: 6, arbitrary: claudeLikeBody.map((b) => JSON.stringify(b)) },
  { weight: 2, arbitrary: garbageBody.map((b) => JSON.stringify(b)) },
  { weight: 1, arbitrary: fc.string({ maxLength: 40 }) },
);

describe('fuzz: the real server', () => {
  it('answers every body with 200 or a 4xx Anthropic error, and upstream accepts all it is sent', async () => {
    await fc.assert(
      fc.asyncProperty(bodyText, async (body) => {
        const before = p.fake.requests.length;
        await expectWellFormed(await post(body));
        const refused = p.fake.requests.slice(before).filter((r) => r.rejected);
        expect(refused.map((r) => r.rejected)).toEqual([]);
      }),
      { numRuns: 50 },
    );
    expect(p.fake.openStreams()).toBe(0);
  });
});
