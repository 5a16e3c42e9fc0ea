// The usage log: one row per finished API request and a quota history per account, both kept in
// memory for the usage view's longest range and persisted to rotating line files, so the charts
// survive a restart. Also owns the request inspector's capture store. Aggregation is in
// aggregate.ts, the file handling in line-file.ts.
import path from 'node:path';
import type { RequestCapture, UsageBucket, UsageRange, UsageRow, UsageSummary } from '../../../shared/api.js';
import { DEFAULT_BUCKET, newestPerAccount, RANGE_MS, summarize, usageWindow } from './aggregate.js';
import { CaptureStore, type CaptureLimits } from './capture.js';
import { LineFile } from './line-file.js';
import { decodeSample, encodeSample, type QuotaSample } from './quota-line.js';
import { QuotaRecorder, type QuotaSource } from './quota-recorder.js';
import { decodeRow, encodeRow } from './row-line.js';
import { TimeBuffer } from './time-buffer.js';
import { RequestTrace, type RequestTracer, type TraceStart } from './trace.js';

export { RequestTrace, type RequestTracer, type TraceStart } from './trace.js';
export { CaptureStore, parseCaptureMode } from './capture.js';
export { isUsageBucket, isUsageRange } from './aggregate.js';

/** Rows older than the longest range (plus a day for its first, widened bucket) are let go. */
export const RETENTION_MS = RANGE_MS['7d'] + 86_400_000;
/** About 130 bytes a row: 4 files of 4 MB hold some 120 000 requests, over two weeks of heavy use. */
export const ROWS_FILE = { maxBytes: 4 * 1024 * 1024, keep: 3 };
export const QUOTA_FILE = { maxBytes: 1024 * 1024, keep: 1 };
export const MAX_ROWS_IN_MEMORY = 250_000;
const MAX_QUOTA_SAMPLES_IN_MEMORY = 100_000;

export interface UsageOptions {
  /** Directory of the usage files (created on the first write). */
  dir: string;
  warn: (message: string) => void;
  /** Quota history source (the account pool); without it no quota is recorded. */
  quota?: QuotaSource;
  /** Quiet time after a pool change before quota is sampled (default 1 s). */
  quotaDebounceMs?: number;
  rowsFile?: { maxBytes: number; keep: number };
  quotaFile?: { maxBytes: number; keep: number };
  captureLimits?: CaptureLimits;
  now?: () => number;
}

export interface UsageLog extends RequestTracer {
  readonly captures: CaptureStore;
  summary(range: UsageRange, bucket?: UsageBucket): UsageSummary;
  /** The rows behind `summary(range)`, oldest first. */
  rows(range: UsageRange, bucket?: UsageBucket): UsageRow[];
  /** Rows and samples in memory (for tests and the docs' measurements). */
  size(): { rows: number; quota: number };
  close(): void;
}

/**
 * One copy of each model, account and session name across rows: 100 000 rows name a handful of
 * models and accounts, and a Map lookup with a string it has seen reuses the string's hash.
 */
function stringPool(): (row: UsageRow) => UsageRow {
  const pool = new Map<string, string>();
  const one = <S extends string | null>(s: S): S => {
    if (s === null) return s;
    const hit = pool.get(s);
    if (hit !== undefined) return hit as S;
    // Sessions keep coming; the pool is only a saving, so it starts over rather than grow forever.
    if (pool.size >= 100_000) pool.clear();
    pool.set(s, s);
    return s;
  };
  return (row) => {
    row.model = one(row.model);
    row.upstream_model = one(row.upstream_model);
    row.account = one(row.account);
    row.session = one(row.session);
    return row;
  };
}

function load<T extends { time: number }>(
  file: LineFile,
  decode: (line: string) => T | null,
  into: TimeBuffer<T>,
): void {
  for (const line of file.readAll()) {
    const item = decode(line);
    if (item) into.add(item);
  }
}

export function createUsageLog(opts: UsageOptions): UsageLog {
  const now = opts.now ?? Date.now;
  const rows = new TimeBuffer<UsageRow>(MAX_ROWS_IN_MEMORY);
  const samples = new TimeBuffer<QuotaSample>(MAX_QUOTA_SAMPLES_IN_MEMORY);
  const rowsFile = new LineFile(path.join(opts.dir, 'requests.jsonl'), {
    ...(opts.rowsFile ?? ROWS_FILE),
    warn: opts.warn,
  });
  const quotaFile = new LineFile(path.join(opts.dir, 'quota.jsonl'), {
    ...(opts.quotaFile ?? QUOTA_FILE),
    warn: opts.warn,
  });
  const shared = stringPool();
  load(
    rowsFile,
    (line) => {
      const row = decodeRow(line);
      return row && shared(row);
    },
    rows,
  );
  load(quotaFile, decodeSample, samples);
  const captures = new CaptureStore(opts.captureLimits);

  const sink = {
    record(row: UsageRow): void {
      rows.add(shared(row));
      rows.dropBefore(now() - RETENTION_MS);
      rowsFile.append(encodeRow(row));
    },
    saveCapture: (capture: RequestCapture) => captures.save(capture),
  };

  const recorder = opts.quota
    ? new QuotaRecorder(
        opts.quota,
        (sample) => {
          samples.add(sample);
          samples.dropBefore(now() - RETENTION_MS);
          quotaFile.append(encodeSample(sample));
        },
        opts.quotaDebounceMs,
      )
    : null;
  recorder?.seed(newestPerAccount(samples.range(-Infinity, Infinity)));

  const windowOf = (range: UsageRange, bucket: UsageBucket = DEFAULT_BUCKET[range]) => ({
    bucket,
    window: usageWindow(range, bucket, now()),
  });

  return {
    captures,
    begin(start: TraceStart): RequestTrace {
      const capture = captures.claim({
        id: start.id,
        time: start.started,
        path: start.path,
        model: start.model,
        session: start.session ?? null,
      });
      return new RequestTrace(start, sink, capture, now);
    },
    summary(range, requested) {
      const { bucket, window } = windowOf(range, requested);
      return summarize({
        range,
        bucket,
        window,
        rows: rows.range(window.from, window.to),
        quotaInWindow: samples.range(window.from, window.to),
        quotaBefore: samples.range(-Infinity, window.from),
      });
    },
    rows(range, requested) {
      const { window } = windowOf(range, requested);
      return rows.range(window.from, window.to);
    },
    size: () => ({ rows: rows.length, quota: samples.length }),
    close() {
      recorder?.close();
      rowsFile.close();
      quotaFile.close();
    },
  };
}
