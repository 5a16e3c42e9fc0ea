import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { UsageRow } from '../../../shared/api.js';
import {
  accountsOf,
  bucketStart,
  costliestSessions,
  costOf,
  quotaSeries,
  summarize,
  totalsOf,
  usageWindow,
} from '../../../main/core/usage/aggregate.js';
import { decodeRow, encodeRow } from '../../../main/core/usage/row-line.js';
import { decodeSample, encodeSample } from '../../../main/core/usage/quota-line.js';
import { TimeBuffer } from '../../../main/core/usage/time-buffer.js';
import { usageRow } from './rows.js';

const NOW = new Date(2026, 2, 10, 15, 37, 12).getTime(); // local time: buckets follow the local clock
const HOUR = 3_600_000;

function summary(rows: UsageRow[], range: '1h' | '24h' | '7d' = '24h', bucket?: '5m' | '1h' | '1d') {
  const b = bucket ?? (range === '1h' ? '5m' : range === '24h' ? '1h' : '1d');
  const window = usageWindow(range, b, NOW);
  const inWindow = rows.filter((r) => r.time >= window.from && r.time < window.to).sort((a, c) => a.time - c.time);
  return summarize({ range, bucket: b, window, rows: inWindow, quotaInWindow: [], quotaBefore: [] });
}

describe('usage windows and buckets', () => {
  it('starts each range on a whole local bucket and ends just after now', () => {
    const day = usageWindow('24h', '1h', NOW);
    expect(new Date(day.from).getMinutes()).toBe(0);
    expect(day.buckets).toHaveLength(25);
    expect(day.to).toBe(NOW + 1);
    const week = usageWindow('7d', '1d', NOW);
    expect(new Date(week.from).getHours()).toBe(0);
    expect(week.buckets).toHaveLength(8);
    expect(week.buckets.every((t) => new Date(t).getHours() === 0)).toBe(true);
    const hour = usageWindow('1h', '5m', NOW);
    expect(hour.buckets).toHaveLength(13);
    expect(hour.buckets[1] - hour.buckets[0]).toBe(300_000);
  });

  it('puts a row in the bucket that holds its time', () => {
    expect(bucketStart(new Date(2026, 2, 10, 15, 59, 59).getTime(), '1h')).toBe(new Date(2026, 2, 10, 15).getTime());
    expect(bucketStart(new Date(2026, 2, 10, 15, 4, 59).getTime(), '5m')).toBe(new Date(2026, 2, 10, 15, 0).getTime());
    expect(bucketStart(new Date(2026, 2, 10, 0, 0, 1).getTime(), '1d')).toBe(new Date(2026, 2, 10).getTime());
  });
});

