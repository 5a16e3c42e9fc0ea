import { MessageStream } from '@anthropic-ai/sdk/lib/MessageStream';
import { describe, expect, it } from 'vitest';
import type { Message, StreamEvent } from '../../../shared/anthropic.js';
import { MessageAccumulator } from '../../../main/core/translate/aggregate.js';
import { encodeSignature } from '../../../main/core/translate/signature.js';
import { ResponseTranslator } from '../../../main/core/translate/stream.js';
import { assertValidAnthropicStream } from '../../support/stream-validator.js';

const start: StreamEvent = {
  type: 'message_start',
  message: {
    id: 'msg_a',
    type: 'message',
    role: 'assistant',
    model: 'claude-opus-5-5',
    content: [],
    stop_reason: null,
    stop_sequence: null,
    usage: { input_tokens: 30, output_tokens: 1, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
  },
};

function accumulate(events: StreamEvent[]): MessageAccumulator {
  const acc = new MessageAccumulator();
  for (const ev of events) acc.push(ev);
  return acc;
}

/**
 * What the official SDK's MessageStream (Claude Code's client) makes of the same events, minus
 * the two fields only the SDK adds (`parsed_output`, `stop_details`).
 */
async function sdkFinalMessage(events: StreamEvent[]): Promise<unknown> {
  const ndjson = new TextEncoder().encode(events.map((e) => `${JSON.stringify(e)}\n`).join(''));
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(ndjson);
      controller.close();
    },
  });
  const {
    parsed_output: _parsed,
    stop_details: _details,
    ...message
  } = await MessageStream.fromReadableStream(body).finalMessage();
  return message;
}

const rich: StreamEvent[] = [
  start,
  { type: 'content_block_start', index: 0, content_block: { type: 'thinking', thinking: '', signature: '' } },
  { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'Let me ' } },
  { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'check.' } },
  { type: 'content_block_delta', index: 0, delta: { type: 'signature_delta', signature: 'sig-1' } },
  { type: 'content_block_stop', index: 0 },
  { type: 'ping' },
  {
    type: 'content_block_start',
    index: 1,
    content_block: { type: 'server_tool_use', id: 'srvtoolu_1', name: 'web_search', input: {} },
  },
  { type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: '{"query":' } },
  { type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: '"weather"}' } },
  { type: 'content_block_stop', index: 1 },
  {
    type: 'content_block_start',
    index: 2,
    content_block: {
      type: 'web_search_tool_result',
      tool_use_id: 'srvtoolu_1',
      content: [{ type: 'web_search_result', url: 'https://a.example', title: 'A', page_age: null }],
    },
  },
  { type: 'content_block_stop', index: 2 },
  { type: 'content_block_start', index: 3, content_block: { type: 'text', text: '' } },
  { type: 'content_block_delta', index: 3, delta: { type: 'text_delta', text: 'Sunny ' } },
  { type: 'content_block_delta', index: 3, delta: { type: 'text_delta', text: '☀️ 晴れ' } },
  { type: 'content_block_stop', index: 3 },
  { type: 'content_block_start', index: 4, content_block: { type: 'tool_use', id: 'call_1', name: 'Bash', input: {} } },
  { type: 'content_block_delta', index: 4, delta: { type: 'input_json_delta', partial_json: '' } },
  { type: 'content_block_delta', index: 4, delta: { type: 'input_json_delta', partial_json: '{"command":"ls",' } },
  { type: 'content_block_delta', index: 4, delta: { type: 'input_json_delta', partial_json: '"timeout":5}' } },
  { type: 'content_block_stop', index: 4 },
  {
    type: 'message_delta',
    delta: { stop_reason: 'tool_use', stop_sequence: null },
    usage: {
      input_tokens: 12,
      output_tokens: 40,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 18,
      server_tool_use: { web_search_requests: 1 },
    },
  },
  { type: 'message_stop' },
];

const richMessage: Message = {
  id: 'msg_a',
  type: 'message',
  role: 'assistant',
  model: 'claude-opus-5-5',
  content: [
    { type: 'thinking', thinking: 'Let me check.', signature: 'sig-1' },
    { type: 'server_tool_use', id: 'srvtoolu_1', name: 'web_search', input: { query: 'weather' } },
    {
      type: 'web_search_tool_result',
      tool_use_id: 'srvtoolu_1',
      content: [{ type: 'web_search_result', url: 'https://a.example', title: 'A', page_age: null }],
    },
    { type: 'text', text: 'Sunny ☀️ 晴れ' },
    { type: 'tool_use', id: 'call_1', name: 'Bash', input: { command: 'ls', timeout: 5 } },
  ],
  stop_reason: 'tool_use',
  stop_sequence: null,
  usage: {
    input_tokens: 12,
    output_tokens: 40,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: 18,
    server_tool_use: { web_search_requests: 1 },
  },
};

