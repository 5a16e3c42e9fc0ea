import { describe, expect, it } from 'vitest';
import {
  accountsChart,
  bucketRange,
  cacheChart,
  formatTick,
  formatValue,
  heldValues,
  hitRates,
  overallHitRate,
  quotaChart,
  shorten,
  tokensChart,
} from '../../renderer/src/lib/usage-charts.js';
import { alignedData, chartOptions, colorOf } from '../../renderer/src/lib/uplot-options.js';
import { usageSummary } from './support/fixtures.js';

const theme = { text: '#000', muted: '#555', grid: '#ddd' };

describe('usage chart data', () => {
  it('stacks tokens by model: running totals drawn top of the stack first, the row sums kept for the legend', () => {
    const spec = tokensChart(usageSummary());
    expect(spec.series.map((s) => s.label)).toEqual(['gpt-6-luna', 'gpt-6.2-sol']);
    // luna sits on sol: its bar reaches the total, sol's bar covers the lower part.
    expect(spec.drawn).toEqual([
      [1100, 200, 3000],
      [1000, 0, 3000],
    ]);
    expect(spec.raw).toEqual([
      [100, 200, 0],
      [1000, 0, 3000],
    ]);
    expect(spec.xRange).toEqual([spec.x[0], spec.x[2] + 3_600_000]);
    expect(alignedData(spec)).toEqual([spec.x, ...spec.drawn]);
  });

  it('computes the cache-hit rate per bucket, with a gap where there was no input', () => {
    expect(hitRates([1000, 0, 3], [250, 0, 1])).toEqual([25, null, 33.3]);
    expect(cacheChart(usageSummary()).raw[0]).toEqual([90, 0, 50]);
    expect(overallHitRate(usageSummary())).toBe(57.6);
    expect(overallHitRate(usageSummary({ totals: { ...usageSummary().totals, input_tokens: 0 } }))).toBeNull();
  });

  it('puts accounts on a category axis with errors over requests, and quota per account', () => {
    const a = accountsChart(usageSummary());
    expect(a.categories).toEqual(['one@example.com', 'two@example.com']);
    expect(a.x).toEqual([0, 1]);
    expect(a.raw).toEqual([
      [5, 2],
      [1, 1],
    ]);
    expect(heldValues([null, 5, null, null, 7, null])).toEqual([null, 5, 5, 5, 7, 7]);
    const two = quotaChart(
      usageSummary({
        quota: {
          times: [1, 2, 3],
          accounts: [
            { account: 'a', five_hour: [10, null, 30], weekly: [1, null, 1] },
            { account: 'b', five_hour: [null, 20, 20], weekly: [null, 2, 2] },
          ],
        },
      }),
      'five_hour',
    );
    expect(two.raw).toEqual([
      [10, 10, 30],
      [null, 20, 20],
    ]);
    const q = quotaChart(usageSummary(), 'weekly');
    expect(q.series.map((s) => s.label)).toEqual(['one@example.com']);
    expect(q.raw).toEqual([[40, 42, 42]]);
    expect(q.yMax).toBe(100);
  });

  it('formats axes short and legends exact', () => {
    expect(formatTick(12_500, 'tokens')).toBe('12.5K');
    expect(formatTick(40, 'percent')).toBe('40%');
    expect(formatValue(12_500, 'tokens')).toBe('12,500');
    expect(formatValue(null, 'count')).toBe('—');
    expect(bucketRange([])).toBeUndefined();
  });
});

describe('uPlot options', () => {
  it('shows the row sums in the legend, not the stacked heights', () => {
    const spec = tokensChart(usageSummary());
    const opts = chartOptions(spec, theme, { width: 600, height: 200 });
    expect(opts.ms).toBe(1);
    expect(opts.series.map((s) => s.label)).toEqual(['time', 'gpt-6-luna', 'gpt-6.2-sol']);
    const value = opts.series[1].value as (u: unknown, v: number, si: number, idx: number | null) => string;
    expect(value(null, 1100, 1, 0)).toBe('100');
    expect(value(null, 3000, 1, 2)).toBe('0');
    expect(value(null, 0, 1, null)).toBe('—');
    const range = opts.scales!.x.range as (u: unknown, min: number, max: number) => [number, number];
    expect(range(null, 0, 1)).toEqual(spec.xRange);
  });

  it('reads the newest spec for the legend and the x range once the chart was given new data', () => {
    const first = tokensChart(usageSummary());
    let shown = first;
    const opts = chartOptions(first, theme, { width: 600, height: 200 }, () => shown);
    const later = usageSummary({ buckets: [1, 2, 3], tokens_by_model: [{ model: 'gpt-6-luna', tokens: [7, 8, 9], total: 24 }, { model: 'gpt-6.2-sol', tokens: [1, 2, 3], total: 6 }] });
    shown = tokensChart(later);
    const value = opts.series[2].value as (u: unknown, v: number, si: number, idx: number | null) => string;
    expect(value(null, 0, 2, 2)).toBe(String(shown.raw[1][2]));
    const range = opts.scales!.x.range as (u: unknown, min: number, max: number) => [number, number];
    expect(range(null, 0, 1)).toEqual([1, 4]);
  });

  it('labels the category axis with the accounts and keeps red for errors', () => {
    const opts = chartOptions(accountsChart(usageSummary()), theme, { width: 600, height: 200 });
    const axis = opts.axes![0];
    const values = axis.values as (u: unknown, splits: number[]) => string[];
    const wide = { bbox: { width: 1200 * window.devicePixelRatio } };
    expect(values(wide, [0, 1])).toEqual(['one@example.com', 'two@example.com']);
    const narrow = { bbox: { width: 70 * window.devicePixelRatio } };
    expect(values(narrow, [0, 1])).toEqual(['one@…', 'two@…']);
    expect(shorten('abc', 1)).toBe('…');
    expect(opts.series[2].stroke).toBe(colorOf(-1));
    const range = opts.scales!.x.range as () => [number, number];
    expect(range()).toEqual([-0.5, 1.5]);
  });
});
