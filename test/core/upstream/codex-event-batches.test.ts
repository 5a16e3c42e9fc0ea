import { describe, expect, it } from 'vitest';
import { codexEventBatches, UpstreamStreamError } from '../../../main/core/upstream/codex-client.js';
import type { CodexEvent } from '../../../shared/codex.js';

/** A body whose reads return exactly these chunks, then end (or stay open when `hang`). */
function body(chunks: string[], opts: { hang?: boolean } = {}): ReadableStream<Uint8Array> {
  const bytes = chunks.map((c) => new TextEncoder().encode(c));
  return new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        const next = bytes.shift();
        if (next) controller.enqueue(next);
        else if (!opts.hang) controller.close();
      },
    },
    { highWaterMark: 0 },
  );
}

const frame = (data: unknown, event?: string) =>
  `${event ? `event: ${event}\n` : ''}data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`;

async function collect(source: AsyncIterable<CodexEvent[]>): Promise<{ batches: CodexEvent[][]; error?: unknown }> {
  const batches: CodexEvent[][] = [];
  try {
    for await (const batch of source) batches.push(batch);
    return { batches };
  } catch (error) {
    return { batches, error };
  }
}

describe('codexEventBatches', () => {
  it('yields one batch per upstream read, across events split between reads', async () => {
    const a = frame({ type: 'response.created' });
    const b = frame({ type: 'response.output_text.delta', delta: 'hé' });
    const c = frame({ type: 'response.completed' });
    // The second read starts inside the two bytes of "é"; the third starts inside the last event.
    const bytes = Buffer.from(a + b + c);
    const cut1 = Buffer.byteLength(a + b.slice(0, b.indexOf('é'))) + 1;
    const cut2 = Buffer.byteLength(a + b) + 5;
    const parts = [bytes.subarray(0, cut1), bytes.subarray(cut1, cut2), bytes.subarray(cut2)];
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        const next = parts.shift();
        if (next) controller.enqueue(new Uint8Array(next));
        else controller.close();
      },
    });
    const { batches, error } = await collect(codexEventBatches(stream, 5_000));
    expect(error).toBeUndefined();
    expect(batches.map((batch) => batch.map((ev) => ev.type))).toEqual([
      ['response.created'],
      ['response.output_text.delta'],
      ['response.completed'],
    ]);
    expect(batches[1][0]).toMatchObject({ delta: 'hé' });
  });

  it('takes the type from the SSE event name when the data has none, and skips non-objects', async () => {
    const { batches } = await collect(
      codexEventBatches(body([frame({ x: 1 }, 'codex.rate_limits') + frame('42') + frame({ y: 2 })]), 5_000),
    );
    expect(batches).toEqual([[{ x: 1, type: 'codex.rate_limits' }]]);
  });

  it('stops at [DONE] without reading further', async () => {
    const { batches, error } = await collect(
      codexEventBatches(body([frame({ type: 'a' }) + frame('[DONE]') + frame({ type: 'b' })], { hang: true }), 5_000),
    );
    expect(error).toBeUndefined();
    expect(batches).toEqual([[{ type: 'a' }]]);
  });

  it('delivers the events before a malformed one, then fails with malformed_event', async () => {
    const { batches, error } = await collect(
      codexEventBatches(body([frame({ type: 'a' }) + frame('{not json', 'response.output_text.delta') + frame({ type: 'b' })]), 5_000),
    );
    expect(batches).toEqual([[{ type: 'a' }]]);
    expect(error).toBeInstanceOf(UpstreamStreamError);
    expect((error as UpstreamStreamError).code).toBe('malformed_event');
    expect((error as Error).message).toContain('response.output_text.delta');
  });

  it('fails with idle_timeout when upstream goes quiet', async () => {
    const { batches, error } = await collect(codexEventBatches(body([frame({ type: 'a' })], { hang: true }), 50));
    expect(batches).toEqual([[{ type: 'a' }]]);
    expect((error as UpstreamStreamError).code).toBe('idle_timeout');
  });

  it('fails with connection_lost when the body errors mid-stream', async () => {
    let sent = false;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent) controller.error(new TypeError('terminated'));
        else controller.enqueue(new TextEncoder().encode(frame({ type: 'a' })));
        sent = true;
      },
    });
    const { batches, error } = await collect(codexEventBatches(stream, 5_000));
    expect(batches).toEqual([[{ type: 'a' }]]);
    expect((error as UpstreamStreamError).code).toBe('connection_lost');
  });
});
