// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { applyStreamEvent, buildPromptRequest, EMPTY_RESULT, readMessageStream, type PromptResult } from '../../renderer/src/lib/message-stream.js';
import { readSse } from '../../renderer/src/lib/sse.js';
import type { StreamEvent } from '../../shared/anthropic.js';
import { sse, streamResponse } from './support/fixtures.js';

const messageStart = {
  type: 'message_start',
  message: {
    id: 'msg_1',
    type: 'message',
    role: 'assistant',
    model: 'claude-sonnet-5-5',
    content: [],
    stop_reason: null,
    stop_sequence: null,
    usage: { input_tokens: 12, output_tokens: 1, cache_creation_input_tokens: 0, cache_read_input_tokens: 2048 },
  },
} as const;

const fullStream = [
  sse(messageStart),
  'event: ping\ndata: {"type":"ping"}\n\n',
  sse({ type: 'content_block_start', index: 0, content_block: { type: 'thinking', thinking: '', signature: '' } }),
  sse({ type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'Hmm, ' } }),
  sse({ type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'greet.' } }),
  sse({ type: 'content_block_delta', index: 0, delta: { type: 'signature_delta', signature: 'sig' } }),
  sse({ type: 'content_block_stop', index: 0 }),
  sse({ type: 'content_block_start', index: 1, content_block: { type: 'text', text: '' } }),
  sse({ type: 'content_block_delta', index: 1, delta: { type: 'text_delta', text: 'Hello' } }),
  sse({ type: 'content_block_delta', index: 1, delta: { type: 'text_delta', text: ', world' } }),
  sse({ type: 'content_block_stop', index: 1 }),
  sse({ type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 42 } }),
  sse({ type: 'message_stop' }),
];

/** Re-cut a stream at arbitrary byte positions, as TCP may. */
function rechunk(text: string, size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

describe('applyStreamEvent', () => {
  it('accumulates text, thinking, stop reason and usage', () => {
    const events = fullStream.map((chunk) => JSON.parse(chunk.split('data: ')[1]) as StreamEvent);
    const result = events.reduce(applyStreamEvent, EMPTY_RESULT);
    expect(result).toEqual<PromptResult>({
      model: 'claude-sonnet-5-5',
      text: 'Hello, world',
      thinking: 'Hmm, greet.',
      stopReason: 'end_turn',
      usage: { input: 12, cached: 2048, output: 42 },
      error: null,
      finished: true,
    });
  });

  it('records a mid-stream error', () => {
    const result = applyStreamEvent(EMPTY_RESULT, { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } });
    expect(result).toMatchObject({ error: 'Overloaded', finished: true });
  });
});

describe('readSse', () => {
  it('splits events across arbitrary chunk boundaries and CRLF line endings', async () => {
    const text = 'event: a\r\ndata: {"x":1}\r\n\r\n: comment\n\nevent: b\ndata: line1\ndata: line2\n\n';
    const events = [];
    for await (const e of readSse(streamResponse(rechunk(text, 3)).body!)) events.push(e);
    expect(events).toEqual([
      { event: 'a', data: '{"x":1}' },
      { event: 'b', data: 'line1\nline2' },
    ]);
  });
});

describe('readMessageStream', () => {
  it('reports each step and the final result of a streamed answer', async () => {
    const updates: PromptResult[] = [];
    const result = await readMessageStream(streamResponse(rechunk(fullStream.join(''), 7)), (r) => updates.push(r));
    expect(result.text).toBe('Hello, world');
    expect(result.usage).toEqual({ input: 12, cached: 2048, output: 42 });
    expect(updates.map((u) => u.text)).toContain('Hello');
    expect(updates.at(-1)).toEqual(result);
  });

  it('shows the message of an Anthropic error answer', async () => {
    const response = new Response(JSON.stringify({ type: 'error', error: { type: 'rate_limit_error', message: 'All accounts are limited until 14:00.' } }), { status: 429 });
    const result = await readMessageStream(response, () => undefined);
    expect(result).toMatchObject({ error: 'All accounts are limited until 14:00.', finished: true });
  });

  it('reports a stream that ends before message_stop', async () => {
    const result = await readMessageStream(streamResponse(fullStream.slice(0, 9)), () => undefined);
    expect(result.text).toBe('Hello');
    expect(result.error).toMatch(/ended before message_stop/);
  });

  it('stops at an error event', async () => {
    const result = await readMessageStream(
      streamResponse([sse(messageStart), sse({ type: 'error', error: { type: 'api_error', message: 'upstream failed' } })]),
      () => undefined,
    );
    expect(result).toMatchObject({ error: 'upstream failed', finished: true });
  });
});

describe('buildPromptRequest', () => {
  it('asks for a stream, with thinking only when wanted', () => {
    expect(buildPromptRequest('claude-haiku-5-5', 'hi', false)).toEqual({
      model: 'claude-haiku-5-5',
      max_tokens: 4096,
      stream: true,
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(buildPromptRequest('claude-opus-5-5', 'hi', true).thinking).toEqual({ type: 'adaptive', display: 'updates' });
  });
});
