// One usage row ↔ one line of the usage file. A JSON array, not an object: the keys would be two
// thirds of every line, and the log is kept for a week of requests (docs/DASHBOARD.md, "Usage").
import type { UsageRow } from '../../../shared/api.js';

/** Bumped when the column order changes; lines of another version are skipped on load. */
const LINE_VERSION = 1;

type Line = [
  version: number,
  time: number,
  model: string,
  upstreamModel: string | null,
  account: string | null,
  session: string | null,
  input: number,
  cached: number,
  output: number,
  reasoning: number,
  ttfb: number | null,
  duration: number,
  status: number,
  attempts: number,
];

export function encodeRow(row: UsageRow): string {
  const line: Line = [
    LINE_VERSION,
    row.time,
    row.model,
    row.upstream_model,
    row.account,
    row.session,
    row.input_tokens,
    row.cached_tokens,
    row.output_tokens,
    row.reasoning_tokens,
    row.ttfb_ms,
    row.duration_ms,
    row.status,
    row.attempts,
  ];
  return `${JSON.stringify(line)}\n`;
}

const count = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : null);
const text = (v: unknown): string | null | undefined => (v === null ? null : typeof v === 'string' ? v : undefined);

/**
 * The fields of a line written as `[version, …fields]`, or null for a torn, foreign or malformed
 * line (a crash mid-write, a hand edit, another version). Shared by the usage files' decoders.
 */
export function versionedFields(line: string, version: number, length: number): unknown[] | null {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch {
    return null;
  }
  return Array.isArray(raw) && raw.length === length && raw[0] === version ? raw : null;
}

/** The row of one line, or null when the line is not a row of this version. */
export function decodeRow(line: string): UsageRow | null {
  const raw = versionedFields(line, LINE_VERSION, 14);
  if (!raw) return null;
  const [
    ,
    time,
    model,
    upstream,
    account,
    session,
    input,
    cached,
    output,
    reasoning,
    ttfb,
    duration,
    status,
    attempts,
  ] = raw as unknown[];
  const numbers = [time, input, cached, output, reasoning, duration, status, attempts].map(count);
  const strings = [upstream, account, session].map(text);
  if (numbers.includes(null) || strings.includes(undefined) || typeof model !== 'string') return null;
  if (ttfb !== null && count(ttfb) === null) return null;
  const [t, i, c, o, r, d, s, a] = numbers as number[];
  return {
    time: t,
    model,
    upstream_model: strings[0] as string | null,
    account: strings[1] as string | null,
    session: strings[2] as string | null,
    input_tokens: i,
    cached_tokens: c,
    output_tokens: o,
    reasoning_tokens: r,
    ttfb_ms: ttfb as number | null,
    duration_ms: d,
    status: s,
    attempts: a,
  };
}
