// A client that stops reading must stall the upstream read, not make the proxy buffer the whole
// answer (docs/FACTS.md, "A writer that ignores backpressure buffers everything").
import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { ev } from '../fakes/codex-events.js';
import { startTestProxy, type TestProxy } from '../support/proxy.js';
import { assertValidAnthropicStream } from '../support/stream-validator.js';
import { claudeBody, SESSION, sse } from './support.js';

const DELTAS = 3000;
const DELTA = 'x'.repeat(10_000); // 3000 × 10 kB: ~30 MB of text, far beyond any socket buffer

let p: TestProxy | undefined;
afterEach(async () => {
  await p?.close();
  p = undefined;
});

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('backpressure', () => {
  it('holds the upstream back while the client does not read, then delivers everything', async () => {
    let written = 0;
    const chunks = Array.from({ length: DELTAS }, () => DELTA);
    const events = [ev.created(), ...ev.textMessage(chunks.join(''), { chunks }), ev.completed()];
    p = await startTestProxy({
      accounts: 1,
      fake: { script: () => sse(events, { onProgress: (n) => (written = n) }) },
    });
    const url = new URL(`${p.url}/v1/messages?beta=true`);
    const res = await new Promise<http.IncomingMessage>((resolve, reject) => {
      const req = http.request(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-claude-code-session-id': SESSION },
      });
      req.on('response', resolve).on('error', reject);
      req.end(JSON.stringify(claudeBody()));
    });
    expect(res.statusCode).toBe(200);
    res.pause();
    // Let every buffer on the way (kernel sockets, stream high-water marks) fill up.
    let before = -1;
    while (written !== before) {
      before = written;
      await pause(300);
    }
    expect(written).toBeGreaterThan(0);
    expect(written).toBeLessThan(events.length / 2);

    res.setEncoding('utf8');
    let text = '';
    res.on('data', (chunk: string) => (text += chunk));
    res.resume();
    await new Promise((resolve) => res.on('end', resolve));
    assertValidAnthropicStream(text);
    expect(written).toBe(events.length);
    expect(text.split(DELTA).length - 1).toBe(DELTAS);
  });
});
