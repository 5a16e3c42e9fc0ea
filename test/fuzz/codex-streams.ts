// fast-check arbitraries for Codex SSE event streams: real item shapes (from the fake backend's
// builders) interleaved at random, with unknown events sprinkled in, every terminal the backend
// has (completed, incomplete, failed, error), truncation, and a damaged variant where bookkeeping
// events are dropped, duplicated or swapped as a sloppy upstream might.
import fc from 'fast-check';
import { ev, type Ev } from '../fakes/codex-events.js';

/** How the stream ends: an upstream terminal event, or the lane seeing the connection end/fail. */
export type Ending = { kind: 'event'; event: Ev } | { kind: 'eof' } | { kind: 'lane-error'; code: string };

export interface CodexStream {
  events: Ev[];
  ending: Ending;
}

const deltaText = fc.string({ maxLength: 8, unit: 'grapheme' });
const chunksOf = (min = 1) => fc.array(deltaText, { minLength: min, maxLength: 4 });

/** Function-call arguments are JSON objects in pieces (the model may also send none at all). */
const argumentChunks = fc
  .tuple(
    fc.dictionary(fc.string({ maxLength: 5 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 }),
    fc.integer({ min: 1, max: 4 }),
    fc.boolean(),
  )
  .map(([value, cuts, empty]) => {
    if (empty) return [] as string[];
    const json = JSON.stringify(value);
    const size = Math.ceil(json.length / cuts);
    return Array.from({ length: cuts }, (_, k) => json.slice(k * size, (k + 1) * size)).filter(Boolean);
  });

type ItemSpec =
  | { kind: 'text'; chunks: string[] }
  | { kind: 'reasoning'; parts: string[][]; encrypted: string }
  | { kind: 'call'; name: string; chunks: string[] }
  | { kind: 'search'; query: string }
  | { kind: 'foreign' };

const itemSpec: fc.Arbitrary<ItemSpec> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('text' as const), chunks: chunksOf() }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('reasoning' as const),
      parts: fc.array(chunksOf(), { maxLength: 3 }),
      encrypted: fc.oneof(fc.base64String({ minLength: 4, maxLength: 24 }), fc.constant('')),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('call' as const),
      name: fc.constantFrom('Bash', 'Read', 'server_tool_1a2b3c4d'),
      chunks: argumentChunks,
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('search' as const), query: fc.string({ maxLength: 10 }) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'foreign' as const }) },
);

/** An item type we do not translate, streamed like the backend streams any item. */
function foreignItem(outputIndex: number): Ev[] {
  const item = { id: 'ctc_x', type: 'custom_tool_call', call_id: 'call_custom', name: 'apply_patch', input: '' };
  return [
    { type: 'response.output_item.added', output_index: outputIndex, item },
    { type: 'response.custom_tool_call_input.delta', output_index: outputIndex, item_id: item.id, delta: '*** Begin' },
    {
      type: 'response.output_item.done',
      output_index: outputIndex,
      item: { ...item, input: '*** Begin', status: 'completed' },
    },
  ];
}

function itemEvents(spec: ItemSpec, outputIndex: number): Ev[] {
  switch (spec.kind) {
    case 'text':
      return ev.textMessage(spec.chunks.join(''), { chunks: spec.chunks, outputIndex });
    case 'reasoning':
      return ev.reasoning(
        spec.parts.map((p) => p.join('')),
        spec.encrypted,
        { chunks: spec.parts, outputIndex },
      );
    case 'call':
      return ev.functionCall(`call_${outputIndex}`, spec.name, spec.chunks.join(''), {
        chunks: spec.chunks,
        outputIndex,
      });
    case 'search':
      return ev.webSearch(spec.query, [{ url: 'https://example.com/', title: 'Example' }], { outputIndex });
    case 'foreign':
      return foreignItem(outputIndex);
  }
}

/**
 * The builders mint random item ids; fixed ones keep a failing case replayable. Ids stay unique
 * per item, so routing by item_id still works.
 */
function withFixedIds(events: Ev[], outputIndex: number): Ev[] {
  const id = `item_${outputIndex}`;
  return events.map((e) => {
    const out: Ev = { ...e };
    if (typeof out.item_id === 'string') out.item_id = id;
    if (out.item && typeof out.item === 'object') out.item = { ...(out.item as object), id };
    return out;
  });
}

/** Merges per-item sequences, keeping each item's own order, following `picks`. */
function merge(sequences: Ev[][], picks: number[]): Ev[] {
  const out: Ev[] = [];
  const cursors = sequences.map(() => 0);
  let p = 0;
  for (;;) {
    const live = cursors.flatMap((c, i) => (c < sequences[i].length ? [i] : []));
    if (live.length === 0) return out;
    const i = live[(picks[p++ % picks.length] ?? 0) % live.length];
    out.push(sequences[i][cursors[i]++]);
  }
}

