// The one logger of the process and everything that listens to it: an in-memory ring for
// GET /api/logs, live subscribers for the SSE stream, daily counters for the overview, and
// optionally a rotating file and a terminal. Every sink sees the same redacted line.
import { pino, type Logger } from 'pino';
import type { LogEntry, LogLevel } from '../../../shared/api.js';
import { DailyCounter, type DailyStats } from './daily-stats.js';
import { entryFromPinoRecord, formatEntryLine } from './entry.js';
import { redactSecrets } from './redact.js';
import { RotatingFile, type RotatingFileOptions } from './rotating-file.js';

export interface LogBusOptions {
  level?: LogLevel;
  /** Print one human-readable line per entry on stdout (the CLI). */
  stdout?: boolean;
  /** JSON-lines log file (in the data dir), rotated by size. */
  file?: string;
  fileRotation?: RotatingFileOptions;
  /** How many entries GET /api/logs can go back. */
  ringSize?: number;
}

export interface LogBus {
  /**
   * Request rows are logged as `logger.info({ request: { id, method, path, status, … } }, msg)`;
   * they are what `stats()` counts and what the dashboard expands.
   */
  logger: Logger;
  /** The last `limit` entries, oldest first. */
  recent(limit?: number): LogEntry[];
  /** Called for every entry from now on; returns the unsubscribe function. */
  subscribe(listener: (entry: LogEntry) => void): () => void;
  stats(): DailyStats;
  close(): void;
}

export const DEFAULT_RING_SIZE = 1000;

export function createLogBus(opts: LogBusOptions = {}): LogBus {
  const ringSize = Math.max(1, opts.ringSize ?? DEFAULT_RING_SIZE);
  const ring: LogEntry[] = [];
  const listeners = new Set<(entry: LogEntry) => void>();
  const counter = new DailyCounter();
  let file = opts.file ? new RotatingFile(opts.file, opts.fileRotation) : null;
  let seq = 0;
  let closed = false;

  function writeFile(line: string): void {
    if (!file) return;
    try {
      file.write(line);
    } catch (err) {
      // A full disk must not take the proxy down with it: drop the file sink, keep the rest.
      process.stderr.write(`codex-claude-proxy: log file disabled: ${(err as Error).message}\n`);
      file = null;
    }
  }

  const destination = {
    write(line: string): void {
      if (closed) return;
      // Redacting the parsed line (not pino's input) also covers child bindings and serialised
      // errors, which pino formats before any hook could see them as objects.
      const record = redactSecrets(JSON.parse(line)) as Record<string, unknown>;
      const entry = entryFromPinoRecord(record, ++seq);
      ring.push(entry);
      if (ring.length > ringSize) ring.shift();
      counter.add(entry);
      writeFile(`${JSON.stringify(record)}\n`);
      if (opts.stdout) process.stdout.write(`${formatEntryLine(entry)}\n`);
      for (const listener of listeners) {
        try {
          listener(entry);
        } catch {
          // One broken subscriber (a dead SSE client) must not starve the others.
        }
      }
    },
  };

  const logger = pino(
    {
      level: opts.level ?? 'info',
      base: null,
    },
    destination,
  );

  return {
    logger,
    recent(limit = ringSize) {
      return limit > 0 ? ring.slice(-limit) : [];
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    stats: () => counter.read(),
    close() {
      closed = true;
      listeners.clear();
      file?.close();
      file = null;
    },
  };
}
