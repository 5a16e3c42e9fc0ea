// Live-log list logic: level and text filtering, de-duplication across reconnects, a row cap.
import type { LogEntry, LogLevel } from '../../../shared/api.js';

export const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];

/** Rows kept in the DOM; older ones drop off the top. */
export const MAX_LOG_ROWS = 1000;

export interface LogFilter {
  /** Minimum level shown. */
  level: LogLevel;
  text: string;
}

export function levelAtLeast(level: LogLevel, minimum: LogLevel): boolean {
  return LOG_LEVELS.indexOf(level) >= LOG_LEVELS.indexOf(minimum);
}

function searchableText(entry: LogEntry): string {
  const r = entry.request;
  const fields = r ? [r.id, r.method, r.path, r.model, r.upstream_model, r.account, r.status, r.session] : [];
  return [entry.msg, ...fields].filter((f) => f !== undefined).join(' ').toLowerCase();
}

export function matchesFilter(entry: LogEntry, filter: LogFilter): boolean {
  if (!levelAtLeast(entry.level, filter.level)) return false;
  const needle = filter.text.trim().toLowerCase();
  return needle === '' || searchableText(entry).includes(needle);
}

/**
 * Whether `entry` comes after `last`. Not newer (same or lower seq and no later time) means a replay
 * of history after the stream reconnected; a restarted server starts seq again but with later
 * times, so its entries still count as new.
 */
export function isNewer(entry: LogEntry, last: LogEntry | undefined): boolean {
  return !last || entry.seq > last.seq || entry.time > last.time;
}

/** Stable identity of a row across server restarts (seq alone starts again). */
export function logKey(entry: LogEntry): string {
  return `${entry.time}:${entry.seq}`;
}

/** Append entries, keeping only the newest `cap`. */
export function appendLogs(list: readonly LogEntry[], incoming: readonly LogEntry[], cap = MAX_LOG_ROWS): LogEntry[] {
  const out = [...list, ...incoming];
  return out.length > cap ? out.slice(out.length - cap) : out;
}

const CORE_FIELDS = new Set(['seq', 'time', 'level', 'msg', 'request']);

/** Whatever else the server logged with the entry (an `err`, a reason, …), shown when a row is expanded. */
export function extraFields(entry: LogEntry): Record<string, unknown> | null {
  const extras = Object.entries(entry).filter(([key]) => !CORE_FIELDS.has(key));
  return extras.length === 0 ? null : Object.fromEntries(extras);
}

type RequestFields = NonNullable<LogEntry['request']>;

function milliseconds(ms: number | undefined): string | null {
  if (ms === undefined) return null;
  return ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${ms} ms`;
}

/** The columns of a request row in the Logs view; null where the row has no such fact. */
export function requestCells(r: RequestFields): {
  status: string;
  statusClass: 'ok' | 'client' | 'error' | 'none';
  model: string;
  account: string | null;
  tokens: string | null;
  ttfb: string | null;
  duration: string | null;
} {
  const status = r.status;
  const count = new Intl.NumberFormat('en-US');
  const tokens =
    r.input_tokens === undefined && r.output_tokens === undefined
      ? null
      : [
          `${count.format(r.input_tokens ?? 0)} in`,
          r.cached_tokens ? `${count.format(r.cached_tokens)} cached` : null,
          `${count.format(r.output_tokens ?? 0)} out`,
        ]
          .filter((part) => part !== null)
          .join(' · ');
  return {
    status: status === undefined ? '—' : String(status),
    statusClass: status === undefined ? 'none' : status < 400 ? 'ok' : status < 500 ? 'client' : 'error',
    model: [r.model, r.upstream_model].filter(Boolean).join(' → ') || r.path,
    account: r.account ?? null,
    tokens,
    ttfb: milliseconds(r.ttfb_ms),
    duration: milliseconds(r.latency_ms),
  };
}
