import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Message, ResponseContentBlock, StreamEvent } from '../../../shared/anthropic.js';
import { MessageAccumulator } from '../../../main/core/translate/aggregate.js';
import { decodeSignature, encodeSignature } from '../../../main/core/translate/signature.js';
import { ResponseTranslator, type ResponseTranslatorOptions } from '../../../main/core/translate/stream.js';
import type { ToolNameMap } from '../../../main/core/translate/tools.js';
import { ev, interleave, type Ev } from '../../fakes/codex-events.js';
import { assertValidAnthropicStream } from '../../support/stream-validator.js';
import { classifyStream } from '../../../main/core/upstream/failure.js';

// ---- single Codex events, for hand-made orders (shapes: docs/FACTS.md, "Codex wire shapes") ----

const added = (output_index: number, item: Record<string, unknown>): Ev => ({
  type: 'response.output_item.added',
  output_index,
  item,
});
const done = (output_index: number, item: Record<string, unknown>): Ev => ({
  type: 'response.output_item.done',
  output_index,
  item,
});
const textDelta = (output_index: number, delta: string, content_index = 0): Ev => ({
  type: 'response.output_text.delta',
  item_id: `msg_${output_index}`,
  output_index,
  content_index,
  delta,
});
const argsDelta = (output_index: number, delta: string): Ev => ({
  type: 'response.function_call_arguments.delta',
  item_id: `fc_${output_index}`,
  output_index,
  delta,
});
const summaryDelta = (output_index: number, delta: string, summary_index = 0): Ev => ({
  type: 'response.reasoning_summary_text.delta',
  item_id: `rs_${output_index}`,
  output_index,
  summary_index,
  delta,
});
const message = (output_index: number, ...texts: string[]): Record<string, unknown> => ({
  type: 'message',
  id: `msg_${output_index}`,
  role: 'assistant',
  content: texts.map((text) => ({ type: 'output_text', text, annotations: [] })),
});
const call = (output_index: number, call_id: string, name: string, args: string): Record<string, unknown> => ({
  type: 'function_call',
  id: `fc_${output_index}`,
  call_id,
  name,
  arguments: args,
  status: 'completed',
});
const reasoning = (output_index: number, summary: string[], encrypted_content?: string): Record<string, unknown> => ({
  type: 'reasoning',
  id: `rs_${output_index}`,
  summary: summary.map((text) => ({ type: 'summary_text', text })),
  ...(encrypted_content !== undefined ? { encrypted_content } : {}),
});
/** The shared fake backend's builders, with this file's (output index first) argument order. */
const textItem = (i: number, chunks: string[]): Ev[] => ev.textMessage(chunks.join(''), { chunks, outputIndex: i });
const callItem = (i: number, callId: string, name: string, chunks: string[]): Ev[] =>
  ev.functionCall(callId, name, chunks.join(''), { chunks, outputIndex: i });
const { created, completed, incomplete, failed } = ev;

// ---- running the translator ----

const identity: ToolNameMap = { toUpstream: (n) => n, fromUpstream: (n) => n };

interface Run {
  events: StreamEvent[];
  translator: ResponseTranslator;
  message: Message;
  error: { type: string; message: string } | null;
  blocks: ResponseContentBlock[];
}

function toSse(events: StreamEvent[]): string {
  return events.map((e) => `event: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`).join('');
}

/** Every translation is checked by the grammar validator (as events and as SSE) and accumulated. */
function run(upstream: Ev[], opts: Partial<ResponseTranslatorOptions> = {}): Run {
  const translator = new ResponseTranslator({
    model: 'claude-opus-5-5',
    messageId: 'msg_test',
    toolNames: identity,
    thinkingDisplay: 'summarized',
    inputTokensEstimate: 42,
    failureOf: (raw) => classifyStream(raw, Date.now()).failure,
    ...opts,
  });
  const events = [...translator.start()];
  for (const ev of upstream) events.push(...translator.push(ev));
  events.push(...translator.end());
  assertValidAnthropicStream(events);
  assertValidAnthropicStream(toSse(events));
  const acc = new MessageAccumulator();
  for (const ev of events) acc.push(ev);
  const msg = acc.message();
  return { events, translator, message: msg, error: acc.error, blocks: msg.content };
}

function deltasOf(events: StreamEvent[], index: number): string[] {
  return events.flatMap((e) => {
    if (e.type !== 'content_block_delta' || e.index !== index) return [];
    const d = e.delta;
    return d.type === 'text_delta'
      ? [d.text]
      : d.type === 'input_json_delta'
        ? [d.partial_json]
        : d.type === 'thinking_delta'
          ? [d.thinking]
          : [];
  });
}

const messageDelta = (events: StreamEvent[]) =>
  events.find((e) => e.type === 'message_delta') as Extract<StreamEvent, { type: 'message_delta' }>;
const types = (blocks: ResponseContentBlock[]) => blocks.map((b) => b.type);

