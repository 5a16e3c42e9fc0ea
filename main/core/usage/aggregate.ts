// The usage view's numbers from the rows of one range: pure functions, no I/O and no clock (the
// caller passes `now`). One pass over the rows per chart family; rows arrive sorted by time, so
// bucketing walks rows and buckets together instead of searching for each row's bucket. The
// strings of rows are interned by the usage log, so the Map lookups here hit cached hashes.
import type {
  UsageBucket,
  UsageRange,
  UsageRow,
  UsageSession,
  UsageSummary,
  UsageTotals,
} from '../../../shared/api.js';
import type { QuotaSample } from './quota-line.js';

export const RANGE_MS: Record<UsageRange, number> = { '1h': 3_600_000, '24h': 86_400_000, '7d': 7 * 86_400_000 };
export const DEFAULT_BUCKET: Record<UsageRange, UsageBucket> = { '1h': '5m', '24h': '1h', '7d': '1d' };
export const SESSIONS_SHOWN = 10;

/**
 * Weights of the session cost, in input-token equivalents: the ratios of OpenAI's API list prices
 * for GPT-5-class models (cached input a tenth of input, output eight times). A ChatGPT plan's
 * quota is not published per token; the ratios rank sessions the way quota is spent.
 */
export const COST_WEIGHTS = { input: 1, cached: 0.1, output: 8 } as const;

export function isUsageRange(v: unknown): v is UsageRange {
  return v === '1h' || v === '24h' || v === '7d';
}

export function isUsageBucket(v: unknown): v is UsageBucket {
  return v === '5m' || v === '1h' || v === '1d';
}

/** Not an error of the proxy: Claude Code cancels requests all the time (Esc, new prompt). */
export function isErrorRow(row: UsageRow): boolean {
  return row.status >= 400 && row.status !== 499;
}

/** Start of the bucket holding `time`, in the machine's local time (days start at local midnight). */
export function bucketStart(time: number, bucket: UsageBucket): number {
  const d = new Date(time);
  if (bucket === '5m') d.setMinutes(d.getMinutes() - (d.getMinutes() % 5), 0, 0);
  else if (bucket === '1h') d.setMinutes(0, 0, 0);
  else d.setHours(0, 0, 0, 0);
  return d.getTime();
}

function nextBucket(start: number, bucket: UsageBucket): number {
  const d = new Date(start);
  if (bucket === '5m') d.setMinutes(d.getMinutes() + 5);
  else if (bucket === '1h') d.setHours(d.getHours() + 1);
  else d.setDate(d.getDate() + 1);
  return d.getTime();
}

/** The range's window, widened at the start to a whole bucket, and the start of every bucket in it. */
export function usageWindow(
  range: UsageRange,
  bucket: UsageBucket,
  now: number,
): { from: number; to: number; buckets: number[] } {
  const from = bucketStart(now - RANGE_MS[range], bucket);
  const buckets: number[] = [];
  for (let t = from; t <= now; t = nextBucket(t, bucket)) buckets.push(t);
  return { from, to: now + 1, buckets };
}

function tokensOf(row: UsageRow): number {
  return row.input_tokens + row.output_tokens;
}

/**
 * The per-bucket series in one walk over rows sorted by time: tokens per model (the biggest model
 * first), and input and cached tokens for the cache-hit rate. Rows outside the buckets are skipped.
 */
export function bucketSeries(
  rows: readonly UsageRow[],
  buckets: readonly number[],
  to: number,
): Pick<UsageSummary, 'tokens_by_model' | 'input_tokens' | 'cached_tokens'> {
  const zeros = () => new Array<number>(buckets.length).fill(0);
  const input = zeros();
  const cached = zeros();
  const byModel = new Map<string, number[]>();
  let b = 0;
  for (const row of rows) {
    if (row.time < buckets[0] || row.time >= to) continue;
    while (b + 1 < buckets.length && row.time >= buckets[b + 1]) b++;
    const model = row.upstream_model ?? row.model;
    let tokens = byModel.get(model);
    if (!tokens) byModel.set(model, (tokens = zeros()));
    tokens[b] += tokensOf(row);
    input[b] += row.input_tokens;
    cached[b] += row.cached_tokens;
  }
  const tokensByModel = [...byModel]
    .map(([model, tokens]) => ({ model, tokens, total: tokens.reduce((a, v) => a + v, 0) }))
    .sort((a, c) => c.total - a.total || a.model.localeCompare(c.model));
  return { tokens_by_model: tokensByModel, input_tokens: input, cached_tokens: cached };
}

export function totalsOf(rows: readonly UsageRow[]): UsageTotals {
  const t: UsageTotals = {
    requests: 0,
    errors: 0,
    input_tokens: 0,
    cached_tokens: 0,
    output_tokens: 0,
    reasoning_tokens: 0,
    failovers: 0,
  };
  for (const row of rows) {
    t.requests++;
    if (isErrorRow(row)) t.errors++;
    if (row.attempts > 1) t.failovers++;
    t.input_tokens += row.input_tokens;
    t.cached_tokens += row.cached_tokens;
    t.output_tokens += row.output_tokens;
    t.reasoning_tokens += row.reasoning_tokens;
  }
  return t;
}

