import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { codexEventBatches, UpstreamStreamError } from '../../../main/core/upstream/codex-client.js';
import type { CodexEvent } from '../../../shared/codex.js';

/** A body whose reads return exactly these chunks, then end (or stay open when `hang`). */
function body(chunks: Array<string | Buffer>, opts: { hang?: boolean } = {}): Readable {
  const queue = [...chunks];
  return new Readable({
    highWaterMark: 0,
    read() {
      const next = queue.shift();
      if (next !== undefined) this.push(Buffer.from(next));
      else if (!opts.hang) this.push(null);
    },
  });
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
    const stream = body([bytes.subarray(0, cut1), bytes.subarray(cut1, cut2), bytes.subarray(cut2)]);
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
    const stream = new Readable({
      read() {
        if (sent) this.destroy(new Error('terminated'));
        else this.push(Buffer.from(frame({ type: 'a' })));
        sent = true;
      },
    });
    const { batches, error } = await collect(codexEventBatches(stream, 5_000));
    expect(batches).toEqual([[{ type: 'a' }]]);
    expect((error as UpstreamStreamError).code).toBe('connection_lost');
  });

  it('keeps reading a complete response to its end when stopped early, so the connection is reused', async () => {
    const stream = body([frame({ type: 'response.completed' }), frame({ type: 'late' })]);
    for await (const batch of codexEventBatches(stream, 5_000)) if (batch.length) break;
    // 'end' only comes when the body is read to its end, not when it is destroyed.
    await new Promise((resolve) => stream.once('end', resolve));
    expect(stream.readableEnded).toBe(true);
  });

  it('drops the connection when stopped early inside an unfinished response', async () => {
    const stream = body([frame({ type: 'response.output_text.delta' })], { hang: true });
    for await (const batch of codexEventBatches(stream, 5_000)) if (batch.length) break;
    expect(stream.destroyed).toBe(true);
  });
});
