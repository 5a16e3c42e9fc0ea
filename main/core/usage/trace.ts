// One API request followed from the route to its end: what the usage row and the log row need
// beyond what the route sees (attempts, reasoning tokens, time to first byte), and the capture
// when the inspector asked for this request.
import type { Usage as AnthropicUsage, StreamEvent } from '../../../shared/anthropic.js';
import type { CodexEvent, CodexResponseObject } from '../../../shared/codex.js';
import type { RequestCapture, UsageRow } from '../../../shared/api.js';
import type { MessagesMeta, UpstreamObserver } from '../proxy/types.js';
import type { CaptureBuilder } from './capture.js';

export interface TraceStart {
  id: string;
  path: string;
  /** The model the client asked for. */
  model: string;
  session?: string;
  started: number;
}

export interface TraceOutcome {
  status: number;
  meta?: Partial<MessagesMeta>;
  usage?: Partial<AnthropicUsage>;
}

/** Extra fields of the request's log row (see LogEntry.request). */
export interface TraceLogFields {
  cached_tokens?: number;
  reasoning_tokens?: number;
  ttfb_ms?: number;
  attempts: number;
  captured?: true;
}

/** Where traces go when they finish: the usage log and the capture store. */
export interface TraceSink {
  record(row: UsageRow): void;
  saveCapture(capture: RequestCapture): void;
}

/** What a front end needs to follow its requests (the usage module implements it). */
export interface RequestTracer {
  begin(start: TraceStart): RequestTrace;
}

const FINAL_EVENTS = new Set(['response.completed', 'response.incomplete', 'response.failed']);

function reasoningTokensOf(ev: CodexEvent): number | undefined {
  const response = 'response' in ev ? (ev.response as CodexResponseObject | undefined) : undefined;
  const n = response?.usage?.output_tokens_details?.reasoning_tokens;
  return typeof n === 'number' && Number.isFinite(n) && n >= 0 ? n : undefined;
}

export class RequestTrace implements UpstreamObserver {
  private attempts = 0;
  private reasoning = 0;
  private firstByteAt: number | null = null;

  constructor(
    private readonly start: TraceStart,
    private readonly sink: TraceSink,
    private readonly capture: CaptureBuilder | null,
    private readonly now: () => number = Date.now,
  ) {}

  attempt(account: string): void {
    this.attempts++;
    this.capture?.attempt(account);
  }

  upstreamRequest(body: string): void {
    this.capture?.upstreamRequest(body);
  }

  upstreamRefused(status: number, body: string): void {
    this.capture?.refused(status, body);
  }

  upstreamEvents(batch: readonly CodexEvent[]): void {
    for (const ev of batch) if (FINAL_EVENTS.has(ev.type)) this.reasoning = reasoningTokensOf(ev) ?? this.reasoning;
    this.capture?.upstreamEvents(batch);
  }

  /** Events as the client is sent them. */
  clientEvents(batch: readonly StreamEvent[]): void {
    this.capture?.clientEvents(batch);
  }

  /** The answer started (the lane committed): the moment headers and first events go out. */
  answered(): void {
    this.firstByteAt ??= this.now();
  }

  /** Records the usage row (and the capture) and returns the log row's extra fields. */
  finish(outcome: TraceOutcome): TraceLogFields {
    const usage = outcome.usage ?? {};
    const cached = usage.cache_read_input_tokens ?? 0;
    const ttfb = this.firstByteAt === null ? null : this.firstByteAt - this.start.started;
    const end = this.now();
    this.sink.record({
      time: end,
      model: this.start.model,
      upstream_model: outcome.meta?.upstreamModel ?? null,
      account: outcome.meta?.account ?? null,
      session: this.start.session ?? null,
      input_tokens: (usage.input_tokens ?? 0) + cached,
      cached_tokens: cached,
      output_tokens: usage.output_tokens ?? 0,
      reasoning_tokens: this.reasoning,
      ttfb_ms: ttfb,
      duration_ms: end - this.start.started,
      status: outcome.status,
      attempts: this.attempts,
    });
    if (this.capture) this.sink.saveCapture(this.capture.finish(outcome.status));
    return {
      ...(outcome.usage ? { cached_tokens: cached, reasoning_tokens: this.reasoning } : {}),
      ...(ttfb === null ? {} : { ttfb_ms: ttfb }),
      attempts: this.attempts,
      ...(this.capture ? { captured: true as const } : {}),
    };
  }
}
