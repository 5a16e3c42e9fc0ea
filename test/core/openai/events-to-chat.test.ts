import { describe, expect, it } from 'vitest';
import type { StreamEvent } from '../../../shared/anthropic.js';
import { ChatChunkTranslator, ChatCompletionAccumulator, type ChatStreamOptions, type ChatStreamPart } from '../../../main/core/openai/events-to-chat.js';
import type { ChatCompletionChunk } from '../../../main/core/openai/types.js';
import { assertValidAnthropicStream } from '../../support/stream-validator.js';
import { failingTurn, start, textBlock, textTurn, toolTurn, USAGE } from './canned.js';

const OPTS: ChatStreamOptions = { id: 'chatcmpl-1', model: 'claude-sonnet-4-5', created: 1_760_000_000, includeUsage: false };

function run(events: StreamEvent[], opts: Partial<ChatStreamOptions> = {}): ChatStreamPart[] {
  assertValidAnthropicStream(events);
  const t = new ChatChunkTranslator({ ...OPTS, ...opts });
  return events.flatMap((ev) => t.push(ev));
}

function chunks(parts: ChatStreamPart[]): ChatCompletionChunk[] {
  return parts.flatMap((p) => (p.kind === 'chunk' ? [p.chunk] : []));
}

function complete(events: StreamEvent[]) {
  const acc = new ChatCompletionAccumulator();
  for (const c of chunks(run(events, { includeUsage: true }))) acc.push(c);
  return acc.completion();
}

describe('ChatChunkTranslator', () => {
  it('streams text in OpenAI chunk shape: role first, content deltas, finish_reason, no usage by default', () => {
    const out = chunks(run(textTurn(['Hel', 'lo'])));
    expect(out).toEqual([
      { id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1_760_000_000, model: 'claude-sonnet-4-5', choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null, logprobs: null }] },
      { id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1_760_000_000, model: 'claude-sonnet-4-5', choices: [{ index: 0, delta: { content: 'Hel' }, finish_reason: null, logprobs: null }] },
      { id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1_760_000_000, model: 'claude-sonnet-4-5', choices: [{ index: 0, delta: { content: 'lo' }, finish_reason: null, logprobs: null }] },
      { id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1_760_000_000, model: 'claude-sonnet-4-5', choices: [{ index: 0, delta: {}, finish_reason: 'stop', logprobs: null }] },
    ]);
  });

  it('adds `usage: null` to every chunk and a final usage chunk with cached tokens when include_usage', () => {
    const out = chunks(run(textTurn(['Hi']), { includeUsage: true }));
    expect(out.slice(0, -1).every((c) => c.usage === null)).toBe(true);
    expect(out.at(-1)).toEqual({
      id: 'chatcmpl-1',
      object: 'chat.completion.chunk',
      created: 1_760_000_000,
      model: 'claude-sonnet-4-5',
      choices: [],
      // Anthropic input_tokens are uncached only; OpenAI's prompt_tokens include the cache.
      usage: { prompt_tokens: 100, completion_tokens: 12, total_tokens: 112, prompt_tokens_details: { cached_tokens: 70 } },
    });
  });

  it('streams tool calls with incremental arguments and indices per call (parallel calls)', () => {
    const out = chunks(
      run(
        toolTurn([
          { id: 'toolu_1', name: 'Read', json: ['{"file_path":', '"/a"}'] },
          { id: 'toolu_2', name: 'Bash', json: ['{"command":"ls"}'] },
        ]),
      ),
    );
    const deltas = out.map((c) => c.choices[0]?.delta.tool_calls).filter(Boolean);
    expect(deltas).toEqual([
      [{ index: 0, id: 'toolu_1', type: 'function', function: { name: 'Read', arguments: '' } }],
      [{ index: 0, function: { arguments: '{"file_path":' } }],
      [{ index: 0, function: { arguments: '"/a"}' } }],
      [{ index: 1, id: 'toolu_2', type: 'function', function: { name: 'Bash', arguments: '' } }],
      [{ index: 1, function: { arguments: '{"command":"ls"}' } }],
    ]);
    expect(out.at(-1)?.choices[0].finish_reason).toBe('tool_calls');
  });

  it('exposes thinking as reasoning_content and never leaks the signature', () => {
    const out = chunks(run(toolTurn([{ id: 't', name: 'f', json: ['{}'] }], { thinking: 'Let me think.', text: 'Calling f.' })));
    expect(out.map((c) => c.choices[0]?.delta.reasoning_content).filter(Boolean)).toEqual(['Let me think.']);
    expect(JSON.stringify(out)).not.toContain('sig-not-for-chat-clients');
  });

  it.each([
    ['end_turn', 'stop'],
    ['stop_sequence', 'stop'],
    ['pause_turn', 'stop'],
    ['max_tokens', 'length'],
    ['refusal', 'content_filter'],
  ] as const)('maps stop_reason %s to finish_reason %s', (stop, finish) => {
    expect(chunks(run(textTurn(['x'], stop))).at(-1)?.choices[0].finish_reason).toBe(finish);
  });

  it('turns a mid-stream error event into an OpenAI error part and ignores anything after it', () => {
    const t = new ChatChunkTranslator(OPTS);
    const events = failingTurn('partial', 'overloaded_error', 'Codex backend is overloaded');
    assertValidAnthropicStream(events);
    const parts = events.flatMap((ev) => t.push(ev));
    expect(parts.at(-1)).toEqual({
      kind: 'error',
      status: 529,
      body: { error: { message: 'Codex backend is overloaded', type: 'server_error', param: null, code: 'overloaded' } },
    });
    expect(t.state).toBe('failed');
    expect(t.push({ type: 'message_stop' })).toEqual([]);
  });

  it('reports state done after message_stop and ignores pings', () => {
    const t = new ChatChunkTranslator(OPTS);
    expect(t.push(start())).toHaveLength(1);
    expect(t.push({ type: 'ping' })).toEqual([]);
    expect(t.state).toBe('open');
    for (const ev of [...textBlock(0, ['a']), { type: 'message_stop' } as StreamEvent]) t.push(ev);
    expect(t.state).toBe('done');
  });
});

