import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Message, StreamEvent } from '../../../shared/anthropic.js';
import { ChatToEventsTranslator } from '../../../main/core/openrouter/chat-to-events.js';
import { ChatChunkTranslator } from '../../../main/core/openai/events-to-chat.js';
import { MessageAccumulator } from '../../../main/core/translate/aggregate.js';
import { buildToolNameMap } from '../../../main/core/translate/tools.js';
import type { ChatCompletionChunk } from '../../../main/core/openai/types.js';
import { assertValidAnthropicStream } from '../../support/stream-validator.js';
import { chunk, DEFAULT_USAGE, textReply, toolCallReply, usageChunk, type SseItem } from '../../fakes/openrouter.js';
import { toolTurn, textTurn } from '../openai/canned.js';

function translator(toolNames?: ReturnType<typeof buildToolNameMap>) {
  return new ChatToEventsTranslator({ model: 'claude-haiku-4-5', messageId: 'msg_or', toolNames });
}

/** Runs chunks (+[DONE] unless told otherwise) and checks the grammar; returns events and the message. */
function run(items: SseItem[], opts: { done?: boolean; t?: ChatToEventsTranslator } = {}): { events: StreamEvent[]; message: Message; error: unknown } {
  const t = opts.t ?? translator();
  const events = [...t.start()];
  for (const item of items) if ('object' in item) events.push(...t.push(item));
  events.push(...t.end(opts.done ?? true));
  assertValidAnthropicStream(events);
  const acc = new MessageAccumulator();
  for (const ev of events) acc.push(ev);
  return { events, message: acc.message(), error: acc.error };
}

function items(reply: ReturnType<typeof textReply>): SseItem[] {
  return reply.kind === 'sse' ? reply.items : [];
}

