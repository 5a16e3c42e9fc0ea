// One log row per API request (the dashboard's request rows): what was asked, which account and
// upstream model served it, the outcome and the tokens, whichever front end it came through.
import type { Logger } from 'pino';
import { ERROR_STATUS, type StreamEvent, type Usage } from '../../../shared/anthropic.js';
import type { MessagesMeta } from '../proxy/types.js';
import type { RequestTrace } from '../usage/index.js';

export interface StreamSummary {
  usage: Partial<Usage>;
  /** 200, or the status matching an in-stream error. */
  status: number;
  /** Sees every batch too (the request inspector's capture). */
  trace?: RequestTrace;
}

export function newStreamSummary(trace?: RequestTrace): StreamSummary {
  return { usage: {}, status: 200, trace };
}

/** Notes the usage and any in-stream error in one batch of the stream a client is sent. */
export function noteBatch(summary: StreamSummary, batch: readonly StreamEvent[]): void {
  for (const ev of batch) {
    if (ev.type === 'message_start') summary.usage = { ...ev.message.usage };
    else if (ev.type === 'message_delta') summary.usage = { ...summary.usage, ...ev.usage };
    else if (ev.type === 'error') summary.status = ERROR_STATUS[ev.error.type];
  }
  summary.trace?.clientEvents(batch);
}

export interface RequestRow {
  id: string;
  method: string;
  path: string;
  model?: string;
  session?: string;
  started: number;
  /** Usage log and capture of this request; finished here with the log row. */
  trace?: RequestTrace;
}

export function logRequest(
  log: Logger,
  row: RequestRow,
  outcome: { status: number; meta?: Partial<MessagesMeta>; usage?: Partial<Usage>; detail?: string },
): void {
  const { started, trace, ...fields } = row;
  const usage = outcome.usage;
  const request = {
    ...fields,
    upstream_model: outcome.meta?.upstreamModel,
    account: outcome.meta?.account,
    status: outcome.status,
    latency_ms: Date.now() - started,
    ...(usage
      ? {
          input_tokens: (usage.input_tokens ?? 0) + (usage.cache_read_input_tokens ?? 0),
          output_tokens: usage.output_tokens,
        }
      : {}),
    ...trace?.finish(outcome),
  };
  const level = outcome.status >= 500 ? 'error' : outcome.status >= 400 ? 'warn' : 'info';
  log[level]({ request }, `${row.method} ${row.path} ${outcome.status}${outcome.detail ? ` — ${outcome.detail}` : ''}`);
}