describe('summaries', () => {
  it('stacks tokens by upstream model per bucket, the biggest model first', () => {
    const rows = [
      usageRow({ time: NOW - 30 * 60_000, upstream_model: 'gpt-6.2-sol', input_tokens: 100, output_tokens: 10 }),
      usageRow({ time: NOW - 20 * 60_000, upstream_model: 'gpt-6-luna', input_tokens: 5, output_tokens: 1 }),
      usageRow({ time: NOW - 2 * HOUR, upstream_model: 'gpt-6.2-sol', input_tokens: 1000, output_tokens: 100 }),
      usageRow({
        time: NOW - 2 * HOUR,
        upstream_model: null,
        model: 'claude-haiku-5-5',
        input_tokens: 7,
        output_tokens: 0,
      }),
      usageRow({ time: NOW - 30 * HOUR, input_tokens: 1e9 }), // outside 24 h
    ];
    const s = summary(rows);
    expect(s.tokens_by_model.map((m) => [m.model, m.total])).toEqual([
      ['gpt-6.2-sol', 1210],
      ['claude-haiku-5-5', 7],
      ['gpt-6-luna', 6],
    ]);
    const sol = s.tokens_by_model[0].tokens;
    expect(sol.at(-1)).toBe(110); // 15:07, in the current hour
    expect(sol.at(-2)).toBe(0);
    expect(sol.at(-3)).toBe(1100); // 13:37
    expect(s.tokens_by_model[2].tokens.at(-1)).toBe(6);
  });

  it('keeps input and cached per bucket for the cache-hit rate', () => {
    const s = summary([
      usageRow({ time: NOW - 10 * 60_000, input_tokens: 1000, cached_tokens: 900 }),
      usageRow({ time: NOW - 5 * 60_000, input_tokens: 1000, cached_tokens: 100 }),
    ]);
    expect(s.input_tokens.at(-1)).toBe(2000);
    expect(s.cached_tokens.at(-1)).toBe(1000);
  });

  it('counts requests, errors and failovers per account; a cancelled request is no error', () => {
    const rows = [
      usageRow({ account: 'a', status: 200 }),
      usageRow({ account: 'a', status: 429 }),
      usageRow({ account: 'a', status: 499 }),
      usageRow({ account: 'b', status: 200, attempts: 2 }),
      usageRow({ account: null, status: 401 }),
    ];
    expect(accountsOf(rows).map((a) => [a.account, a.requests, a.errors])).toEqual([
      ['a', 3, 1],
      ['(none)', 1, 1],
      ['b', 1, 0],
    ]);
    expect(totalsOf(rows)).toMatchObject({ requests: 5, errors: 2, failovers: 1 });
  });

  it('ranks sessions by cost, where cached input counts a tenth and output eight times', () => {
    expect(costOf(1000, 900, 10)).toBe(100 + 90 + 80);
    const rows = [
      usageRow({ session: 'cached', input_tokens: 100_000, cached_tokens: 100_000, output_tokens: 0 }), // 10 000
      usageRow({ session: 'uncached', input_tokens: 20_000, cached_tokens: 0, output_tokens: 0 }), // 20 000
      usageRow({ session: 'talky', input_tokens: 0, cached_tokens: 0, output_tokens: 2_000, upstream_model: 'b' }), // 16 000
      usageRow({ session: 'talky', input_tokens: 0, cached_tokens: 0, output_tokens: 0, upstream_model: 'a' }),
      usageRow({ session: null, input_tokens: 1e9 }),
    ];
    const sessions = costliestSessions(rows);
    expect(sessions.map((s) => [s.session, s.cost])).toEqual([
      ['uncached', 20_000],
      ['talky', 16_000],
      ['cached', 10_000],
    ]);
    expect(sessions[1]).toMatchObject({ requests: 2, models: ['a', 'b'] });
    expect(costliestSessions(rows, 1)).toHaveLength(1);
  });

  it('puts every account’s quota on one time axis, from the window start to now', () => {
    const from = 1000;
    const to = 10_001;
    const q = quotaSeries(
      [
        { time: 2000, account: 'a', five_hour: 20, weekly: 40 },
        { time: 3000, account: 'b', five_hour: 5, weekly: null },
      ],
      [
        { time: 100, account: 'a', five_hour: 1, weekly: 30 },
        { time: 500, account: 'a', five_hour: 10, weekly: 35 },
      ],
      from,
      to,
    );
    expect(q.times).toEqual([1000, 2000, 3000, 10_000]);
    expect(q.accounts).toEqual([
      { account: 'a', five_hour: [10, 20, null, 20], weekly: [35, 40, null, 40] },
      { account: 'b', five_hour: [null, null, 5, 5], weekly: [null, null, null, null] },
    ]);
  });

  it('property: the stacked chart adds up to the rows in the window, bucket by bucket and in total', () => {
    const row = fc.record({
      offset: fc.integer({ min: 0, max: 8 * 86_400_000 }),
      model: fc.constantFrom('m1', 'm2', 'm3'),
      input: fc.integer({ min: 0, max: 1e6 }),
      output: fc.integer({ min: 0, max: 1e5 }),
    });
    fc.assert(
      fc.property(fc.array(row, { maxLength: 200 }), fc.constantFrom('1h', '24h', '7d'), (specs, range) => {
        const rows = specs.map((r) =>
          usageRow({
            time: NOW - r.offset,
            upstream_model: r.model,
            input_tokens: r.input,
            cached_tokens: 0,
            output_tokens: r.output,
          }),
        );
        const s = summary(rows, range as '1h' | '24h' | '7d');
        const inWindow = rows.filter((r) => r.time >= s.from && r.time < s.to);
        const charted = s.tokens_by_model.reduce((sum, m) => sum + m.tokens.reduce((a, b) => a + b, 0), 0);
        expect(charted).toBe(inWindow.reduce((sum, r) => sum + r.input_tokens + r.output_tokens, 0));
        expect(s.totals.requests).toBe(inWindow.length);
        for (let i = 0; i < s.buckets.length; i++) {
          const end = s.buckets[i + 1] ?? s.to;
          const expected = inWindow
            .filter((r) => r.time >= s.buckets[i] && r.time < end)
            .reduce((sum, r) => sum + r.input_tokens, 0);
          expect(s.input_tokens[i]).toBe(expected);
        }
      }),
      { numRuns: 60 },
    );
  });
});

describe('lines of the usage files', () => {
  it('round-trips a row and a quota sample, and skips torn or foreign lines', () => {
    const row = usageRow({ ttfb_ms: null, session: null });
    expect(decodeRow(encodeRow(row))).toEqual(row);
    const sample = { time: 5, account: 'a', five_hour: 12.5, weekly: null };
    expect(decodeSample(encodeSample(sample))).toEqual(sample);
    const line = encodeRow(row);
    for (const bad of [line.slice(0, 20), '[2,1]', '{}', '', 'null', line.replace('"claude', '1,"claude')])
      expect(decodeRow(bad)).toBeNull();
    expect(decodeRow(line.replace('1200', '-1'))).toBeNull();
    expect(decodeSample('[1,5,"a","x",null]')).toBeNull();
  });

  it('a row line holds no prompt text and stays near 110 bytes', () => {
    expect(encodeRow(usageRow()).length).toBeLessThan(140);
  });
});

describe('TimeBuffer', () => {
  it('keeps items in time order, drops the oldest past its bound, and finds ranges', () => {
    const buf = new TimeBuffer<{ time: number }>(3);
    for (const time of [1, 2, 4, 3]) buf.add({ time });
    expect(buf.range(-Infinity, Infinity).map((i) => i.time)).toEqual([2, 3, 4]);
    expect(buf.range(3, 4).map((i) => i.time)).toEqual([3]);
    buf.dropBefore(4);
    expect(buf.length).toBe(1);
  });

  it('stays correct across its amortised compaction', () => {
    const buf = new TimeBuffer<{ time: number }>(2000);
    for (let t = 0; t < 10_000; t++) buf.add({ time: t });
    buf.dropBefore(9000);
    expect(buf.length).toBe(1000);
    expect(buf.range(8990, 9003).map((i) => i.time)).toEqual([9000, 9001, 9002]);
  });
});