describe('ChatToEventsTranslator', () => {
  it('streams text as one text block and maps usage (cached tokens apart)', () => {
    const { events, message } = run(items(textReply('Hello from OpenRouter')));
    expect(events[0]).toMatchObject({ type: 'message_start', message: { id: 'msg_or', model: 'claude-haiku-4-5', usage: { input_tokens: 0 } } });
    expect(events.filter((e) => e.type === 'content_block_delta').length).toBeGreaterThan(1);
    expect(message.content).toEqual([{ type: 'text', text: 'Hello from OpenRouter' }]);
    expect(message.stop_reason).toBe('end_turn');
    expect(message.usage).toEqual({ input_tokens: 32, output_tokens: 7, cache_creation_input_tokens: 0, cache_read_input_tokens: 10 });
  });

  it('emits a tool call as a tool_use block whose input arrives by input_json_delta', () => {
    const { events, message } = run(items(toolCallReply([{ id: 'call_1', name: 'Read', arguments: '{"file_path":"/etc/hosts"}' }], 'Reading.')));
    const start = events.find((e) => e.type === 'content_block_start' && e.content_block.type === 'tool_use');
    expect(start).toMatchObject({ content_block: { type: 'tool_use', id: 'call_1', name: 'Read', input: {} } });
    expect(message.content).toEqual([
      { type: 'text', text: 'Reading.' },
      { type: 'tool_use', id: 'call_1', name: 'Read', input: { file_path: '/etc/hosts' } },
    ]);
    expect(message.stop_reason).toBe('tool_use');
  });

  it('handles parallel calls, also when a provider interleaves their argument pieces', () => {
    const interleaved: SseItem[] = [
      chunk({ role: 'assistant' }),
      chunk({ tool_calls: [{ index: 0, id: 'a', type: 'function', function: { name: 'Grep', arguments: '{"pat' } }] }),
      chunk({ tool_calls: [{ index: 1, id: 'b', type: 'function', function: { name: 'Glob', arguments: '{"glob"' } }] }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: 'tern":"x"}' } }] }),
      chunk({ tool_calls: [{ index: 1, function: { arguments: ':"*.ts"}' } }] }),
      chunk({}, 'tool_calls'),
      usageChunk(DEFAULT_USAGE),
    ];
    const { message } = run(interleaved);
    expect(message.content).toEqual([
      { type: 'tool_use', id: 'a', name: 'Grep', input: { pattern: 'x' } },
      { type: 'tool_use', id: 'b', name: 'Glob', input: { glob: '*.ts' } },
    ]);
  });

  it('turns empty or broken arguments into {} and restores renamed tool names', () => {
    const names = buildToolNameMap(['mcp__server__tool.with.dots']);
    const upstream = names.toUpstream('mcp__server__tool.with.dots');
    expect(upstream).not.toContain('.');
    const { message } = run(
      [
        chunk({ tool_calls: [{ index: 0, id: 'x', type: 'function', function: { name: upstream, arguments: '' } }] }),
        chunk({ tool_calls: [{ index: 1, id: 'y', type: 'function', function: { name: 'Bash', arguments: '{"command": "ls' } }] }),
        chunk({}, 'stop'),
      ],
      { t: translator(names) },
    );
    expect(message.content).toEqual([
      { type: 'tool_use', id: 'x', name: 'mcp__server__tool.with.dots', input: {} },
      { type: 'tool_use', id: 'y', name: 'Bash', input: {} },
    ]);
    // Some providers say `stop` after calls; the calls are what matters.
    expect(message.stop_reason).toBe('tool_use');
  });

  it.each([
    ['stop', 'end_turn'],
    ['length', 'max_tokens'],
    ['content_filter', 'refusal'],
    [null, 'end_turn'],
  ])('maps finish_reason %s to stop_reason %s', (finish, stop) => {
    const list: SseItem[] = [chunk({ content: 'x' }), ...(finish ? [chunk({}, finish)] : [])];
    expect(run(list).message.stop_reason).toBe(stop);
  });

  it('ends with an error event when an error chunk arrives mid-stream', () => {
    const t = translator();
    const { events, error } = run(
      [
        chunk({ content: 'Partial' }),
        { ...chunk({ content: '' }, 'error'), error: { code: 502, message: 'Provider returned error', metadata: { provider_name: 'Fireworks' } } },
        chunk({ content: 'ignored' }),
      ],
      { t },
    );
    expect(events.at(-1)).toEqual({ type: 'error', error: { type: 'api_error', message: 'OpenRouter: Provider returned error (provider Fireworks)' } });
    expect(error).toMatchObject({ type: 'api_error' });
    expect(t.failure).toMatchObject({ errorType: 'api_error', status: 500 });
    expect(t.emittedContent).toBe(true);
  });

  it('maps numeric error codes to Anthropic error types', () => {
    const t = translator();
    t.start();
    const events = t.push({ ...chunk({}), error: { code: 429, message: 'Rate limit exceeded' } } as ChatCompletionChunk);
    expect(events.at(-1)).toMatchObject({ type: 'error', error: { type: 'rate_limit_error' } });
    expect(t.emittedContent).toBe(false);
  });

  it('treats finish_reason "error" without an error object as a failure', () => {
    const { events } = run([chunk({ content: 'x' }), chunk({}, 'error')]);
    expect(events.at(-1)).toMatchObject({ type: 'error', error: { type: 'api_error' } });
  });

  it('reports a stream cut before any finish as a failure, but accepts [DONE] without one', () => {
    const cut = run([chunk({ content: 'half' })], { done: false });
    expect(cut.events.at(-1)).toMatchObject({ type: 'error', error: { message: expect.stringContaining('ended before') } });
    const done = run([chunk({ content: 'whole' })], { done: true });
    expect(done.message.stop_reason).toBe('end_turn');
  });

  it('round-trips Anthropic streams through chat chunks (events-to-chat, then chat-to-events)', () => {
    const originals: StreamEvent[][] = [
      textTurn(['Hi ', 'there']),
      textTurn(['cut'], 'max_tokens'),
      toolTurn(
        [
          { id: 'toolu_1', name: 'Read', json: ['{"file_path":', '"/a"}'] },
          { id: 'toolu_2', name: 'Bash', json: ['{"command":"ls"}'] },
        ],
        { text: 'Two calls.' },
      ),
    ];
    for (const original of originals) {
      const forward = new ChatChunkTranslator({ id: 'c', model: 'm', created: 0, includeUsage: true });
      const chunks = original.flatMap((ev) => forward.push(ev)).flatMap((p) => (p.kind === 'chunk' ? [p.chunk] : []));
      const expected = new MessageAccumulator();
      for (const ev of original) expected.push(ev);
      const { message } = run(chunks);
      expect(message.content).toEqual(expected.message().content);
      expect(message.stop_reason).toBe(expected.message().stop_reason);
      expect(message.usage).toEqual(expected.message().usage);
    }
  });

  it('produces a valid Anthropic stream for any sequence of chunks', () => {
    const piece = fc.oneof(
      fc.string().map((content) => chunk({ content })),
      fc.record({ index: fc.integer({ min: 0, max: 2 }), id: fc.option(fc.constantFrom('a', 'b', 'c'), { nil: undefined }), name: fc.option(fc.constantFrom('Bash', 'Read'), { nil: undefined }), args: fc.constantFrom('', '{', '"x":1', '}', '{}', 'null') }).map((d) =>
        chunk({ tool_calls: [{ index: d.index, ...(d.id ? { id: d.id, type: 'function' as const } : {}), function: { ...(d.name ? { name: d.name } : {}), arguments: d.args } }] }),
      ),
      fc.constantFrom('stop', 'length', 'tool_calls', 'content_filter', 'error').map((f) => chunk({}, f)),
      fc.constant(usageChunk(DEFAULT_USAGE)),
      fc.constant({ ...chunk({}), error: { code: 503, message: 'down' } } as ChatCompletionChunk),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 20 }), fc.boolean(), (list, done) => {
        run(list, { done });
      }),
      { numRuns: 1000 },
    );
  });
});
