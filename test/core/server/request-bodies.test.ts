// Request bodies as clients really send them: compressed (Claude Code can gzip its bodies), with
// the size limit applied to what they decompress to, and limits reported in the unit they have.
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MESSAGES_BODY_LIMIT } from '../../../main/core/server/body.js';
import { MESSAGE_BODY, rawRequest, startHarness, type Harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.close());

function post(path: string, body: Buffer | string, headers: Record<string, string> = {}) {
  return rawRequest(h.port, {
    method: 'POST',
    path,
    body,
    headers: { 'content-type': 'application/json', ...headers },
  });
}

const hasZstd = typeof (zlib as { zstdCompressSync?: unknown }).zstdCompressSync === 'function';

describe('Content-Encoding', () => {
  it.each([
    ['gzip', gzipSync],
    ['x-gzip', gzipSync],
    ['deflate', deflateSync],
    ['br', brotliCompressSync],
    ['GZIP', gzipSync],
  ] as const)('%s bodies are decompressed', async (encoding, compress) => {
    const turns = () => h.fake.requests.filter((r) => r.path.includes('/responses')).length;
    const before = turns();
    const reply = await post('/v1/messages', compress(Buffer.from(MESSAGE_BODY)), { 'content-encoding': encoding });
    expect(reply.status, reply.text).toBe(200);
    expect(reply.json<{ type: string }>().type).toBe('message');
    expect(turns()).toBe(before + 1);
  });

  it('encodings applied one after the other are undone in reverse', async () => {
    const twice = gzipSync(brotliCompressSync(Buffer.from(MESSAGE_BODY)));
    const reply = await post('/v1/messages', twice, { 'content-encoding': 'br, identity, gzip' });
    expect(reply.status, reply.text).toBe(200);
    const wrongOrder = await post('/v1/messages', twice, { 'content-encoding': 'gzip, br' });
    expect(wrongOrder.status).toBe(400);
    expect(wrongOrder.json().error?.message).toMatch(/decompressed \(br\)/);
  });

  it('count_tokens and the OpenAI endpoint take compressed bodies too', async () => {
    const count = await post('/v1/messages/count_tokens', gzipSync(MESSAGE_BODY), { 'content-encoding': 'gzip' });
    expect(count.status, count.text).toBe(200);
    expect(count.json<{ input_tokens: number }>().input_tokens).toBeGreaterThan(0);
    const chat = JSON.stringify({ model: 'claude-sonnet-5-5', messages: [{ role: 'user', content: 'hi' }] });
    const reply = await post('/v1/chat/completions', brotliCompressSync(chat), { 'content-encoding': 'br' });
    expect(reply.status, reply.text).toBe(200);
  });

  it.skipIf(hasZstd)('zstd, which this Node cannot decompress, gets a 415 that says so', async () => {
    const reply = await post('/v1/messages', Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0, 0, 0]), {
      'content-encoding': 'zstd',
    });
    expect(reply.status).toBe(415);
    expect(reply.json().error).toMatchObject({
      type: 'invalid_request_error',
      message: expect.stringMatching(/zstd.*gzip/s),
    });
  });

  it('an unknown encoding gets a 415 naming the ones that work', async () => {
    const reply = await post('/v1/messages', MESSAGE_BODY, { 'content-encoding': 'compress' });
    expect(reply.status).toBe(415);
    expect(reply.json().error?.message).toMatch(/compress.*gzip.*deflate.*br/s);
  });

  it('a corrupt compressed body gets a 400', async () => {
    const broken = gzipSync(MESSAGE_BODY).subarray(0, 20);
    const reply = await post('/v1/messages', Buffer.concat([broken, Buffer.from('garbage')]), {
      'content-encoding': 'gzip',
    });
    expect(reply.status).toBe(400);
    expect(reply.json().error).toMatchObject({ type: 'invalid_request_error', message: expect.stringMatching(/gzip/) });
  });

  it('a zip bomb gets a 413: the limit applies to the decompressed size', async () => {
    const bomb = gzipSync(Buffer.alloc(MESSAGES_BODY_LIMIT + 1024 * 1024, 0x20), { level: 9 });
    expect(bomb.length).toBeLessThan(MESSAGES_BODY_LIMIT / 100);
    const reply = await post('/v1/messages', bomb, { 'content-encoding': 'gzip' });
    expect(reply.status).toBe(413);
    expect(reply.json().error).toMatchObject({ type: 'request_too_large', message: expect.stringMatching(/32 MB/) });
    // The server goes on serving.
    expect((await rawRequest(h.port, { path: '/health' })).status).toBe(200);
  });
});

describe('size limits are reported in their own unit', () => {
  it('PUT /api/models over 64 KB', async () => {
    const body = JSON.stringify({ lanes: {}, padding: 'x'.repeat(70 * 1024) });
    const reply = await rawRequest(h.port, {
      method: 'PUT',
      path: '/api/models',
      body,
      headers: { 'content-type': 'application/json' },
    });
    expect(reply.status).toBe(413);
    expect(reply.json().error?.message).toMatch(/64 KB limit/);
  });

  it('a compressed PUT /api/models over 64 KB once decompressed', async () => {
    const body = gzipSync(JSON.stringify({ lanes: {}, padding: 'x'.repeat(70 * 1024) }));
    const reply = await rawRequest(h.port, {
      method: 'PUT',
      path: '/api/models',
      body,
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
    });
    expect(reply.status).toBe(413);
    expect(reply.json().error?.message).toMatch(/64 KB limit/);
  });
});
