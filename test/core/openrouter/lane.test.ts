import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { MessagesRequest, StreamEvent } from '../../../shared/anthropic.js';
import type { MessagesCall, MessagesResult } from '../../../main/core/proxy/types.js';
import { createOpenRouterLane, type OpenRouterLaneOptions } from '../../../main/core/openrouter/lane.js';
import { MessageAccumulator } from '../../../main/core/translate/aggregate.js';
import { assertValidAnthropicStream } from '../../support/stream-validator.js';
import { chunk, errorReply, startFakeOpenRouter, textReply, toolCallReply, type FakeOpenRouter } from '../../fakes/openrouter.js';

let fake: FakeOpenRouter;

beforeEach(async () => {
  fake = await startFakeOpenRouter();
});

afterEach(async () => {
  await fake.close();
});

const MODEL = 'z-ai/glm-5';

function lane(overrides: Partial<OpenRouterLaneOptions> = {}) {
  const warn = vi.fn();
  const l = createOpenRouterLane({ baseUrl: fake.url, apiKey: async () => fake.apiKey, model: MODEL, log: { warn }, ...overrides });
  return { lane: l, warn };
}

function call(request: Partial<MessagesRequest> = {}, signal = new AbortController().signal): MessagesCall {
  return {
    request: { model: 'claude-haiku-4-5', max_tokens: 32000, messages: [{ role: 'user', content: 'Name a colour.' }], ...request },
    headers: {},
    signal,
    requestId: 'req_lane',
  };
}

async function collect(result: MessagesResult): Promise<StreamEvent[]> {
  if (!result.ok) throw new Error(`expected ok, got ${result.failure.message}`);
  const events: StreamEvent[] = [];
  for await (const batch of result.events) events.push(...batch);
  assertValidAnthropicStream(events);
  return events;
}

function message(events: StreamEvent[]) {
  const acc = new MessageAccumulator();
  for (const ev of events) acc.push(ev);
  return acc.message();
}