describe('ResponseTranslator: message_start', () => {
  it('reports the client model verbatim, the id and the input estimate', () => {
    const t = new ResponseTranslator({
      model: 'claude-sonnet-5-5',
      messageId: 'msg_x',
      toolNames: identity,
      thinkingDisplay: 'summarized',
      inputTokensEstimate: 1234,
    });
    expect(t.start()).toEqual([
      {
        type: 'message_start',
        message: {
          id: 'msg_x',
          type: 'message',
          role: 'assistant',
          model: 'claude-sonnet-5-5',
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage: { input_tokens: 1234, output_tokens: 1, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
        },
      },
    ]);
  });

  it('generates a msg_ id when none is given', () => {
    const [ev] = new ResponseTranslator({ model: 'm', toolNames: identity, thinkingDisplay: 'none' }).start();
    expect(ev.type === 'message_start' && ev.message.id).toMatch(/^msg_[0-9a-f]{24}$/);
  });
});

describe('ResponseTranslator: text', () => {
  it('streams plain text deltas live into one text block', () => {
    const t = new ResponseTranslator({ model: 'm', toolNames: identity, thinkingDisplay: 'summarized' });
    t.start();
    expect(t.push(created())).toEqual([]);
    expect(t.push(added(0, { type: 'message', id: 'msg_0', role: 'assistant', content: [] }))).toEqual([]);
    expect(t.emittedContent).toBe(false);
    expect(t.push(textDelta(0, 'Hel'))).toEqual([
      { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Hel' } },
    ]);
    expect(t.emittedContent).toBe(true);
    expect(t.push(textDelta(0, 'lo'))).toEqual([
      { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'lo' } },
    ]);
    expect(t.push(done(0, message(0, 'Hello')))).toEqual([{ type: 'content_block_stop', index: 0 }]);
    expect(t.push(completed({ input_tokens: 10, cached_tokens: 0, output_tokens: 2 }))).toEqual([
      {
        type: 'message_delta',
        delta: { stop_reason: 'end_turn', stop_sequence: null },
        usage: {
          input_tokens: 10,
          output_tokens: 2,
          cache_creation_input_tokens: 0,
          cache_read_input_tokens: 0,
          output_tokens_details: { thinking_tokens: 0 },
        },
      },
      { type: 'message_stop' },
    ]);
    expect(t.done).toBe(true);
    expect(t.failure).toBeNull();
    expect(t.end()).toEqual([]);
  });

  it('plain text end to end', () => {
    const r = run([created(), ...textItem(0, ['Hello', ', ', 'world']), completed()]);
    expect(r.blocks).toEqual([{ type: 'text', text: 'Hello, world' }]);
    expect(r.message.stop_reason).toBe('end_turn');
    expect(deltasOf(r.events, 0)).toEqual(['Hello', ', ', 'world']);
  });

  it('emits text carried only by output_item.done (no deltas, no output_index)', () => {
    // Same shape as the Codex CLI's cli_responses_fixture.sse.
    const r = run([
      { type: 'response.created', response: { id: 'resp1' } },
      {
        type: 'response.output_item.done',
        item: { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'fixture hello' }] },
      },
      { type: 'response.completed', response: { id: 'resp1', output: [] } },
    ]);
    expect(r.blocks).toEqual([{ type: 'text', text: 'fixture hello' }]);
    expect(r.message.stop_reason).toBe('end_turn');
    // No upstream usage: the estimate stays, output is unknown.
    expect(r.message.usage).toEqual({
      input_tokens: 42,
      output_tokens: 0,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
    });
  });

  it('completes partial deltas from the final text without duplicating anything', () => {
    const r = run([
      created(),
      added(0, message(0)),
      textDelta(0, 'Hel'),
      done(0, message(0, 'Hello world')),
      completed(),
    ]);
    expect(deltasOf(r.events, 0)).toEqual(['Hel', 'lo world']);
    expect(r.blocks).toEqual([{ type: 'text', text: 'Hello world' }]);
  });

  it('keeps streamed text when the final text disagrees (deltas cannot be taken back)', () => {
    const r = run([created(), added(0, message(0)), textDelta(0, 'abc'), done(0, message(0, 'xyz')), completed()]);
    expect(r.blocks).toEqual([{ type: 'text', text: 'abc' }]);
  });

  it('joins multi-part text of one message item into one block', () => {
    const r = run([
      created(),
      added(0, message(0)),
      textDelta(0, 'First part. ', 0),
      textDelta(0, 'Second', 1),
      textDelta(0, ' part.', 1),
      done(0, message(0, 'First part. ', 'Second part.')),
      completed(),
    ]);
    expect(r.blocks).toEqual([{ type: 'text', text: 'First part. Second part.' }]);
  });

  it('emits no block for a message without text', () => {
    const r = run([created(), added(0, message(0)), done(0, message(0, '')), completed()]);
    expect(r.blocks).toEqual([]);
    expect(r.translator.emittedContent).toBe(false);
  });

  it('routes deltas without output_index to the open message (Codex test-helper shape)', () => {
    const r = run([
      created(),
      {
        type: 'response.output_item.added',
        item: { type: 'message', role: 'assistant', id: 'm1', content: [{ type: 'output_text', text: '' }] },
      },
      { type: 'response.output_text.delta', delta: 'Hi ' },
      { type: 'response.output_text.delta', delta: 'there' },
      {
        type: 'response.output_item.done',
        item: { type: 'message', role: 'assistant', id: 'm1', content: [{ type: 'output_text', text: 'Hi there' }] },
      },
      completed(),
    ]);
    expect(r.blocks).toEqual([{ type: 'text', text: 'Hi there' }]);
  });

  it('passes emoji and CJK through unchanged, even a surrogate pair split across deltas', () => {
    const r = run([
      created(),
      added(0, message(0)),
      textDelta(0, '你'),
      textDelta(0, '好，世界 '),
      textDelta(0, '😀'),
      textDelta(0, ' 👩‍💻 a\ud83d'),
      textDelta(0, '\ude80 b\ud83c'),
      // the final text completes the last pair: the suffix is its low surrogate
      done(0, message(0, '你好，世界 😀 👩‍💻 a🚀 b🎉')),
      completed(),
    ]);
    expect(r.blocks).toEqual([{ type: 'text', text: '你好，世界 😀 👩‍💻 a🚀 b🎉' }]);
    expect(deltasOf(r.events, 0).join('')).toBe('你好，世界 😀 👩‍💻 a🚀 b🎉');
    // The SSE wire form survives a JSON round trip byte for byte.
    const wire = JSON.parse(JSON.stringify(r.events)) as StreamEvent[];
    expect(deltasOf(wire, 0).join('')).toBe('你好，世界 😀 👩‍💻 a🚀 b🎉');
  });
});

