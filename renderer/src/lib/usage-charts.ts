// The usage view's chart data, shaped from the server's summary for uPlot: plain arrays, no DOM.
// A chart is a spec (what to draw) plus its aligned data (x first, one array per series); the
// component turns the spec into uPlot options. Every number a chart shows is also in `raw`, so the
// legend shows the row sums and not the stacked heights.
import type { UsageBucket, UsageRange, UsageSummary } from '../../../shared/api.js';

export type ChartKind = 'stacked-bars' | 'line' | 'steps' | 'category-bars';
export type ValueFormat = 'tokens' | 'percent' | 'count';

export interface ChartSeries {
  label: string;
  /** Index into the palette, stable per label within a chart. */
  color: number;
}

export interface ChartSpec {
  kind: ChartKind;
  format: ValueFormat;
  series: ChartSeries[];
  /** x values: unix ms for time charts, 0..n-1 for category charts. */
  x: number[];
  /** What the chart draws per series (cumulative for stacked bars). */
  drawn: Array<Array<number | null>>;
  /** What each point is worth (the legend and the tests read these). */
  raw: Array<Array<number | null>>;
  /** Category labels (category charts only). */
  categories?: string[];
  /** Fixed y range, e.g. 0–100 for percentages. */
  yMax?: number;
  /** Fixed x range: time charts of buckets span the whole last bucket, not just its start. */
  xRange?: [number, number];
}

export const RANGES: ReadonlyArray<{ id: UsageRange; label: string }> = [
  { id: '1h', label: '1 h' },
  { id: '24h', label: '24 h' },
  { id: '7d', label: '7 d' },
];

/** The buckets the token chart offers per range, the default first. */
export const BUCKETS: Record<UsageRange, ReadonlyArray<{ id: UsageBucket; label: string }>> = {
  '1h': [{ id: '5m', label: 'per 5 min' }],
  '24h': [
    { id: '1h', label: 'per hour' },
    { id: '5m', label: 'per 5 min' },
  ],
  '7d': [
    { id: '1d', label: 'per day' },
    { id: '1h', label: 'per hour' },
  ],
};

/** From the first bucket's start to the last one's end (buckets are of equal length but days). */
export function bucketRange(buckets: readonly number[]): [number, number] | undefined {
  if (buckets.length === 0) return undefined;
  const step = buckets.length > 1 ? buckets[buckets.length - 1] - buckets[buckets.length - 2] : 3_600_000;
  return [buckets[0], buckets[buckets.length - 1] + step];
}

/**
 * Tokens stacked by model. uPlot draws series in order and each bar from zero, so the series are
 * the running totals with the top of the stack first: each later (shorter) bar covers the lower
 * part of the ones before it, and the legend lists models as they are stacked, top down.
 */
export function tokensChart(s: UsageSummary): ChartSpec {
  const models = s.tokens_by_model; // biggest first = bottom of the stack
  const running: number[][] = [];
  let acc = new Array<number>(s.buckets.length).fill(0);
  for (const m of models) {
    acc = acc.map((v, i) => v + m.tokens[i]);
    running.push(acc);
  }
  const order = models.map((_, i) => i).reverse();
  return {
    kind: 'stacked-bars',
    format: 'tokens',
    x: s.buckets,
    series: order.map((i) => ({ label: models[i].model, color: i })),
    drawn: order.map((i) => running[i]),
    raw: order.map((i) => models[i].tokens),
    xRange: bucketRange(s.buckets),
  };
}

/** Percent of input tokens served from the cache per bucket; no point where there was no input. */
export function hitRates(input: readonly number[], cached: readonly number[]): Array<number | null> {
  return input.map((n, i) => (n > 0 ? Math.round((cached[i] / n) * 1000) / 10 : null));
}

export function cacheChart(s: UsageSummary): ChartSpec {
  const rates = hitRates(s.input_tokens, s.cached_tokens);
  return {
    kind: 'line',
    format: 'percent',
    x: s.buckets,
    series: [{ label: 'cache hit', color: 0 }],
    drawn: [rates],
    raw: [rates],
    yMax: 100,
    xRange: bucketRange(s.buckets),
  };
}

export function accountsChart(s: UsageSummary): ChartSpec {
  const requests = s.accounts.map((a) => a.requests);
  const errors = s.accounts.map((a) => a.errors);
  return {
    kind: 'category-bars',
    format: 'count',
    x: s.accounts.map((_, i) => i),
    categories: s.accounts.map((a) => a.account),
    series: [
      { label: 'requests', color: 0 },
      { label: 'errors', color: -1 },
    ],
    drawn: [requests, errors],
    raw: [requests, errors],
  };
}

/** Each reading holds until the next one: the times in between (other accounts' readings) get it too. */
export function heldValues(values: ReadonlyArray<number | null>): Array<number | null> {
  let last: number | null = null;
  return values.map((v) => (last = v ?? last));
}

export function quotaChart(s: UsageSummary, window: 'five_hour' | 'weekly'): ChartSpec {
  const accounts = s.quota.accounts;
  const held = accounts.map((a) => heldValues(a[window]));
  return {
    kind: 'steps',
    format: 'percent',
    x: s.quota.times,
    series: accounts.map((a, i) => ({ label: a.account, color: i })),
    drawn: held,
    raw: held,
    yMax: 100,
  };
}

/** The whole range's cache-hit rate, or null without input. */
export function overallHitRate(s: UsageSummary): number | null {
  return hitRates([s.totals.input_tokens], [s.totals.cached_tokens])[0];
}

/** A label cut to `max` characters with an ellipsis (category axes on narrow screens). */
export function shorten(label: string, max: number): string {
  if (label.length <= max) return label;
  return max <= 1 ? '…' : `${label.slice(0, max - 1)}…`;
}

const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });
const whole = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** Axis ticks: short (`12.5K`); the legend uses full numbers. */
export function formatTick(v: number, format: ValueFormat): string {
  if (format === 'percent') return `${v}%`;
  return format === 'tokens' ? compact.format(v) : whole.format(v);
}

export function formatValue(v: number | null | undefined, format: ValueFormat): string {
  if (v === null || v === undefined) return '—';
  return format === 'percent' ? `${v}%` : whole.format(v);
}