export function accountsOf(rows: readonly UsageRow[]): UsageSummary['accounts'] {
  const byAccount = new Map<string, { account: string; requests: number; errors: number; tokens: number }>();
  for (const row of rows) {
    const account = row.account ?? '(none)';
    let entry = byAccount.get(account);
    if (!entry) byAccount.set(account, (entry = { account, requests: 0, errors: 0, tokens: 0 }));
    entry.requests++;
    if (isErrorRow(row)) entry.errors++;
    entry.tokens += tokensOf(row);
  }
  return [...byAccount.values()].sort((a, b) => b.requests - a.requests || a.account.localeCompare(b.account));
}

export function costOf(input: number, cached: number, output: number): number {
  return Math.round(
    (input - cached) * COST_WEIGHTS.input + cached * COST_WEIGHTS.cached + output * COST_WEIGHTS.output,
  );
}

/** The `limit` costliest sessions; rows without a session (other clients) are left out. */
export function costliestSessions(rows: readonly UsageRow[], limit = SESSIONS_SHOWN): UsageSession[] {
  const bySession = new Map<string, UsageSession & { modelSet: Set<string>; accountSet: Set<string> }>();
  for (const row of rows) {
    if (!row.session) continue;
    let s = bySession.get(row.session);
    if (!s) {
      s = {
        session: row.session,
        requests: 0,
        input_tokens: 0,
        cached_tokens: 0,
        output_tokens: 0,
        reasoning_tokens: 0,
        cost: 0,
        models: [],
        accounts: [],
        first: row.time,
        last: row.time,
        modelSet: new Set(),
        accountSet: new Set(),
      };
      bySession.set(row.session, s);
    }
    s.requests++;
    s.input_tokens += row.input_tokens;
    s.cached_tokens += row.cached_tokens;
    s.output_tokens += row.output_tokens;
    s.reasoning_tokens += row.reasoning_tokens;
    s.modelSet.add(row.upstream_model ?? row.model);
    if (row.account) s.accountSet.add(row.account);
    s.first = Math.min(s.first, row.time);
    s.last = Math.max(s.last, row.time);
  }
  return [...bySession.values()]
    .map(({ modelSet, accountSet, ...s }) => ({
      ...s,
      cost: costOf(s.input_tokens, s.cached_tokens, s.output_tokens),
      models: [...modelSet].sort(),
      accounts: [...accountSet].sort(),
    }))
    .sort((a, b) => b.cost - a.cost || b.last - a.last)
    .slice(0, limit);
}

/** The newest sample of each account among `samples` (sorted by time). */
export function newestPerAccount(samples: readonly QuotaSample[]): QuotaSample[] {
  const last = new Map<string, QuotaSample>();
  for (const s of samples) last.set(s.account, s);
  return [...last.values()];
}

/**
 * Each account's used percent on one shared time axis: every sample in the window, each account's
 * last one before it moved to the window's start (so a line starts at the left edge), and the
 * newest value held until `to`. Times where an account has no sample are null.
 */
export function quotaSeries(
  inWindow: readonly QuotaSample[],
  before: readonly QuotaSample[],
  from: number,
  to: number,
): UsageSummary['quota'] {
  const samples = [...newestPerAccount(before).map((s) => ({ ...s, time: from })), ...inWindow];
  const accounts = [...new Set(samples.map((s) => s.account))].sort();
  const end = to - 1;
  const points = [...samples, ...newestPerAccount(samples).map((s) => ({ ...s, time: Math.max(end, s.time) }))];
  const times = [...new Set(points.map((s) => s.time))].sort((a, b) => a - b);
  const column = new Map(times.map((t, i) => [t, i]));
  const series = accounts.map((account) => ({
    account,
    five_hour: new Array<number | null>(times.length).fill(null),
    weekly: new Array<number | null>(times.length).fill(null),
  }));
  const row = new Map(series.map((s) => [s.account, s]));
  for (const p of points) {
    const s = row.get(p.account)!;
    const i = column.get(p.time)!;
    s.five_hour[i] = p.five_hour;
    s.weekly[i] = p.weekly;
  }
  return { times, accounts: series };
}

export function summarize(input: {
  range: UsageRange;
  bucket: UsageBucket;
  window: { from: number; to: number; buckets: number[] };
  rows: readonly UsageRow[];
  quotaInWindow: readonly QuotaSample[];
  quotaBefore: readonly QuotaSample[];
}): UsageSummary {
  const { rows, window } = input;
  const { from, to, buckets } = window;
  return {
    range: input.range,
    bucket: input.bucket,
    from,
    to,
    buckets,
    ...bucketSeries(rows, buckets, to),
    totals: totalsOf(rows),
    accounts: accountsOf(rows),
    sessions: costliestSessions(rows),
    quota: quotaSeries(input.quotaInWindow, input.quotaBefore, from, to),
  };
}
