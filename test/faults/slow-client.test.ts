// Slowloris: clients that send their headers or their body a byte at a time must lose their
// socket after a bounded time, with an Anthropic-shaped 408, while a response that streams for
// longer than both bounds is not cut. The bounds are made short here through the environment.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ev } from '../fakes/codex-events.js';
import { startHarness, type Harness } from '../core/server/harness.js';
import { claudeBody, expectValidStream, textOf } from './support.js';

const HEADERS_MS = 600;
const REQUEST_MS = 1_200;
/** Far beyond both bounds: a socket still open then was never going to be closed. */
const GIVE_UP_MS = 20_000;
const DRIP_MS = 150;

let h: Harness;

beforeAll(async () => {
  h = await startHarness({
    env: { PROXY_HEADERS_TIMEOUT_MS: String(HEADERS_MS), PROXY_REQUEST_TIMEOUT_MS: String(REQUEST_MS) },
  });
});
afterAll(() => h?.close());

interface Dripped {
  reply: string;
  /** False when the socket was still open at GIVE_UP_MS. */
  closedByServer: boolean;
}

/** Sends `head` at once, then `drip` one byte every DRIP_MS, until the server closes the socket. */
function drip(head: string, dripped: string): Promise<Dripped> {
  return new Promise((resolve) => {
    const socket = net.connect(h.port, '127.0.0.1');
    let reply = '';
    let i = 0;
    const timer = setInterval(() => {
      if (i < dripped.length && socket.writable) socket.write(dripped[i++]);
    }, DRIP_MS);
    const giveUp = setTimeout(() => finish(false), GIVE_UP_MS);
    function finish(closedByServer: boolean): void {
      clearInterval(timer);
      clearTimeout(giveUp);
      socket.destroy();
      resolve({ reply, closedByServer });
    }
    socket.on('data', (d: Buffer) => (reply += d.toString()));
    socket.on('error', () => undefined);
    socket.on('close', () => finish(true));
    socket.write(head);
  });
}

function expectTimeoutAnswer({ reply, closedByServer }: Dripped): void {
  expect(closedByServer, 'the server kept the slow socket open').toBe(true);
  expect(reply).toMatch(/^HTTP\/1\.1 408 /);
  const body = reply.slice(reply.indexOf('\r\n\r\n') + 4);
  expect(JSON.parse(body)).toMatchObject({
    type: 'error',
    error: { type: 'invalid_request_error', message: expect.stringMatching(/too long/) },
  });
}

describe('slow clients are cut, long answers are not', () => {
  it('a body sent a byte at a time', async () => {
    const body = JSON.stringify(claudeBody({ stream: false }));
    const head = `POST /v1/messages HTTP/1.1\r\nHost: 127.0.0.1:${h.port}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`;
    const results = await Promise.all(Array.from({ length: 8 }, () => drip(head, body)));
    for (const r of results) expectTimeoutAnswer(r);
  });

  it('headers sent a byte at a time', async () => {
    const head = `GET /health HTTP/1.1\r\nHost: 127.0.0.1:${h.port}\r\nX-Slow: ${'a'.repeat(400)}\r\n\r\n`;
    const results = await Promise.all(Array.from({ length: 8 }, () => drip(head.slice(0, 20), head.slice(20))));
    for (const r of results) expectTimeoutAnswer(r);
  });

  it('a stream that lasts longer than both bounds arrives whole', async () => {
    const words = Array.from({ length: 12 }, (_, i) => `w${i} `);
    h.fake.setScript(() => ({
      kind: 'sse',
      chunkDelayMs: 250,
      events: [
        ev.created(),
        ...ev.textMessage(words.join(''), { chunks: words }),
        ev.completed({ input_tokens: 10, output_tokens: 12 }),
      ],
    }));
    const res = await fetch(`${h.url}/v1/messages?beta=true`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
      body: JSON.stringify(claudeBody()),
    });
    const events = await expectValidStream(res);
    expect(textOf(events)).toBe(words.join(''));
  });
});