const unknownEvent: fc.Arbitrary<Ev> = fc.oneof(
  fc.constant(ev.rateLimits()),
  fc.constant({ type: 'response.in_progress', response: { id: 'resp_x', status: 'in_progress' } }),
  fc.constant({ type: 'codex.response.metadata', metadata: { turn: 1 } }),
  fc.constant({ type: 'response.metadata', metadata: {} }),
  fc.record({ type: fc.string({ minLength: 1, maxLength: 12 }), data: fc.jsonValue({ maxDepth: 1 }) }),
);

const FAILURE_CODES = [
  'server_is_overloaded',
  'context_length_exceeded',
  'rate_limit_exceeded',
  'usage_limit_reached',
  'invalid_prompt',
  'slow_down',
  'something_new',
  '',
];

const ending: fc.Arbitrary<Ending> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc
      .record({
        input_tokens: fc.nat(10_000),
        cached_tokens: fc.nat(10_000),
        output_tokens: fc.nat(5_000),
        reasoning_tokens: fc.nat(5_000),
      })
      .map((usage) => ({
        kind: 'event' as const,
        event: ev.completed({ ...usage, input_tokens: usage.input_tokens + usage.cached_tokens }),
      })),
  },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom('max_output_tokens', 'content_filter', 'other')
      .map((r) => ({ kind: 'event' as const, event: ev.incomplete(r) })),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom(...FAILURE_CODES), fc.string({ maxLength: 20 }))
      .map(([c, m]) => ({ kind: 'event' as const, event: ev.failed(c, m) })),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom(...FAILURE_CODES), fc.string({ maxLength: 20 }))
      .map(([c, m]) => ({ kind: 'event' as const, event: ev.error(c, m) })),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'eof' as const }) },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom('idle_timeout', 'connection_lost', 'malformed_event')
      .map((code) => ({ kind: 'lane-error' as const, code })),
  },
);

/** A well-formed stream: optional preamble, interleaved items with unknown events between, one ending. */
export const codexStream: fc.Arbitrary<CodexStream> = fc
  .record({
    items: fc.array(itemSpec, { maxLength: 5 }),
    picks: fc.array(fc.nat(), { minLength: 16, maxLength: 16 }),
    noise: fc.array(fc.tuple(fc.nat(), unknownEvent), { maxLength: 3 }),
    rateLimitsFirst: fc.boolean(),
    ending,
  })
  .map(({ items, picks, noise, rateLimitsFirst, ending }) => {
    const body = merge(
      items.map((spec, i) => withFixedIds(itemEvents(spec, i), i)),
      picks,
    );
    for (const [at, event] of noise) body.splice(at % (body.length + 1), 0, event);
    const events = [...(rateLimitsFirst ? [ev.rateLimits()] : []), ev.created('resp_fuzz'), ...body];
    return { events, ending };
  });

/** The same streams cut short at any point: the connection simply ends there. */
export const truncatedStream: fc.Arbitrary<CodexStream> = fc
  .tuple(codexStream, fc.nat())
  .map(([s, cut]) => ({ events: s.events.slice(0, cut % (s.events.length + 1)), ending: { kind: 'eof' } }));

type Damage = { op: 'drop' | 'duplicate' | 'swap'; at: number };

/** Deltas are the content itself: losing one is data loss no translator can undo, so damage spares them. */
const isDelta = (e: Ev): boolean => e.type.endsWith('.delta');

/**
 * Streams a sloppy upstream might send: bookkeeping events (added/done, parts, created, the
 * terminal) lost, repeated or out of order, so items arrive without `.added` or without `.done`.
 */
export const damagedStream: fc.Arbitrary<CodexStream> = fc
  .tuple(
    codexStream,
    fc.array(fc.record({ op: fc.constantFrom('drop', 'duplicate', 'swap'), at: fc.nat() }) as fc.Arbitrary<Damage>, {
      minLength: 1,
      maxLength: 4,
    }),
  )
  .map(([s, damage]) => {
    const events = [...s.events];
    if (s.ending.kind === 'event') events.push(s.ending.event);
    for (const { op, at } of damage) {
      const targets = events.flatMap((e, i) => (isDelta(e) ? [] : [i]));
      if (targets.length === 0) break;
      const i = targets[at % targets.length];
      if (op === 'drop') events.splice(i, 1);
      else if (op === 'duplicate') events.splice(i, 0, events[i]);
      else if (i + 1 < events.length && !isDelta(events[i + 1]))
        [events[i], events[i + 1]] = [events[i + 1], events[i]];
    }
    return { events, ending: { kind: 'eof' } };
  });
