// Turning a pino JSON line into the dashboard's LogEntry, and a LogEntry into one terminal line.
import type { LogEntry, LogLevel } from '../../../shared/api.js';

/** pino's numeric levels folded onto the four the dashboard knows (trace → debug, fatal → error). */
export function levelFromNumber(level: number): LogLevel {
  if (level >= 50) return 'error';
  if (level >= 40) return 'warn';
  if (level >= 30) return 'info';
  return 'debug';
}

/** Builds an entry from one parsed (and already redacted) pino line; `seq` is the bus's running number. */
export function entryFromPinoRecord(record: Record<string, unknown>, seq: number): LogEntry {
  const { level, time, msg, ...rest } = record;
  return {
    ...rest,
    seq,
    time: typeof time === 'number' ? time : Date.now(),
    level: levelFromNumber(typeof level === 'number' ? level : 30),
    msg: typeof msg === 'string' ? msg : '',
  };
}

export function isErrorEntry(entry: LogEntry): boolean {
  return entry.level === 'error' || (entry.request?.status ?? 0) >= 400;
}

function clock(time: number): string {
  const d = new Date(time);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

function requestSummary(r: NonNullable<LogEntry['request']>): string {
  const parts = [r.method, r.path];
  if (r.status !== undefined) parts.push(String(r.status));
  if (r.latency_ms !== undefined) parts.push(`${r.latency_ms}ms`);
  if (r.model) parts.push(r.upstream_model ? `${r.model}→${r.upstream_model}` : r.model);
  if (r.account) parts.push(`account=${r.account}`);
  if (r.input_tokens !== undefined || r.output_tokens !== undefined) {
    parts.push(`tokens=${r.input_tokens ?? '?'}/${r.output_tokens ?? '?'}`);
  }
  return parts.join(' ');
}

/** One human-readable line (no trailing newline) for the CLI's terminal. */
export function formatEntryLine(entry: LogEntry): string {
  const { seq: _seq, time, level, msg, request, err, ...extra } = entry;
  const parts = [clock(time), level.toUpperCase().padEnd(5), msg];
  if (request) parts.push(`[${requestSummary(request)}]`);
  if (err && typeof err === 'object' && 'message' in err) parts.push(`error=${String(err.message)}`);
  if (Object.keys(extra).length > 0) parts.push(JSON.stringify(extra));
  // Multi-line messages would break "one line per entry" for anyone grepping the output.
  return parts.filter((p) => p !== '').join(' ').replace(/\r?\n/g, '\\n');
}