describe('ResponseTranslator: refusal and stop reasons', () => {
  it('turns refusal deltas and parts into text with stop_reason refusal', () => {
    const r = run([
      created(),
      added(0, message(0)),
      { type: 'response.refusal.delta', item_id: 'msg_0', output_index: 0, content_index: 0, delta: "I can't " },
      { type: 'response.refusal.delta', item_id: 'msg_0', output_index: 0, content_index: 0, delta: 'help with that.' },
      done(0, {
        type: 'message',
        id: 'msg_0',
        role: 'assistant',
        content: [{ type: 'refusal', refusal: "I can't help with that." }],
      }),
      completed(),
    ]);
    expect(r.blocks).toEqual([{ type: 'text', text: "I can't help with that." }]);
    expect(r.message.stop_reason).toBe('refusal');
  });

  it('detects a refusal part carried only by output_item.done', () => {
    const r = run([
      created(),
      done(0, { type: 'message', role: 'assistant', content: [{ type: 'refusal', refusal: 'No.' }] }),
      completed(),
    ]);
    expect(r.blocks).toEqual([{ type: 'text', text: 'No.' }]);
    expect(r.message.stop_reason).toBe('refusal');
  });

  it('maps incomplete max_output_tokens to max_tokens with usage', () => {
    const r = run([created(), added(0, message(0)), textDelta(0, 'A long ans'), incomplete('max_output_tokens')]);
    expect(r.blocks).toEqual([{ type: 'text', text: 'A long ans' }]);
    expect(r.message.stop_reason).toBe('max_tokens');
    expect(r.message.usage.output_tokens).toBe(12);
    expect(r.translator.failure).toBeNull();
  });

  it('maps incomplete content_filter to refusal', () => {
    const r = run([created(), added(0, message(0)), textDelta(0, 'Well'), incomplete('content_filter')]);
    expect(r.message.stop_reason).toBe('refusal');
  });

  it('never reports max_tokens or refusal for other incomplete reasons', () => {
    expect(run([created(), ...textItem(0, ['ok']), incomplete('something_new')]).message.stop_reason).toBe('end_turn');
    expect(
      run([created(), ...callItem(0, 'call_a', 'Bash', ['{}']), incomplete('interrupted')]).message.stop_reason,
    ).toBe('tool_use');
  });
});

describe('ResponseTranslator: reasoning', () => {
  const reasoningStream = (encrypted = 'gAAAA-encrypted-blob'): Ev[] => [
    created(),
    added(0, { type: 'reasoning', id: 'rs_0', summary: [], encrypted_content: 'STALE-from-added' }),
    {
      type: 'response.reasoning_summary_part.added',
      item_id: 'rs_0',
      output_index: 0,
      summary_index: 0,
      part: { type: 'summary_text', text: '' },
    },
    summaryDelta(0, '**Planning**', 0),
    summaryDelta(0, ' the answer', 0),
    {
      type: 'response.reasoning_summary_text.done',
      item_id: 'rs_0',
      output_index: 0,
      summary_index: 0,
      text: '**Planning** the answer',
    },
    {
      type: 'response.reasoning_summary_part.added',
      item_id: 'rs_0',
      output_index: 0,
      summary_index: 1,
      part: { type: 'summary_text', text: '' },
    },
    summaryDelta(0, 'Checking', 1),
    summaryDelta(0, ' facts', 1),
    done(0, reasoning(0, ['**Planning** the answer', 'Checking facts'], encrypted)),
    ...textItem(1, ['Answer.']),
    completed({ input_tokens: 500, cached_tokens: 100, output_tokens: 300, reasoning_tokens: 250 }),
  ];

  it('emits one thinking block per reasoning item, parts separated by a blank line, signed from .done', () => {
    const r = run(reasoningStream());
    expect(types(r.blocks)).toEqual(['thinking', 'text']);
    const thinking = r.blocks[0] as Extract<ResponseContentBlock, { type: 'thinking' }>;
    expect(thinking.thinking).toBe('**Planning** the answer\n\nChecking facts');
    expect(thinking.signature).toBe(encodeSignature('gAAAA-encrypted-blob'));
    expect(decodeSignature(thinking.signature)).toEqual({ encrypted: 'gAAAA-encrypted-blob', owner: '' });
    // signature_delta comes once, right before the block stops
    const i = r.events.findIndex((e) => e.type === 'content_block_stop' && e.index === 0);
    expect(r.events[i - 1]).toMatchObject({
      type: 'content_block_delta',
      index: 0,
      delta: { type: 'signature_delta' },
    });
    expect(r.events.filter((e) => e.type === 'content_block_delta' && e.delta.type === 'signature_delta')).toHaveLength(
      1,
    );
    expect(r.message.usage).toMatchObject({
      input_tokens: 400,
      output_tokens: 300,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 100,
    });
  });

  it('streams the thinking block live as soon as the reasoning item starts', () => {
    const t = new ResponseTranslator({ model: 'm', toolNames: identity, thinkingDisplay: 'summarized' });
    t.start();
    expect(t.push(added(0, { type: 'reasoning', id: 'rs_0', summary: [] }))).toEqual([
      { type: 'content_block_start', index: 0, content_block: { type: 'thinking', thinking: '', signature: '' } },
    ]);
    expect(t.push(summaryDelta(0, 'x'))).toEqual([
      { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'x' } },
    ]);
  });

  it("display 'omitted' keeps the block and its signature but sends no thinking text", () => {
    const r = run(reasoningStream(), { thinkingDisplay: 'omitted' });
    expect(r.blocks[0]).toEqual({ type: 'thinking', thinking: '', signature: encodeSignature('gAAAA-encrypted-blob') });
    expect(r.events.some((e) => e.type === 'content_block_delta' && e.delta.type === 'thinking_delta')).toBe(false);
  });

  it("display 'none' emits no thinking block at all", () => {
    const r = run(reasoningStream(), { thinkingDisplay: 'none' });
    expect(r.blocks).toEqual([{ type: 'text', text: 'Answer.' }]);
    expect(r.events.find((e) => e.type === 'content_block_start')).toMatchObject({ index: 0 });
  });

  it('takes the summary from output_item.done when no deltas came (ev_reasoning_item shape)', () => {
    const r = run([
      created(),
      {
        type: 'response.output_item.done',
        item: {
          type: 'reasoning',
          id: 'r1',
          summary: [
            { type: 'summary_text', text: 'Thought one' },
            { type: 'summary_text', text: 'Thought two' },
          ],
          encrypted_content: 'ENC',
        },
      },
      completed(),
    ]);
    expect(r.blocks).toEqual([
      { type: 'thinking', thinking: 'Thought one\n\nThought two', signature: encodeSignature('ENC') },
    ]);
  });

  it('streams raw reasoning_text deltas (no output_index) into the thinking block', () => {
    const r = run([
      created(),
      { type: 'response.output_item.added', item: { type: 'reasoning', id: 'r1', summary: [] } },
      { type: 'response.reasoning_text.delta', delta: 'raw ', content_index: 0 },
      { type: 'response.reasoning_text.delta', delta: 'thought', content_index: 0 },
      {
        type: 'response.output_item.done',
        item: {
          type: 'reasoning',
          id: 'r1',
          summary: [],
          content: [{ type: 'reasoning_text', text: 'raw thought' }],
          encrypted_content: 'E',
        },
      },
      completed(),
    ]);
    expect(r.blocks).toEqual([{ type: 'thinking', thinking: 'raw thought', signature: encodeSignature('E') }]);
  });

  it('signs a reasoning item without encrypted content with an empty payload the request side drops', () => {
    const r = run([
      created(),
      added(0, reasoning(0, [])),
      summaryDelta(0, 'hmm'),
      done(0, reasoning(0, ['hmm'])),
      completed(),
    ]);
    const block = r.blocks[0] as Extract<ResponseContentBlock, { type: 'thinking' }>;
    expect(block.signature).toBe(encodeSignature(''));
    expect(decodeSignature(block.signature)).toBeNull();
  });

  it('closes a reasoning item the response ended without .done for', () => {
    const r = run([created(), added(0, reasoning(0, [])), summaryDelta(0, 'cut'), completed()]);
    expect(r.blocks).toEqual([{ type: 'thinking', thinking: 'cut', signature: encodeSignature('') }]);
  });

  it('creates the thinking block for summary deltas that arrive without an added item', () => {
    const r = run([created(), summaryDelta(0, 'orphan'), done(0, reasoning(0, ['orphan'], 'E2')), completed()]);
    expect(r.blocks).toEqual([{ type: 'thinking', thinking: 'orphan', signature: encodeSignature('E2') }]);
  });
});