describe('OpenRouter lane', () => {
  it('streams a text answer as Anthropic events, reporting the client model', async () => {
    fake.setScript(() => textReply('Teal, a calm blue-green.'));
    const result = await lane().lane.send(call());
    expect(result).toMatchObject({ ok: true, meta: { upstreamModel: MODEL, lane: 'openrouter' } });
    const msg = message(await collect(result));
    expect(msg).toMatchObject({ model: 'claude-haiku-4-5', stop_reason: 'end_turn', content: [{ type: 'text', text: 'Teal, a calm blue-green.' }] });
    expect(msg.usage).toMatchObject({ input_tokens: 32, cache_read_input_tokens: 10, output_tokens: 7 });

    const sent = fake.requests[0];
    expect(sent.headers.authorization).toBe(`Bearer ${fake.apiKey}`);
    expect(sent.body).toMatchObject({ model: MODEL, stream: true, stream_options: { include_usage: true }, max_tokens: 32000 });
  });

  it('round-trips a tool call: the result goes back as a tool message', async () => {
    const tools = [{ name: 'mcp__files__read.file', description: 'Read', input_schema: { type: 'object', properties: { path: { type: 'string' } } } }];
    // The fake rejects the dotted name, so the lane must rename it upstream and back.
    fake.setScript((body, n) => {
      const upstreamName = body.tools?.[0]?.function.name ?? '';
      return n === 0 ? toolCallReply([{ id: 'call_7', name: upstreamName, arguments: '{"path":"README.md"}' }]) : textReply('It says hello.');
    });
    const { lane: l } = lane();
    const first = message(await collect(await l.send(call({ tools }))));
    expect(first.stop_reason).toBe('tool_use');
    expect(first.content).toEqual([{ type: 'tool_use', id: 'call_7', name: 'mcp__files__read.file', input: { path: 'README.md' } }]);

    const second = await l.send(
      call({
        tools,
        messages: [
          { role: 'user', content: 'Read the readme.' },
          { role: 'assistant', content: first.content as MessagesRequest['messages'][0]['content'] },
          { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'call_7', content: 'hello' }] },
        ],
      }),
    );
    expect(message(await collect(second)).content).toEqual([{ type: 'text', text: 'It says hello.' }]);
    expect((fake.requests[1].body as { messages: unknown[] }).messages.slice(-2)).toEqual([
      { role: 'assistant', content: null, tool_calls: [{ id: 'call_7', type: 'function', function: { name: expect.not.stringContaining('.'), arguments: '{"path":"README.md"}' } }] },
      { role: 'tool', tool_call_id: 'call_7', content: 'hello' },
    ]);
  });

  it('fails without a key, never calling OpenRouter', async () => {
    const { lane: l, warn } = lane({ apiKey: async () => null });
    const result = await l.send(call());
    expect(result).toMatchObject({ ok: false, failure: { errorType: 'authentication_error', message: expect.stringContaining('OpenRouter') } });
    expect(fake.requests).toHaveLength(0);
    expect(warn).toHaveBeenCalledOnce();
  });

  it('fails on a rejected key (HTTP 401) without logging the key', async () => {
    const { lane: l, warn } = lane({ apiKey: async () => 'sk-or-v1-wrong-key-0123456789' });
    const result = await l.send(call());
    expect(result).toMatchObject({ ok: false, failure: { errorType: 'authentication_error', status: 401, message: 'OpenRouter: No auth credentials found' } });
    expect(JSON.stringify(warn.mock.calls)).not.toContain('wrong-key');
  });

  it.each([
    [500, 'api_error'],
    [502, 'api_error'],
    [503, 'overloaded_error'],
    [402, 'permission_error'],
    [429, 'rate_limit_error'],
  ])('fails on HTTP %i before the stream (%s)', async (status, errorType) => {
    fake.setScript(() => errorReply(status, 'upstream trouble'));
    const result = await lane().lane.send(call());
    expect(result).toMatchObject({ ok: false, failure: { errorType, message: 'OpenRouter: upstream trouble' } });
  });

  it('fails (so the caller can fall back) when the first chunk is an error', async () => {
    fake.setScript(() => ({
      kind: 'sse',
      items: [{ comment: 'OPENROUTER PROCESSING' }, { ...chunk({ role: 'assistant', content: '' }, 'error'), error: { code: 502, message: 'Provider returned error' } }],
    }));
    const result = await lane().lane.send(call());
    expect(result).toMatchObject({ ok: false, failure: { errorType: 'api_error', message: 'OpenRouter: Provider returned error' } });
  });

  it('fails when the stream ends before any content', async () => {
    fake.setScript(() => ({ kind: 'sse', items: [chunk({ role: 'assistant', content: '' })], done: false }));
    const result = await lane().lane.send(call());
    expect(result.ok).toBe(false);
  });

  it('fails when OpenRouter cannot be reached', async () => {
    const result = await lane({ baseUrl: 'http://127.0.0.1:9/api/v1' }).lane.send(call());
    expect(result).toMatchObject({ ok: false, failure: { errorType: 'api_error', message: expect.stringContaining('could not connect') } });
  });

  it('ends with an error event when the stream fails after content', async () => {
    fake.setScript(() => ({
      kind: 'sse',
      items: [chunk({ content: 'Half an ans' }), { ...chunk({}, 'error'), error: { code: 'server_error', message: 'Provider disconnected' } }],
    }));
    const events = await collect(await lane().lane.send(call()));
    expect(events.at(-1)).toEqual({ type: 'error', error: { type: 'api_error', message: 'OpenRouter: Provider disconnected' } });
  });

  it('closes the upstream stream when the consumer stops early or the client aborts', async () => {
    fake.setScript(() => ({ kind: 'sse', items: [chunk({ content: 'first' }), chunk({ content: 'second' })], stallAfter: 2 }));
    const early = await lane().lane.send(call());
    if (!early.ok) throw new Error('expected ok');
    for await (const batch of early.events) if (batch.some((ev) => ev.type === 'content_block_delta')) break;
    await vi.waitFor(() => expect(fake.openStreams()).toBe(0));

    const client = new AbortController();
    const aborted = await lane().lane.send(call({}, client.signal));
    if (!aborted.ok) throw new Error('expected ok');
    const it = aborted.events[Symbol.asyncIterator]();
    await it.next();
    client.abort();
    await vi.waitFor(() => expect(fake.openStreams()).toBe(0));
  });

  it('reads upstream lazily, at the pace of the consumer', async () => {
    const reads: string[] = [];
    const tracingFetch: typeof fetch = async (input, init) => {
      const res = await fetch(input, init);
      const body = res.body!.pipeThrough(
        new TransformStream<Uint8Array, Uint8Array>({
          transform(c, controller) {
            reads.push(new TextDecoder().decode(c));
            controller.enqueue(c);
          },
        }),
      );
      return new Response(body, { status: res.status, headers: res.headers });
    };
    const filler = Array.from({ length: 800 }, () => chunk({ content: 'x'.repeat(1000) }));
    fake.setScript(() => ({ kind: 'sse', items: [chunk({ content: 'first' }), ...filler, chunk({ content: 'THE-END' }), chunk({}, 'stop')] }));
    const result = await lane({ fetch: tracingFetch }).lane.send(call());
    if (!result.ok) throw new Error('expected ok');
    const it = result.events[Symbol.asyncIterator]();
    await it.next();
    await it.next();
    // 800 kB were sent; only what the consumer asked for (plus small stream buffers) was read.
    expect(reads.join('')).not.toContain('THE-END');
    const rest: StreamEvent[] = [];
    for (let next = await it.next(); !next.done; next = await it.next()) rest.push(...next.value);
    expect(rest.at(-1)).toEqual({ type: 'message_stop' });
    expect(reads.join('')).toContain('THE-END');
  });
});
