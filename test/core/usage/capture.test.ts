import { describe, expect, it } from 'vitest';
import { CaptureStore, parseCaptureMode } from '../../../main/core/usage/capture.js';
import { redactForCapture } from '../../../main/core/usage/capture-redact.js';

const start = (id: string, session: string | null = null) => ({
  id,
  time: 1,
  path: '/v1/messages',
  model: 'claude-sonnet-5-5',
  session,
});
const JWT = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1c2VyIn0.c2lnbmF0dXJlLXNpZ25hdHVyZQ';

describe('capture modes', () => {
  it('captures the next N requests, then turns itself off', () => {
    const store = new CaptureStore();
    expect(store.claim(start('r0'))).toBeNull();
    store.arm({ kind: 'next', count: 2 });
    expect(store.claim(start('r1'))).not.toBeNull();
    expect(store.state().mode).toEqual({ kind: 'next', count: 1 });
    expect(store.claim(start('r2'))).not.toBeNull();
    expect(store.state().mode).toEqual({ kind: 'off' });
    expect(store.claim(start('r3'))).toBeNull();
  });

  it('captures every request of one session until turned off', () => {
    const store = new CaptureStore();
    store.arm({ kind: 'session', session: 's1' });
    expect(store.claim(start('r1', 's2'))).toBeNull();
    expect(store.claim(start('r2', null))).toBeNull();
    expect(store.claim(start('r3', 's1'))).not.toBeNull();
    expect(store.claim(start('r4', 's1'))).not.toBeNull();
    expect(store.state().mode).toEqual({ kind: 'session', session: 's1' });
  });

  it('reads the PUT body strictly', () => {
    expect(parseCaptureMode({ kind: 'next', count: 3 })).toEqual({ kind: 'next', count: 3 });
    expect(parseCaptureMode({ kind: 'session', session: ' s1 ' })).toEqual({ kind: 'session', session: 's1' });
    expect(parseCaptureMode({ kind: 'off' })).toEqual({ kind: 'off' });
    for (const bad of [
      null,
      {},
      { kind: 'next' },
      { kind: 'next', count: 0 },
      { kind: 'next', count: 1.5 },
      { kind: 'next', count: 1e6 },
      { kind: 'session', session: '' },
      { kind: 'all' },
    ]) {
      expect(parseCaptureMode(bad)).toHaveProperty('error');
    }
  });
});

describe('what a capture keeps', () => {
  it('keeps the translated request and the events, redacted: no tokens, no images, no encrypted reasoning', () => {
    const store = new CaptureStore();
    store.arm({ kind: 'next', count: 1 });
    const b = store.claim(start('r1'))!;
    const image = `data:image/png;base64,${'A'.repeat(5000)}`;
    b.upstreamRequest(
      JSON.stringify({
        model: 'gpt-6.2-sol',
        instructions: 'You are Claude Code.',
        input: [
          {
            role: 'user',
            content: [
              { type: 'input_text', text: `my key is sk-${'x'.repeat(30)} and ${JWT}` },
              { type: 'input_image', image_url: image },
            ],
          },
        ],
      }),
    );
    b.attempt('a@example.test');
    b.refused(429, `{"error":{"message":"limit","token":"${JWT}"}}`);
    b.attempt('b@example.test');
    b.upstreamEvents([
      {
        type: 'response.output_item.done',
        output_index: 0,
        item: { type: 'reasoning', encrypted_content: 'E'.repeat(900), summary: [] },
      },
      { type: 'response.completed', response: { usage: { input_tokens: 5 } } },
    ]);
    b.clientEvents([
      { type: 'content_block_delta', index: 0, delta: { type: 'signature_delta', signature: 'S'.repeat(300) } },
    ]);
    store.save(b.finish(200));

    const c = store.get('r1')!;
    const text = JSON.stringify(c);
    expect(text).not.toContain('AAAAAAAA');
    expect(text).not.toContain('EEEEEEEE');
    expect(text).not.toContain('SSSSSSSS');
    expect(text).not.toContain(JWT);
    expect(text).not.toContain('sk-xxxx');
    expect(text).toContain('You are Claude Code.');
    expect(text).toContain('[image/png elided, 5022 chars]');
    expect(text).toContain('[encrypted_content elided, 900 chars]');
    expect(c.attempts).toEqual([
      { account: 'a@example.test', status: 429, body: expect.stringContaining('[redacted-jwt]') },
      { account: 'b@example.test' },
    ]);
    expect(c.upstream_events).toHaveLength(2);
    expect(c.client_events).toHaveLength(1);
    expect(c).toMatchObject({ status: 200, truncated: false, model: 'claude-sonnet-5-5' });
    // Counted as the redacted JSON of each part, so the budget is about what is kept.
    expect(c.bytes).toBeGreaterThan(JSON.stringify(c.upstream_request).length);
    expect(c.bytes).toBeLessThan(text.length);
  });

  it('redaction keeps short opaque values (an empty signature can be the bug)', () => {
    expect(redactForCapture({ signature: 'abc', data: 'x' })).toEqual({ signature: 'abc', data: 'x' });
    expect(redactForCapture({ authorization: 'Bearer abcdefghijkl' })).toEqual({ authorization: '[redacted]' });
  });

  it('keeps the last attempt’s request body, counted once', () => {
    const store = new CaptureStore();
    store.arm({ kind: 'next', count: 1 });
    const builder = store.claim(start('r1'))!;
    builder.upstreamRequest('{"model":"m","input":[1,2,3]}');
    builder.upstreamRequest('{"model":"m","input":[1]}');
    const c = builder.finish(200);
    expect(c.upstream_request).toEqual({ model: 'm', input: [1] });
    expect(c.bytes).toBe('{"model":"m","input":[1]}'.length);
  });

  it('stops adding events at the per-capture limit and says so', () => {
    const store = new CaptureStore({ captures: 10, bytes: 1e6, bytesPerCapture: 1000 });
    store.arm({ kind: 'next', count: 1 });
    const b = store.claim(start('r1'))!;
    for (let i = 0; i < 100; i++) b.upstreamEvents([{ type: 'response.output_text.delta', delta: 'x'.repeat(50) }]);
    const c = b.finish(200);
    expect(c.truncated).toBe(true);
    expect(c.bytes).toBeLessThanOrEqual(1000);
    expect(c.upstream_events.length).toBeGreaterThan(5);
  });

  it('drops the oldest captures beyond the count and the byte budget', () => {
    const store = new CaptureStore({ captures: 3, bytes: 250, bytesPerCapture: 200 });
    store.arm({ kind: 'next', count: 10 });
    for (const id of ['r1', 'r2', 'r3', 'r4']) {
      const b = store.claim(start(id))!;
      b.upstreamEvents([{ type: 'x', delta: 'y'.repeat(40) }]);
      store.save(b.finish(200));
    }
    expect(store.state().captures.map((c) => c.id)).toEqual(['r4', 'r3', 'r2']);
    const big = store.claim(start('r5'))!;
    big.upstreamEvents([{ type: 'x', delta: 'y'.repeat(170) }]);
    store.save(big.finish(200));
    expect(store.state().captures.map((c) => c.id)).toEqual(['r5']);
    store.clear();
    expect(store.state().captures).toEqual([]);
  });
});
