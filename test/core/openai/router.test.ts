import { afterEach, describe, expect, it, vi } from 'vitest';
import type { StreamEvent } from '../../../shared/anthropic.js';
import type { MessagesCall, MessagesResult, MessagesService } from '../../../main/core/proxy/types.js';
import { failingTurn, okResult, serveRouter, start, stubService, textBlock, textTurn, toolTurn } from './canned.js';

let server: { url: string; close(): Promise<void> } | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function post(messages: MessagesService, body: unknown, opts: Parameters<typeof serveRouter>[1] = {}): Promise<Response> {
  server = await serveRouter(messages, opts);
  return fetch(`${server.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'X-Session-Tag': 'abc' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** `data:` payloads in order, comments dropped; `[DONE]` kept as the string. */
function dataLines(text: string): unknown[] {
  return text
    .split('\n\n')
    .filter((frame) => frame.startsWith('data: '))
    .map((frame) => frame.slice(6))
    .map((data) => (data === '[DONE]' ? data : JSON.parse(data)));
}

const CHAT = { model: 'claude-sonnet-4-5', messages: [{ role: 'user', content: 'Hi' }] };

describe('POST /v1/chat/completions', () => {
  it('streams chunks ending in [DONE] and hands the service a translated call', async () => {
    const service = stubService(() => okResult(textTurn(['Hello', '!'])));
    const res = await post(service, { ...CHAT, stream: true, stream_options: { include_usage: true } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(res.headers.get('x-request-id')).toBe('req_test_1');
    const lines = dataLines(await res.text());
    expect(lines.at(-1)).toBe('[DONE]');
    const chunks = lines.slice(0, -1) as Array<{ id: string; choices: Array<{ delta: { content?: string } }>; usage?: unknown }>;
    expect(new Set(chunks.map((c) => c.id)).size).toBe(1);
    expect(chunks[0].id).toMatch(/^chatcmpl-/);
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe('Hello!');
    expect(chunks.at(-1)?.usage).toMatchObject({ prompt_tokens: 100, completion_tokens: 12 });

    const call = service.calls[0];
    expect(call.request).toMatchObject({ model: 'claude-sonnet-4-5', messages: [{ role: 'user', content: 'Hi' }], stream: true });
    expect(call.headers['x-session-tag']).toBe('abc');
    expect(call.requestId).toBe('req_test_1');
    expect(call.signal.aborted).toBe(false);
  });

  it('answers non-streaming calls with a chat.completion', async () => {
    const res = await post(
      stubService(() => okResult(toolTurn([{ id: 'toolu_9', name: 'get_weather', json: ['{"city":"Oslo"}'] }]))),
      CHAT,
    );
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({
      object: 'chat.completion',
      model: 'claude-sonnet-4-5',
      choices: [
        {
          index: 0,
          finish_reason: 'tool_calls',
          message: { role: 'assistant', content: null, tool_calls: [{ id: 'toolu_9', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Oslo"}' } }] },
        },
      ],
      usage: { prompt_tokens: 100, completion_tokens: 12, total_tokens: 112, prompt_tokens_details: { cached_tokens: 70 } },
    });
  });

  it.each([
    ['invalid JSON', '{"model":', 'invalid_request_error', null],
    ['missing messages', { model: 'claude-sonnet-4-5' }, 'invalid_request_error', 'messages'],
    ['an empty body', '', 'invalid_request_error', null],
  ])('answers %s with 400 in OpenAI error shape and never a stack', async (_name, body, type, param) => {
    const service = stubService(() => okResult(textTurn(['x'])));
    const res = await post(service, body);
    expect(res.status).toBe(400);
    const json = await res.json();
    expect(json).toEqual({ error: { message: expect.any(String), type, param, code: null } });
    expect(json.error.message).not.toMatch(/\n\s+at /);
    expect(service.calls).toHaveLength(0);
  });

  it('answers a body over 10 MB with 413', async () => {
    const big = JSON.stringify({ ...CHAT, messages: [{ role: 'user', content: 'x'.repeat(10 * 1024 * 1024) }] });
    const res = await post(stubService(() => okResult(textTurn(['x']))), big);
    expect(res.status).toBe(413);
    expect((await res.json()).error.type).toBe('invalid_request_error');
  });

  it('uses a body that a body parser already put on ctx.request', async () => {
    const service = stubService(() => okResult(textTurn(['x'])));
    const res = await post(service, 'not json at all', {
      before: async (ctx, next) => {
        (ctx.request as { body?: unknown }).body = { ...CHAT, messages: [{ role: 'user', content: 'from the parser' }] };
        await next();
      },
    });
    expect(res.status).toBe(200);
    expect(service.calls[0].request.messages[0].content).toBe('from the parser');
  });

  it.each([
    [{ errorType: 'rate_limit_error', status: 429, message: 'All accounts are limited.', retryAfterSeconds: 90.2 }, 429, 'rate_limit_error', '91'],
    [{ errorType: 'not_found_error', status: 404, message: 'Unknown model foo.' }, 404, 'invalid_request_error', null],
    [{ errorType: 'authentication_error', status: 401, message: 'Log in again.' }, 401, 'authentication_error', null],
    [{ errorType: 'permission_error', status: 403, message: 'No Codex on this plan.' }, 403, 'permission_error', null],
    [{ errorType: 'overloaded_error', status: 529, message: 'Overloaded.' }, 529, 'server_error', null],
    [{ errorType: 'api_error', status: 500, message: 'Broken.' }, 500, 'server_error', null],
  ] as const)('answers a failed call (%j) with its status and OpenAI error type', async (failure, status, type, retryAfter) => {
    const res = await post(stubService(() => ({ ok: false, failure: { ...failure } })), { ...CHAT, stream: true });
    expect(res.status).toBe(status);
    expect(res.headers.get('retry-after')).toBe(retryAfter);
    expect(await res.json()).toEqual({ error: { message: failure.message, type, param: null, code: expect.toSatisfy((c) => c === null || typeof c === 'string') } });
  });

  it('reports model_not_found as the code of a 404', async () => {
    const res = await post(stubService(() => ({ ok: false, failure: { errorType: 'not_found_error', status: 404, message: 'no such model' } })), CHAT);
    expect((await res.json()).error.code).toBe('model_not_found');
  });

  it('ends a stream that fails midway with an error event and no [DONE]', async () => {
    const res = await post(stubService(() => okResult(failingTurn('Par', 'api_error', 'Codex backend error: boom'))), { ...CHAT, stream: true });
    expect(res.status).toBe(200);
    const lines = dataLines(await res.text());
    expect(lines).not.toContain('[DONE]');
    expect(lines.at(-1)).toEqual({ error: { message: 'Codex backend error: boom', type: 'server_error', param: null, code: 'server_error' } });
  });

  it('reports a stream that stops without message_stop as an error', async () => {
    const res = await post(stubService(() => okResult([start(), ...textBlock(0, ['cut'])])), { ...CHAT, stream: true });
    const lines = dataLines(await res.text());
    expect(lines).not.toContain('[DONE]');
    expect((lines.at(-1) as { error: { type: string } }).error.type).toBe('server_error');
  });

  it('answers a non-streaming call whose stream fails with the error status', async () => {
    const res = await post(stubService(() => okResult(failingTurn('x', 'rate_limit_error', 'limited'))), CHAT);
    expect(res.status).toBe(429);
    expect((await res.json()).error).toMatchObject({ type: 'rate_limit_error', message: 'limited' });
  });

  it('answers a service that throws with an OpenAI-shaped 500', async () => {
    const res = await post({ send: () => Promise.reject(new Error('kaput')) }, CHAT);
    expect(res.status).toBe(500);
    expect((await res.json()).error).toMatchObject({ type: 'server_error', message: expect.stringContaining('kaput') });
  });

  it('sends keepalive comments while the service is silent', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    async function* slow(): AsyncGenerator<StreamEvent[]> {
      yield [start()];
      await gate;
      yield [...textBlock(0, ['late']), ...textTurn(['x']).slice(-2)];
    }
    const res = await post(stubService(() => ({ ok: true, events: slow(), meta: { upstreamModel: 'm' } })), { ...CHAT, stream: true }, { keepaliveMs: 5 });
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = '';
    while (!text.includes(': keepalive')) text += (await reader.read()).value ?? '';
    release();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      text += value;
    }
    expect(dataLines(text).at(-1)).toBe('[DONE]');
  });

  it('aborts the service call when the client disconnects', async () => {
    let seen: MessagesCall | undefined;
    async function* endless(signal: AbortSignal): AsyncGenerator<StreamEvent[]> {
      yield [start(), { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }];
      while (!signal.aborted) {
        yield [{ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'more ' } }];
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
    }
    const service: MessagesService = {
      async send(call): Promise<MessagesResult> {
        seen = call;
        return { ok: true, events: endless(call.signal), meta: { upstreamModel: 'm' } };
      },
    };
    server = await serveRouter(service);
    const client = new AbortController();
    const res = await fetch(`${server.url}/v1/chat/completions`, { method: 'POST', body: JSON.stringify({ ...CHAT, stream: true }), signal: client.signal });
    const reader = res.body!.getReader();
    await reader.read();
    client.abort();
    await vi.waitFor(() => expect(seen?.signal.aborted).toBe(true));
  });
});