describe('ChatCompletionAccumulator', () => {
  it('builds a chat.completion for text with usage', () => {
    expect(complete(textTurn(['Hello', ' world']))).toEqual({
      id: 'chatcmpl-1',
      object: 'chat.completion',
      created: 1_760_000_000,
      model: 'claude-sonnet-4-5',
      choices: [{ index: 0, message: { role: 'assistant', content: 'Hello world', refusal: null }, finish_reason: 'stop', logprobs: null }],
      usage: { prompt_tokens: 100, completion_tokens: USAGE.output_tokens, total_tokens: 112, prompt_tokens_details: { cached_tokens: 70 } },
    });
  });

  it('builds tool_calls with content null for a pure tool turn', () => {
    const c = complete(toolTurn([{ id: 'toolu_1', name: 'Read', json: ['{"a":', '1}'] }, { id: 'toolu_2', name: 'Grep', json: ['{}'] }]));
    expect(c.choices[0].message).toEqual({
      role: 'assistant',
      content: null,
      refusal: null,
      tool_calls: [
        { id: 'toolu_1', type: 'function', function: { name: 'Read', arguments: '{"a":1}' } },
        { id: 'toolu_2', type: 'function', function: { name: 'Grep', arguments: '{}' } },
      ],
    });
    expect(c.choices[0].finish_reason).toBe('tool_calls');
  });

  it('keeps reasoning_content and text together', () => {
    const c = complete(toolTurn([], { thinking: 'Hmm.', text: 'Answer.' }));
    expect(c.choices[0].message).toMatchObject({ content: 'Answer.', reasoning_content: 'Hmm.' });
  });
});