describe('MessageAccumulator', () => {
  it('builds the final message from every block type', () => {
    assertValidAnthropicStream(rich);
    const acc = accumulate(rich);
    expect(acc.error).toBeNull();
    expect(acc.message()).toEqual(richMessage);
  });

  it('agrees with the official SDK MessageStream on the same events', async () => {
    expect(await sdkFinalMessage(rich)).toEqual(accumulate(rich).message());
  });

  it('agrees with the SDK on a translated Codex stream', async () => {
    const t = new ResponseTranslator({
      model: 'claude-opus-5-5',
      messageId: 'msg_t',
      toolNames: { toUpstream: (n) => n, fromUpstream: (n) => n },
      thinkingDisplay: 'summarized',
    });
    const events = [
      ...t.start(),
      ...t.push({
        type: 'response.output_item.added',
        output_index: 0,
        item: { type: 'reasoning', id: 'rs_1', summary: [] },
      }),
      ...t.push({ type: 'response.reasoning_summary_text.delta', output_index: 0, summary_index: 0, delta: 'Plan.' }),
      ...t.push({
        type: 'response.output_item.done',
        output_index: 0,
        item: {
          type: 'reasoning',
          id: 'rs_1',
          summary: [{ type: 'summary_text', text: 'Plan.' }],
          encrypted_content: 'E',
        },
      }),
      ...t.push({
        type: 'response.output_item.added',
        output_index: 1,
        item: { type: 'function_call', call_id: 'call_9', name: 'Read', arguments: '' },
      }),
      ...t.push({ type: 'response.function_call_arguments.delta', output_index: 1, delta: '{"file_path":"/x"}' }),
      ...t.push({
        type: 'response.output_item.done',
        output_index: 1,
        item: { type: 'function_call', call_id: 'call_9', name: 'Read', arguments: '{"file_path":"/x"}' },
      }),
      ...t.push({
        type: 'response.completed',
        response: { usage: { input_tokens: 50, input_tokens_details: { cached_tokens: 20 }, output_tokens: 9 } },
      }),
    ];
    const ours = accumulate(events).message();
    expect(ours.content).toEqual([
      { type: 'thinking', thinking: 'Plan.', signature: encodeSignature('E') },
      { type: 'tool_use', id: 'call_9', name: 'Read', input: { file_path: '/x' } },
    ]);
    expect(ours.usage).toEqual({
      input_tokens: 30,
      output_tokens: 9,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 20,
    });
    expect(await sdkFinalMessage(events)).toEqual(ours);
  });

  it('replaces the signature on each signature_delta and appends citations', () => {
    const acc = accumulate([
      start,
      { type: 'content_block_start', index: 0, content_block: { type: 'thinking', thinking: '', signature: '' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'signature_delta', signature: 'old' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'signature_delta', signature: 'new' } },
      { type: 'content_block_stop', index: 0 },
      { type: 'content_block_start', index: 1, content_block: { type: 'text', text: '', citations: [] } },
      {
        type: 'content_block_delta',
        index: 1,
        delta: { type: 'citations_delta', citation: { type: 'web_search_result_location', url: 'u' } },
      },
      { type: 'content_block_delta', index: 1, delta: { type: 'text_delta', text: 'cited' } },
      { type: 'content_block_stop', index: 1 },
    ]);
    expect(acc.message().content).toEqual([
      { type: 'thinking', thinking: '', signature: 'new' },
      { type: 'text', text: 'cited', citations: [{ type: 'web_search_result_location', url: 'u' }] },
    ]);
  });

  it('ignores deltas that do not match their block, or have no block', () => {
    const acc = accumulate([
      start,
      { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: '{"a":1}' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'no' } },
      { type: 'content_block_delta', index: 7, delta: { type: 'text_delta', text: 'lost' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'yes' } },
      { type: 'content_block_stop', index: 0 },
    ]);
    expect(acc.message().content).toEqual([{ type: 'text', text: 'yes' }]);
  });

  it('gives {} for tool input that is empty, cut short or not an object', () => {
    const tool = (index: number, json: string[]): StreamEvent[] => [
      {
        type: 'content_block_start',
        index,
        content_block: { type: 'tool_use', id: `c${index}`, name: 'T', input: {} },
      },
      ...json.map((partial_json): StreamEvent => ({
        type: 'content_block_delta',
        index,
        delta: { type: 'input_json_delta', partial_json },
      })),
      { type: 'content_block_stop', index },
    ];
    const acc = accumulate([start, ...tool(0, []), ...tool(1, ['{"a":', '1']), ...tool(2, ['[1,2]'])]);
    expect(acc.message().content.map((b) => (b.type === 'tool_use' ? b.input : null))).toEqual([{}, {}, {}]);
  });

  it('records an error event and keeps the partial message', () => {
    const acc = accumulate([
      start,
      { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'part' } },
      { type: 'content_block_stop', index: 0 },
      {
        type: 'error',
        error: { type: 'overloaded_error', message: 'Codex backend error (server_is_overloaded): busy' },
      },
    ]);
    expect(acc.error).toEqual({
      type: 'overloaded_error',
      message: 'Codex backend error (server_is_overloaded): busy',
    });
    expect(acc.message()).toMatchObject({ content: [{ type: 'text', text: 'part' }], stop_reason: null });
  });

  it('records an error that arrives before message_start', () => {
    const acc = accumulate([{ type: 'error', error: { type: 'api_error', message: 'x' } }]);
    expect(acc.error).toEqual({ type: 'api_error', message: 'x' });
    expect(() => acc.message()).toThrow(/no message_start/);
  });

  it('keeps start usage when message_delta carries output_tokens only', () => {
    const acc = accumulate([
      start,
      { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 7 } },
      { type: 'message_stop' },
    ]);
    expect(acc.message().usage).toEqual({
      input_tokens: 30,
      output_tokens: 7,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
    });
    expect(acc.message().stop_reason).toBe('end_turn');
  });

  it('returns a copy that later events do not change, and never shares the event objects', () => {
    const events: StreamEvent[] = [
      start,
      { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'a' } },
    ];
    const acc = accumulate(events);
    const first = acc.message();
    acc.push({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'b' } });
    expect(first.content).toEqual([{ type: 'text', text: 'a' }]);
    expect(acc.message().content).toEqual([{ type: 'text', text: 'ab' }]);
    expect(events[1]).toEqual({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } });
    expect((start as Extract<StreamEvent, { type: 'message_start' }>).message.content).toEqual([]);
  });
});