describe('ResponseTranslator: tool calls', () => {
  it('reasoning then a tool call: tool_use with input only through input_json_delta', () => {
    const r = run([
      created(),
      added(0, reasoning(0, [])),
      summaryDelta(0, 'Run ls.'),
      done(0, reasoning(0, ['Run ls.'], 'ENC')),
      ...callItem(1, 'call_abc', 'Bash', ['{"comm', 'and":"ls', ' -la"}']),
      completed({ input_tokens: 10, cached_tokens: 0, output_tokens: 30, reasoning_tokens: 20 }),
    ]);
    expect(types(r.blocks)).toEqual(['thinking', 'tool_use']);
    const start = r.events.find((e) => e.type === 'content_block_start' && e.index === 1);
    expect(start).toEqual({
      type: 'content_block_start',
      index: 1,
      content_block: { type: 'tool_use', id: 'call_abc', name: 'Bash', input: {} },
    });
    expect(deltasOf(r.events, 1)).toEqual(['{"comm', 'and":"ls', ' -la"}']);
    expect(r.blocks[1]).toEqual({ type: 'tool_use', id: 'call_abc', name: 'Bash', input: { command: 'ls -la' } });
    expect(r.message.stop_reason).toBe('tool_use');
  });

  it('emits the whole arguments at .done when no deltas came (sse_apply_patch_update shape)', () => {
    const args =
      '{\n  "input": "*** Begin Patch\\n*** Update File: test.md\\n@@\\n-Hello world\\n+Final text\\n*** End Patch"\n}';
    const r = run([
      {
        type: 'response.output_item.done',
        item: { type: 'function_call', name: 'apply_patch', arguments: args, call_id: 'call_fixture' },
      },
      {
        type: 'response.completed',
        response: {
          id: 'r',
          usage: {
            input_tokens: 0,
            input_tokens_details: null,
            output_tokens: 0,
            output_tokens_details: null,
            total_tokens: 0,
          },
          output: [],
        },
      },
    ]);
    expect(deltasOf(r.events, 0)).toEqual([args]);
    expect(r.blocks).toEqual([
      {
        type: 'tool_use',
        id: 'call_fixture',
        name: 'apply_patch',
        input: { input: '*** Begin Patch\n*** Update File: test.md\n@@\n-Hello world\n+Final text\n*** End Patch' },
      },
    ]);
    expect(r.message.stop_reason).toBe('tool_use');
    expect(r.message.usage).toEqual({
      input_tokens: 0,
      output_tokens: 0,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
    });
  });

  it('sends {} for empty arguments so the concatenation parses as an object', () => {
    const r = run([created(), ...callItem(0, 'call_e', 'TaskList', []), completed()]);
    expect(deltasOf(r.events, 0)).toEqual(['{}']);
    expect(r.blocks).toEqual([{ type: 'tool_use', id: 'call_e', name: 'TaskList', input: {} }]);
  });

  it('adds only the missing tail when deltas were partial', () => {
    const r = run([
      created(),
      added(0, call(0, 'call_p', 'Read', '')),
      argsDelta(0, '{"file_path":'),
      done(0, call(0, 'call_p', 'Read', '{"file_path":"/a"}')),
      completed(),
    ]);
    expect(deltasOf(r.events, 0)).toEqual(['{"file_path":', '"/a"}']);
    expect(r.blocks[0]).toMatchObject({ input: { file_path: '/a' } });
  });

  it('maps upstream tool names back through the tool name map', () => {
    const names: ToolNameMap = {
      toUpstream: (n) => n.replace(/\W/g, '_'),
      fromUpstream: (n) => (n === 'mcp__srv__do_thing' ? 'mcp__srv__do.thing' : n),
    };
    const r = run([created(), ...callItem(0, 'call_m', 'mcp__srv__do_thing', ['{"x":1}']), completed()], {
      toolNames: names,
    });
    expect(r.blocks[0]).toEqual({ type: 'tool_use', id: 'call_m', name: 'mcp__srv__do.thing', input: { x: 1 } });
  });

  it('serialises two parallel calls interleaved upstream, after the text that preceded them', () => {
    const r = run([
      created(),
      added(0, message(0)),
      textDelta(0, 'Running two '),
      added(1, call(1, 'call_1', 'Bash', '')),
      argsDelta(1, '{"command":'),
      added(2, call(2, 'call_2', 'Bash', '')),
      argsDelta(2, '{"command":"pwd"'),
      textDelta(0, 'commands.'),
      argsDelta(1, '"ls"}'),
      done(0, message(0, 'Running two commands.')),
      argsDelta(2, '}'),
      done(2, call(2, 'call_2', 'Bash', '{"command":"pwd"}')),
      done(1, call(1, 'call_1', 'Bash', '{"command":"ls"}')),
      completed(),
    ]);
    expect(r.blocks).toEqual([
      { type: 'text', text: 'Running two commands.' },
      { type: 'tool_use', id: 'call_1', name: 'Bash', input: { command: 'ls' } },
      { type: 'tool_use', id: 'call_2', name: 'Bash', input: { command: 'pwd' } },
    ]);
    expect(r.message.stop_reason).toBe('tool_use');
  });

  it('serialises three interleaved calls and a text item in the order their content began', () => {
    const merged = interleave(
      callItem(0, 'call_a', 'Read', ['{"file_path"', ':"/a"}']),
      callItem(1, 'call_b', 'Read', ['{"file_path":"/b"', '}']),
      textItem(2, ['Reading ', 'three ', 'files']),
      callItem(3, 'call_c', 'Grep', ['{"pattern":', '"x"}']),
    );
    const r = run([created(), ...merged, completed()]);
    expect(r.blocks).toEqual([
      { type: 'tool_use', id: 'call_a', name: 'Read', input: { file_path: '/a' } },
      { type: 'tool_use', id: 'call_b', name: 'Read', input: { file_path: '/b' } },
      // a text block begins with its first text, which came after call_c had started
      { type: 'tool_use', id: 'call_c', name: 'Grep', input: { pattern: 'x' } },
      { type: 'text', text: 'Reading three files' },
    ]);
    expect(r.message.stop_reason).toBe('tool_use');
  });

  it('holds a whole call that streams while a text block is open, then flushes it', () => {
    const t = new ResponseTranslator({ model: 'm', toolNames: identity, thinkingDisplay: 'summarized' });
    const out = [...t.start()];
    out.push(...t.push(added(0, message(0))), ...t.push(textDelta(0, 'Looking')));
    for (const ev of callItem(1, 'call_h', 'Glob', ['{"pattern":"*.ts"}'])) expect(t.push(ev)).toEqual([]);
    const flushed = t.push(done(0, message(0, 'Looking')));
    expect(flushed.map((e) => e.type)).toEqual([
      'content_block_stop',
      'content_block_start',
      'content_block_delta',
      'content_block_stop',
    ]);
    expect(flushed[1]).toMatchObject({ index: 1, content_block: { type: 'tool_use', id: 'call_h' } });
    out.push(...flushed, ...t.push(completed()));
    assertValidAnthropicStream(out);
  });

  it('property: any interleaving of item events gives a valid stream with every item intact', () => {
    const itemArb = fc.oneof(
      fc.record({
        kind: fc.constant('text' as const),
        chunks: fc.array(fc.string({ minLength: 1, maxLength: 6, unit: 'grapheme' }), { minLength: 1, maxLength: 4 }),
      }),
      fc.record({
        kind: fc.constant('call' as const),
        value: fc.dictionary(fc.string({ maxLength: 4 }), fc.oneof(fc.string(), fc.integer()), { maxKeys: 3 }),
        cuts: fc.integer({ min: 1, max: 4 }),
      }),
    );
    fc.assert(
      fc.property(
        fc.array(itemArb, { minLength: 1, maxLength: 5 }),
        fc.array(fc.nat(), { minLength: 64, maxLength: 64 }),
        (items, picks) => {
          const sequences = items.map((item, i) => {
            if (item.kind === 'text') return textItem(i, item.chunks);
            const json = JSON.stringify(item.value);
            const size = Math.ceil(json.length / item.cuts);
            const chunks = Array.from({ length: item.cuts }, (_, k) => json.slice(k * size, (k + 1) * size)).filter(
              Boolean,
            );
            return callItem(i, `call_${i}`, 'Tool', chunks);
          });
          const merged: Ev[] = [];
          const cursors = sequences.map(() => 0);
          let p = 0;
          while (cursors.some((c, i) => c < sequences[i].length)) {
            const live = cursors.map((c, i) => (c < sequences[i].length ? i : -1)).filter((i) => i >= 0);
            const i = live[(picks[p++ % picks.length] ?? 0) % live.length];
            merged.push(sequences[i][cursors[i]++]);
          }
          const r = run([created(), ...merged, completed()]);
          const expected = items.map((item, i) =>
            item.kind === 'text'
              ? { type: 'text', text: item.chunks.join('') }
              : { type: 'tool_use', id: `call_${i}`, name: 'Tool', input: item.value },
          );
          expect(r.blocks).toHaveLength(items.length);
          expect(r.blocks).toEqual(expect.arrayContaining(expected));
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('ResponseTranslator: web search', () => {
  it('turns a web_search_call into server_tool_use + web_search_tool_result blocks', () => {
    const r = run([
      created(),
      {
        type: 'response.output_item.added',
        output_index: 0,
        item: { type: 'web_search_call', id: 'ws_1', status: 'in_progress' },
      },
      { type: 'response.web_search_call.searching', output_index: 0, item_id: 'ws_1' },
      done(0, {
        type: 'web_search_call',
        id: 'ws_1',
        status: 'completed',
        action: {
          type: 'search',
          query: 'node 20 release',
          sources: [
            { type: 'url', url: 'https://nodejs.org/en/blog', title: 'Node.js Blog' },
            { type: 'url', url: 'https://example.com/x' },
          ],
        },
      }),
      ...textItem(1, ['Node 20 is LTS.']),
      completed(),
    ]);
    expect(r.blocks).toEqual([
      { type: 'server_tool_use', id: 'srvtoolu_ws_1', name: 'web_search', input: { query: 'node 20 release' } },
      {
        type: 'web_search_tool_result',
        tool_use_id: 'srvtoolu_ws_1',
        content: [
          { type: 'web_search_result', url: 'https://nodejs.org/en/blog', title: 'Node.js Blog', page_age: null },
          { type: 'web_search_result', url: 'https://example.com/x', title: 'https://example.com/x', page_age: null },
        ],
      },
      { type: 'text', text: 'Node 20 is LTS.' },
    ]);
    expect(r.message.stop_reason).toBe('end_turn');
    expect(messageDelta(r.events).usage.server_tool_use).toEqual({ web_search_requests: 1 });
  });

  it('a whole searched answer from the fake backend: reasoning, search, text', () => {
    const r = run([
      ev.rateLimits(),
      ev.created(),
      ...ev.reasoning(['Need fresh data.'], 'ENC-1', { outputIndex: 0 }),
      ...ev.webSearch('codex release notes', [{ url: 'https://example.com/notes', title: 'Notes' }], {
        outputIndex: 1,
      }),
      ...ev.textMessage('Here are the notes.', { outputIndex: 2 }),
      ev.completed({ input_tokens: 900, cached_tokens: 512, output_tokens: 77, reasoning_tokens: 40 }),
    ]);
    expect(types(r.blocks)).toEqual(['thinking', 'server_tool_use', 'web_search_tool_result', 'text']);
    expect(r.blocks[0]).toEqual({
      type: 'thinking',
      thinking: 'Need fresh data.',
      signature: encodeSignature('ENC-1'),
    });
    expect(r.blocks[1]).toMatchObject({ input: { query: 'codex release notes' } });
    expect(r.blocks[2]).toMatchObject({ content: [{ url: 'https://example.com/notes', title: 'Notes' }] });
    expect(r.message.usage).toEqual({
      input_tokens: 388,
      output_tokens: 77,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 512,
      server_tool_use: { web_search_requests: 1 },
      output_tokens_details: expect.any(Object),
    });
  });

  it('emits an empty result list when the search carried no sources (Codex test-helper shape)', () => {
    const r = run([
      created(),
      { type: 'response.output_item.added', item: { type: 'web_search_call', id: 'ws_2', status: 'in_progress' } },
      {
        type: 'response.output_item.done',
        item: {
          type: 'web_search_call',
          id: 'ws_2',
          status: 'completed',
          action: { type: 'search', query: 'weather' },
        },
      },
      completed(),
    ]);
    expect(r.blocks).toEqual([
      { type: 'server_tool_use', id: 'srvtoolu_ws_2', name: 'web_search', input: { query: 'weather' } },
      { type: 'web_search_tool_result', tool_use_id: 'srvtoolu_ws_2', content: [] },
    ]);
  });
});

describe('ResponseTranslator: failures', () => {
  const cases: Array<[string, string, number, RegExp]> = [
    ['context_length_exceeded', 'invalid_request_error', 400, /^prompt is too long/],
    ['server_is_overloaded', 'overloaded_error', 529, /Codex backend/],
    ['slow_down', 'overloaded_error', 529, /slow_down/],
    ['rate_limit_exceeded', 'rate_limit_error', 429, /Codex backend/],
    ['usage_limit_reached', 'rate_limit_error', 429, /Codex backend/],
    ['insufficient_quota', 'rate_limit_error', 429, /Codex backend/],
    ['invalid_prompt', 'invalid_request_error', 400, /Codex backend/],
    ['cyber_policy', 'invalid_request_error', 400, /Codex backend/],
    ['server_error', 'api_error', 500, /server_error/],
  ];

  it.each(cases)('response.failed %s → %s %i', (code, type, status, text) => {
    const r = run([
      created(),
      added(0, message(0)),
      textDelta(0, 'partial'),
      failed(code, 'Upstream says no.\nSecond line.'),
    ]);
    expect(r.translator.failure).toMatchObject({ errorType: type, status, code });
    expect(r.translator.failure?.message).toMatch(text);
    expect(r.events.at(-1)).toEqual({ type: 'error', error: { type, message: r.translator.failure?.message } });
    expect(r.events.at(-2)).toEqual({ type: 'content_block_stop', index: 0 });
    expect(r.events.some((e) => e.type === 'message_delta' || e.type === 'message_stop')).toBe(false);
    expect(r.error).toEqual({ type, message: r.translator.failure?.message });
    expect(r.translator.done).toBe(true);
  });

  it('response.failed right after created gives message_start then error only', () => {
    const r = run([created(), failed('server_is_overloaded', 'Our servers are currently overloaded.')]);
    expect(r.events.map((e) => e.type)).toEqual(['message_start', 'error']);
    expect(r.translator.emittedContent).toBe(false);
  });

  it('handles an in-stream error event (flat and nested shapes) mid tool call', () => {
    for (const ev of [
      {
        type: 'error',
        code: 'rate_limit_exceeded',
        message: 'Rate limit reached. Please try again in 7.5s.',
        param: null,
      },
      {
        type: 'error',
        error: {
          type: 'rate_limit_exceeded',
          code: 'rate_limit_exceeded',
          message: 'Rate limit reached. Please try again in 7.5s.',
        },
      },
    ]) {
      const r = run([
        created(),
        added(0, call(0, 'call_x', 'Bash', '')),
        argsDelta(0, '{"comm'),
        ev,
        ...textItem(1, ['ignored']),
      ]);
      expect(r.translator.failure).toMatchObject({ errorType: 'rate_limit_error', status: 429, retryAfterSeconds: 8 });
      expect(r.events.map((e) => e.type)).toEqual([
        'message_start',
        'content_block_start',
        'content_block_delta',
        'content_block_stop',
        'error',
      ]);
    }
  });

  it('drops buffered items of other outputs on failure', () => {
    const r = run([
      created(),
      added(0, message(0)),
      textDelta(0, 'a'),
      ...callItem(1, 'call_q', 'Bash', ['{}']),
      { type: 'error', message: 'boom' },
    ]);
    expect(types(r.blocks)).toEqual(['text']);
    expect(r.translator.failure).toMatchObject({ errorType: 'api_error', status: 500 });
  });

  it('EOF without a terminal event closes the open block and reports api_error', () => {
    const t = new ResponseTranslator({ model: 'm', toolNames: identity, thinkingDisplay: 'summarized' });
    const out = [
      ...t.start(),
      ...t.push(created()),
      ...t.push(added(0, reasoning(0, []))),
      ...t.push(summaryDelta(0, 'thinking...')),
    ];
    expect(t.done).toBe(false);
    const tail = t.end();
    expect(tail).toEqual([
      { type: 'content_block_stop', index: 0 },
      {
        type: 'error',
        error: { type: 'api_error', message: expect.stringContaining('stream closed before response.completed') },
      },
    ]);
    expect(t.failure).toMatchObject({ errorType: 'api_error' });
    expect(t.done).toBe(true);
    assertValidAnthropicStream([...out, ...tail]);
  });

  it('EOF of an empty stream gives message_start then error', () => {
    const r = run([]);
    expect(r.events.map((e) => e.type)).toEqual(['message_start', 'error']);
  });
});

describe('ResponseTranslator: ignored input', () => {
  it('ignores unknown events, also before response.created', () => {
    const r = run([
      {
        type: 'codex.rate_limits',
        plan_type: 'plus',
        rate_limits: { allowed: true, limit_reached: false, primary: { used_percent: 7, window_minutes: 300 } },
      },
      { type: 'response.metadata', headers: { 'x-codex-turn-state': 'abc' } },
      { type: 'codex.response.metadata', headers: { 'x-codex-safety-buffering-enabled': 'true' } },
      created(),
      { type: 'response.in_progress', response: { id: 'resp_1' } },
      { type: 'some_future_event', payload: 1 },
      ...textItem(0, ['ok']),
      {
        type: 'response.content_part.done',
        item_id: 'msg_0',
        output_index: 0,
        content_index: 0,
        part: { type: 'output_text', text: 'ok' },
      },
      completed(),
    ]);
    expect(r.blocks).toEqual([{ type: 'text', text: 'ok' }]);
  });

  it('ignores output items it does not translate (custom tool calls, image generation)', () => {
    const r = run([
      {
        type: 'response.output_item.done',
        item: { type: 'custom_tool_call', name: 'apply_patch', input: '*** Begin Patch\n*** End Patch', call_id: 'c1' },
      },
      {
        type: 'response.output_item.done',
        item: { type: 'image_generation_call', id: 'ig', status: 'completed', result: 'AAAA' },
      },
      ...textItem(0, ['done']),
      completed(),
    ]);
    expect(r.blocks).toEqual([{ type: 'text', text: 'done' }]);
    expect(r.message.stop_reason).toBe('end_turn');
  });

  it('ignores everything after a terminal event', () => {
    const t = new ResponseTranslator({ model: 'm', toolNames: identity, thinkingDisplay: 'summarized' });
    t.start();
    t.push(completed());
    expect(t.push(textDelta(0, 'late'))).toEqual([]);
    expect(t.push(failed('server_error', 'late'))).toEqual([]);
    expect(t.failure).toBeNull();
    expect(t.end()).toEqual([]);
  });
});

describe('ResponseTranslator: usage', () => {
  it('reports uncached input, cached input as cache reads, output including reasoning', () => {
    const r = run([
      created(),
      ...textItem(0, ['hi']),
      completed({ input_tokens: 12000, cached_tokens: 11264, output_tokens: 850, reasoning_tokens: 600 }),
    ]);
    const expected = {
      input_tokens: 736,
      output_tokens: 850,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 11_264,
      output_tokens_details: { thinking_tokens: 600 },
    };
    expect(messageDelta(r.events).usage).toEqual(expected);
    expect(r.message.usage).toEqual(expected);
    expect(r.translator.usage).toEqual(expected);
  });

  it('reports cache writes as cache creation, apart from the uncached input', () => {
    const r = run([
      created(),
      ...textItem(0, ['hi']),
      completed({ input_tokens: 5000, cached_tokens: 1000, cache_write_tokens: 3000, output_tokens: 10 }),
    ]);
    expect(r.message.usage).toMatchObject({
      input_tokens: 1000,
      cache_read_input_tokens: 1000,
      cache_creation_input_tokens: 3000,
    });
  });

  it('treats null input_tokens_details as nothing cached', () => {
    const r = run([
      created(),
      ...textItem(0, ['hi']),
      {
        type: 'response.completed',
        response: {
          usage: { input_tokens: 90, input_tokens_details: null, output_tokens: 3, output_tokens_details: null },
        },
      },
    ]);
    expect(r.message.usage).toEqual({
      input_tokens: 90,
      output_tokens: 3,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
    });
  });

  it('keeps the estimate until upstream usage is known', () => {
    const t = new ResponseTranslator({
      model: 'm',
      toolNames: identity,
      thinkingDisplay: 'none',
      inputTokensEstimate: 77,
    });
    expect(t.usage).toEqual({
      input_tokens: 77,
      output_tokens: 0,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
    });
  });
});

describe('ResponseTranslator: malformed upstream fields', () => {
  it('ignores output_item events without an object item', () => {
    for (const item of [undefined, null, 'message', 7, ['x']]) {
      const r = run([
        created(),
        { type: 'response.output_item.added', output_index: 0, item },
        { type: 'response.output_item.done', output_index: 0, item },
        ...textItem(1, ['fine']),
        completed(),
      ]);
      expect(r.blocks).toEqual([{ type: 'text', text: 'fine' }]);
    }
  });

  it('reads a reasoning summary or content that is not a list as empty', () => {
    const r = run([
      created(),
      done(0, { type: 'reasoning', id: 'rs_0', summary: 'x', content: { text: 'y' }, encrypted_content: 42 }),
      done(1, { type: 'reasoning', id: 'rs_1', summary: [null, { text: 5 }, { type: 'summary_text', text: 'kept' }] }),
      completed(),
    ]);
    expect(r.blocks).toEqual([
      { type: 'thinking', thinking: '', signature: encodeSignature('') },
      { type: 'thinking', thinking: 'kept', signature: encodeSignature('') },
    ]);
  });

  it('reads web search sources that are not a list as no results, and skips unusable ones', () => {
    const search = (action: unknown) => done(0, { type: 'web_search_call', id: 'ws_1', status: 'completed', action });
    const results = (action: unknown) =>
      run([created(), search(action), completed()]).blocks.find((b) => b.type === 'web_search_tool_result');
    expect(results({ type: 'search', query: 'q', sources: 'x' })).toMatchObject({ content: [] });
    expect(results('not an action')).toMatchObject({ content: [] });
    expect(
      results({ type: 'search', query: 7, sources: [null, { url: 3 }, { url: 'https://a.example/', title: 9 }] }),
    ).toMatchObject({
      content: [{ type: 'web_search_result', url: 'https://a.example/', title: 'https://a.example/' }],
    });
  });

  it('gives a function call with mistyped fields a usable tool_use block', () => {
    const r = run([
      created(),
      added(0, { type: 'function_call', id: 7, call_id: null, name: { n: 1 }, arguments: '' }),
      { type: 'response.function_call_arguments.delta', output_index: 0, delta: 12 },
      done(0, { type: 'function_call', call_id: null, name: { n: 1 }, arguments: { a: 1 } }),
      completed(),
    ]);
    const [block] = r.blocks;
    expect(block).toMatchObject({ type: 'tool_use', name: 'unnamed_tool', input: {} });
    expect((block as Extract<ResponseContentBlock, { type: 'tool_use' }>).id).toMatch(/^call_[0-9a-f]+$/);
  });

  it('drops deltas that are not text', () => {
    const r = run([
      created(),
      { type: 'response.output_text.delta', output_index: 0, delta: 5 },
      { type: 'response.output_text.delta', output_index: 0, delta: { text: 'x' } },
      { type: 'response.output_text.delta', output_index: 0, delta: 'real' },
      done(0, { type: 'message', content: [{ type: 'output_text', text: 9 }, 'junk'] }),
      completed(),
    ]);
    expect(r.blocks).toEqual([{ type: 'text', text: 'real' }]);
  });

  it('reports garbled usage as whole, non-negative token counts', () => {
    const r = run([
      created(),
      ...textItem(0, ['ok']),
      {
        type: 'response.completed',
        response: { usage: { input_tokens: '12', input_tokens_details: 'x', output_tokens: -3 } },
      },
    ]);
    expect(messageDelta(r.events).usage).toMatchObject({
      input_tokens: 0,
      output_tokens: 0,
      cache_read_input_tokens: 0,
    });
  });

  it('ends with an error event when the failure fields are mistyped', () => {
    const r = run([created(), { type: 'response.failed', response: { error: { code: 5, message: ['x'] } } }]);
    expect(r.error?.message).toMatch(/^Codex backend error: /);
    const e = run([created(), { type: 'error', error: 'boom', code: { c: 1 }, message: 'overloaded' }]);
    expect(e.error?.message).toBe('Codex backend error: overloaded');
    expect(run([created(), { type: 'response.incomplete', response: 'x' }]).message.stop_reason).toBe('end_turn');
  });

  it('yields a valid stream whatever JSON the fields of known events carry', () => {
    const field = fc.jsonValue({ maxDepth: 2 });
    // Argument text that is not a JSON object is the model's own error, passed through on purpose
    // (Claude Code answers it with an error result): only mistyped arguments are in scope here.
    const mistyped = field.filter((v) => typeof v !== 'string');
    const itemType = fc.constantFrom('message', 'reasoning', 'function_call', 'web_search_call', 'custom_tool_call');
    const item = fc.oneof(
      field,
      fc.record(
        {
          type: itemType,
          id: field,
          call_id: field,
          name: field,
          arguments: fc.oneof(mistyped, fc.constant('{"a":1}')),
          content: field,
          summary: field,
          encrypted_content: field,
          action: field,
        },
        { requiredKeys: ['type'] },
      ),
    );
    const at = { output_index: fc.oneof(fc.nat(2), field), item_id: field };
    const event = fc.oneof(
      fc.record(
        { type: fc.constantFrom('response.output_item.added', 'response.output_item.done'), ...at, item },
        { requiredKeys: ['type'] },
      ),
      fc.record(
        {
          type: fc.constantFrom(
            'response.output_text.delta',
            'response.refusal.delta',
            'response.reasoning_summary_text.delta',
            'response.reasoning_text.delta',
          ),
          ...at,
          delta: field,
          summary_index: field,
          content_index: field,
        },
        { requiredKeys: ['type'] },
      ),
      fc.record(
        { type: fc.constant('response.function_call_arguments.delta'), ...at, delta: mistyped },
        { requiredKeys: ['type'] },
      ),
    );
    const ending = fc.oneof(
      fc.record({
        type: fc.constantFrom('response.completed', 'response.incomplete', 'response.failed'),
        response: field,
      }),
      fc.record({ type: fc.constant('error'), error: field, code: field, message: field }),
    );
    fc.assert(
      fc.property(fc.array(event, { maxLength: 8 }), fc.option(ending), (events, end) => {
        run([created(), ...events, ...(end ? [end] : [])] as Ev[]);
      }),
      { numRuns: 300 },
    );
  });
});
