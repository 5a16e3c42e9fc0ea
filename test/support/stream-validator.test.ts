import { describe, expect, it } from 'vitest';
import type { StreamEvent } from '../../shared/anthropic.js';
import { assertValidAnthropicStream, validateAnthropicStream } from './stream-validator.js';

const start: StreamEvent = {
  type: 'message_start',
  message: {
    id: 'msg_1',
    type: 'message',
    role: 'assistant',
    model: 'claude-opus-5-5',
    content: [],
    stop_reason: null,
    stop_sequence: null,
    usage: { input_tokens: 3, output_tokens: 1, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
  },
};
const textStart = (index: number): StreamEvent => ({
  type: 'content_block_start',
  index,
  content_block: { type: 'text', text: '' },
});
const toolStart = (index: number): StreamEvent => ({
  type: 'content_block_start',
  index,
  content_block: { type: 'tool_use', id: 'call_1', name: 'Bash', input: {} },
});
const text = (index: number, t: string): StreamEvent => ({
  type: 'content_block_delta',
  index,
  delta: { type: 'text_delta', text: t },
});
const json = (index: number, partial_json: string): StreamEvent => ({
  type: 'content_block_delta',
  index,
  delta: { type: 'input_json_delta', partial_json },
});
const stop = (index: number): StreamEvent => ({ type: 'content_block_stop', index });
const delta = (stop_reason: 'end_turn' | 'tool_use' | 'max_tokens' = 'end_turn'): StreamEvent => ({
  type: 'message_delta',
  delta: { stop_reason, stop_sequence: null },
  usage: { output_tokens: 5 },
});
const end: StreamEvent = { type: 'message_stop' };
const error: StreamEvent = { type: 'error', error: { type: 'overloaded_error', message: 'busy' } };

function sse(events: StreamEvent[]): string {
  return events.map((e) => `event: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`).join('');
}

const valid: StreamEvent[] = [
  start,
  textStart(0),
  text(0, 'hi'),
  stop(0),
  toolStart(1),
  json(1, '{"a"'),
  json(1, ':1}'),
  stop(1),
  delta('tool_use'),
  end,
];

function expectViolation(events: StreamEvent[] | string, pattern: RegExp): void {
  const problems = validateAnthropicStream(events);
  expect(
    problems.some((p) => pattern.test(p)),
    `expected ${pattern} in ${JSON.stringify(problems)}`,
  ).toBe(true);
}

describe('validateAnthropicStream', () => {
  it('accepts a canonical stream, as events and as SSE text, with pings and comments', () => {
    expect(validateAnthropicStream(valid)).toEqual([]);
    expect(validateAnthropicStream(sse(valid))).toEqual([]);
    const withExtras = `: keepalive\r\n\r\n${sse([start, { type: 'ping' }]).replace(/\n/g, '\r\n')}${sse(valid.slice(1))}`;
    expect(validateAnthropicStream(withExtras)).toEqual([]);
  });

  it('accepts an error-terminated stream without message_stop', () => {
    expect(validateAnthropicStream([start, textStart(0), text(0, 'partial'), stop(0), error])).toEqual([]);
    expect(validateAnthropicStream([start, error])).toEqual([]);
  });

  it('tolerates cut tool JSON only right before an error or with max_tokens', () => {
    expect(validateAnthropicStream([start, toolStart(0), json(0, '{"a'), stop(0), error])).toEqual([]);
    expect(validateAnthropicStream([start, toolStart(0), json(0, '{"a'), stop(0), delta('max_tokens'), end])).toEqual(
      [],
    );
    expectViolation(
      [start, toolStart(0), json(0, '{"a'), stop(0), textStart(1), stop(1), error],
      /block 0: .*does not parse/,
    );
    expectViolation([start, toolStart(0), json(0, '{"a'), stop(0), delta('tool_use'), end], /does not parse/);
  });

  it('requires message_start first and once', () => {
    expectViolation([textStart(0), text(0, 'x'), stop(0), delta(), end], /must begin with message_start/);
    expectViolation([start, start, delta(), end], /message_start sent twice/);
    const nonEmpty = {
      ...start,
      message: {
        ...(start as Extract<StreamEvent, { type: 'message_start' }>).message,
        content: [{ type: 'text' as const, text: 'x' }],
      },
    };
    expectViolation([nonEmpty, delta(), end], /content must be \[\]/);
  });

  it('requires indices from 0, contiguous, one block at a time', () => {
    expectViolation([start, textStart(1), stop(1), delta(), end], /index 1, expected 0/);
    expectViolation([start, textStart(0), stop(0), textStart(2), stop(2), delta(), end], /index 2, expected 1/);
    expectViolation(
      [start, textStart(0), textStart(1), stop(1), stop(0), delta(), end],
      /still open \(one block at a time\)/,
    );
    expectViolation([start, textStart(0), stop(0), textStart(0), stop(0), delta(), end], /index 0, expected 1/);
  });

  it('rejects deltas and stops to unknown or closed blocks', () => {
    expectViolation([start, text(0, 'x'), delta(), end], /delta to index 0, which is not the open block/);
    expectViolation([start, textStart(0), stop(0), text(0, 'x'), delta(), end], /delta to index 0/);
    expectViolation([start, textStart(0), stop(0), stop(0), delta(), end], /stop of index 0/);
  });

  it('rejects deltas of the wrong type or shape', () => {
    expectViolation([start, textStart(0), json(0, '{}'), stop(0), delta(), end], /input_json_delta on a text block/);
    expectViolation(
      [start, toolStart(0), text(0, 'x'), json(0, '{}'), stop(0), delta(), end],
      /text_delta on a tool_use block/,
    );
    expectViolation(
      [
        start,
        textStart(0),
        { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'x' } },
        stop(0),
        delta(),
        end,
      ],
      /thinking_delta on a text block/,
    );
    const missingText = {
      type: 'content_block_delta',
      index: 0,
      delta: { type: 'text_delta' },
    } as unknown as StreamEvent;
    expectViolation([start, textStart(0), missingText, stop(0), delta(), end], /text_delta.text must be a string/);
    const thinking: StreamEvent = {
      type: 'content_block_start',
      index: 0,
      content_block: { type: 'thinking', thinking: '', signature: '' },
    };
    expectViolation(
      [
        start,
        thinking,
        { type: 'content_block_delta', index: 0, delta: { type: 'signature_delta', signature: 's' } },
        { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'late' } },
        stop(0),
        delta(),
        end,
      ],
      /thinking_delta after signature_delta/,
    );
  });

  it('checks block shells: tool input {} at start, JSON concatenation is an object', () => {
    const withInput: StreamEvent = {
      type: 'content_block_start',
      index: 0,
      content_block: { type: 'tool_use', id: 'c', name: 'Bash', input: { command: 'ls' } },
    };
    expectViolation([start, withInput, json(0, '{}'), stop(0), delta('tool_use'), end], /start must carry input:\{\}/);
    expectViolation([start, toolStart(0), stop(0), delta('tool_use'), end], /does not parse to a JSON object/);
    expectViolation(
      [start, toolStart(0), json(0, '[1]'), stop(0), delta('tool_use'), end],
      /does not parse to a JSON object/,
    );
    const prefilled: StreamEvent = {
      type: 'content_block_start',
      index: 0,
      content_block: { type: 'text', text: 'x' },
    };
    expectViolation([start, prefilled, stop(0), delta(), end], /text block must start empty/);
  });

  it('requires every block stopped and message_delta between the last block and message_stop', () => {
    expectViolation([start, textStart(0), text(0, 'x')], /never stopped/);
    expectViolation([start, textStart(0), text(0, 'x'), delta(), end], /still open/);
    expectViolation([start, textStart(0), stop(0), end], /message_stop without a message_delta/);
    expectViolation([start, delta(), textStart(0), stop(0), end], /block started after message_delta/);
    expectViolation([start, textStart(0), stop(0), delta()], /must end with message_stop/);
    expectViolation([start, delta(), delta(), end], /message_delta sent twice/);
    const nullReason = {
      type: 'message_delta',
      delta: { stop_reason: null, stop_sequence: null },
      usage: { output_tokens: 1 },
    } as StreamEvent;
    expectViolation([start, nullReason, end], /not a final stop reason/);
  });

  it('allows nothing after message_stop or error, and no open block at error', () => {
    expectViolation([...valid, { type: 'ping' }], /after message_stop/);
    expectViolation([start, error, delta(), end], /after error/);
    expectViolation([start, textStart(0), error], /still open at error/);
    expectViolation([], /empty stream/);
    expectViolation([start, { type: 'future_event' } as unknown as StreamEvent, delta(), end], /unknown event type/);
  });

  it('checks SSE framing: event lines matching data.type, JSON data', () => {
    expectViolation(valid.map((e) => `data: ${JSON.stringify(e)}\n\n`).join(''), /no "event:" line/);
    expectViolation(
      sse(valid).replace('event: message_stop', 'event: message_end'),
      /event name "message_end" but data.type "message_stop"/,
    );
    expectViolation(`${sse([start])}event: ping\ndata: {nope\n\n`, /data is not JSON/);
    expectViolation(`${sse([start])}event: ping\n\n`, /no "data:" line/);
  });

  it('assertValidAnthropicStream throws with every violation listed', () => {
    expect(() => assertValidAnthropicStream(valid)).not.toThrow();
    expect(() => assertValidAnthropicStream([textStart(1), text(0, 'x')])).toThrow(
      /must begin with message_start[\s\S]*index 1, expected 0/,
    );
  });
});
