// Property: whatever the Codex backend streams (well-formed in any interleaving, cut short, or
// damaged), the translator's output is a valid Anthropic stream, and the accumulator that builds
// the non-streaming answer from it never throws.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { StreamEvent } from '../../shared/anthropic.js';
import { MessageAccumulator } from '../../main/core/translate/aggregate.js';
import { ResponseTranslator } from '../../main/core/translate/stream.js';
import type { ToolNameMap } from '../../main/core/translate/tools.js';
import { ev } from '../fakes/codex-events.js';
import { validateAnthropicStream } from '../support/stream-validator.js';
import { codexStream, damagedStream, truncatedStream, type CodexStream } from './codex-streams.js';

const identity: ToolNameMap = { toUpstream: (n) => n, fromUpstream: (n) => n };
const displayArb = fc.constantFrom('summarized' as const, 'omitted' as const, 'none' as const);

/** Drives the translator the way the Codex lane does. */
function translate(stream: CodexStream, thinkingDisplay: 'summarized' | 'omitted' | 'none'): StreamEvent[] {
  const t = new ResponseTranslator({ model: 'claude-sonnet-5-5', toolNames: identity, thinkingDisplay });
  const out = t.start();
  for (const event of stream.events) {
    if (t.done) break;
    out.push(...t.push(event));
  }
  const { ending } = stream;
  if (ending.kind === 'event') out.push(...t.push(ending.event));
  else if (ending.kind === 'lane-error') out.push(...t.push({ type: 'error', code: ending.code, message: 'lost' }));
  out.push(...t.end());
  return out;
}

function check(stream: CodexStream, display: 'summarized' | 'omitted' | 'none'): void {
  const out = translate(stream, display);
  expect(validateAnthropicStream(out)).toEqual([]);
  const acc = new MessageAccumulator();
  for (const event of out) acc.push(event);
  const message = acc.message();
  expect(message.stop_reason === null).toBe(acc.error !== null);
}

/** What the `.done` items of a stream say the answer was: texts and tool inputs, in output order. */
function expectedContent(stream: CodexStream): { texts: string[]; toolInputs: unknown[] } {
  const items = stream.events
    .filter((e) => e.type === 'response.output_item.done')
    .sort((a, b) => Number(a.output_index) - Number(b.output_index))
    .map((e) => e.item as { type: string; content?: Array<{ text: string }>; arguments?: string });
  return {
    texts: items
      .flatMap((i) => (i.type === 'message' ? [i.content?.map((p) => p.text).join('') ?? ''] : []))
      .filter(Boolean),
    toolInputs: items.flatMap((i) => (i.type === 'function_call' ? [JSON.parse(i.arguments || '{}')] : [])),
  };
}

describe('fuzz: Codex event stream → Anthropic stream', () => {
  it('well-formed streams in any interleaving, with unknown events and every ending', () => {
    fc.assert(fc.property(codexStream, displayArb, check), { numRuns: 400 });
  });

  it('completed streams keep every text and tool input intact', () => {
    const completed = codexStream.map((s): CodexStream => ({ ...s, ending: { kind: 'event', event: ev.completed() } }));
    fc.assert(
      fc.property(completed, (stream) => {
        const acc = new MessageAccumulator();
        for (const event of translate(stream, 'summarized')) acc.push(event);
        const blocks = acc.message().content;
        const want = expectedContent(stream);
        expect(blocks.flatMap((b) => (b.type === 'text' ? [b.text] : [])).sort()).toEqual(want.texts.sort());
        const inputs = blocks.flatMap((b) => (b.type === 'tool_use' ? [b.input] : []));
        expect(inputs).toHaveLength(want.toolInputs.length);
        expect(inputs).toEqual(expect.arrayContaining(want.toolInputs));
      }),
      { numRuns: 200 },
    );
  });

  it('streams cut short anywhere end with an error event, never a dangling block', () => {
    fc.assert(fc.property(truncatedStream, displayArb, check), { numRuns: 200 });
  });

  it('streams with lost, repeated or reordered bookkeeping events', () => {
    fc.assert(fc.property(damagedStream, displayArb, check), { numRuns: 200 });
  });
});
