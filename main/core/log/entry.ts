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

// Everything but printable text: C0 and C1 controls (ESC starts a terminal command, CR rewrites
// the line, CSI is 0x9b), the bidi marks, overrides and isolates that reorder what a reader sees
// (U+200E-F, U+202A-E, U+2066-9), and the Unicode line breaks (U+2028-9).
const UNSAFE = /[^\x20-\x7e\xa0-\u200d\u2010-\u2027\u202f-\u2065\u206a-\uffff]/g;

/** Text from clients (model names, paths, messages) shown as text, never acted on by the terminal. */
function escapeControls(text: string): string {
  return text.replace(UNSAFE, (c) => (c === '\n' ? '\\n' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
}

/** One human-readable line (no trailing newline) for the CLI's terminal. */
export function formatEntryLine(entry: LogEntry): string {
  const { seq: _seq, time, level, msg, request, err, ...extra } = entry;
  const parts = [clock(time), level.toUpperCase().padEnd(5), msg];
  if (request) parts.push(`[${requestSummary(request)}]`);
  if (err && typeof err === 'object' && 'message' in err) parts.push(`error=${String(err.message)}`);
  if (Object.keys(extra).length > 0) parts.push(JSON.stringify(extra));
  // One line per entry for anyone grepping the output, and no escape sequence from a client.
  return escapeControls(parts.filter((p) => p !== '').join(' '));
}
