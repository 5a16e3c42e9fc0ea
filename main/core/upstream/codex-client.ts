// The only place that talks HTTP to the Codex backend. The streaming responses call runs on
// node:http with pooled connections (stream-post.ts); the occasional model list uses fetch.
import type { Readable } from 'node:stream';
import { createParser } from 'eventsource-parser';
import type { CodexEvent, CodexModelInfo } from '../../../shared/codex.js';
import { postForStream, type StreamResponse } from './stream-post.js';
import { identityHeaders, type UpstreamIdentity } from './identity.js';

/** What the upstream client needs to authenticate one request. */
export interface UpstreamCredentials {
  accessToken: string;
  /** The `chatgpt_account_id` claim, sent as `ChatGPT-Account-ID`. */
  chatgptAccountId: string;
}

export interface CodexClientOptions {
  backendUrl: string;
  fetch?: typeof fetch;
  /** Read on every call, so a changed setting applies to the next request. */
  identity: () => UpstreamIdentity;
}

export interface ResponsesCall {
  /** The CodexRequest, already serialized (the caller reuses the string across retries). */
  body: string;
  credentials: UpstreamCredentials;
  sessionId?: string;
  turnState?: string;
  /** For `x-codex-routing-hint`, as the CLI sends it: `model=<slug>[;tier=priority]`. */
  model?: string;
  serviceTier?: string;
  signal: AbortSignal;
}

export class UpstreamStreamError extends Error {
  constructor(
    message: string,
    readonly code: 'malformed_event' | 'idle_timeout' | 'connection_lost',
  ) {
    super(message);
  }
}

/** A non-2xx answer to one of the small JSON calls (model list, usage). */
export class UpstreamHttpError extends Error {
  constructor(
    readonly call: string,
    readonly status: number,
    readonly headers: Headers,
  ) {
    super(`${call} answered HTTP ${status}`);
  }
}

export class CodexClient {
  private readonly fetch: typeof fetch;
  private readonly base: string;
  private readonly responsesUrl: URL;

  constructor(private readonly opts: CodexClientOptions) {
    this.fetch = opts.fetch ?? globalThis.fetch;
    this.base = opts.backendUrl.replace(/\/+$/, '');
    this.responsesUrl = new URL(`${this.base}/codex/responses`);
  }

  private headers(credentials: UpstreamCredentials): Record<string, string> {
    return {
      authorization: `Bearer ${credentials.accessToken}`,
      'chatgpt-account-id': credentials.chatgptAccountId,
      ...identityHeaders(this.opts.identity()),
    };
  }

  responses(call: ResponsesCall): Promise<StreamResponse> {
    const headers: Record<string, string> = {
      ...this.headers(call.credentials),
      accept: 'text/event-stream',
      'content-type': 'application/json',
    };
    if (call.sessionId) {
      // The CLI names the conversation three ways; the backend keys cache affinity on session-id.
      headers['session-id'] = call.sessionId;
      headers['thread-id'] = call.sessionId;
      headers['x-client-request-id'] = call.sessionId;
    }
    if (call.turnState) headers['x-codex-turn-state'] = call.turnState;
    if (call.model)
      headers['x-codex-routing-hint'] = `model=${call.model}${call.serviceTier === 'priority' ? ';tier=priority' : ''}`;
    return postForStream(this.responsesUrl, headers, call.body, call.signal);
  }

  async models(credentials: UpstreamCredentials, signal?: AbortSignal): Promise<CodexModelInfo[]> {
    const headers = this.headers(credentials);
    const version = encodeURIComponent(headers.version);
    const res = await this.fetch(`${this.base}/codex/models?client_version=${version}`, {
      headers: { ...headers, accept: 'application/json' },
      signal: signal ?? AbortSignal.timeout(15_000),
    });
    if (!res.ok) {
      await res.body?.cancel();
      throw new UpstreamHttpError('GET /codex/models', res.status, res.headers);
    }
    const json = (await res.json()) as { models?: CodexModelInfo[] };
    return Array.isArray(json.models) ? json.models : [];
  }
}

/** One SSE message as a Codex event; null for a message that is not an event object. */
function toCodexEvent(data: string, event: string | undefined): CodexEvent | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch {
    throw new UpstreamStreamError(
      `The Codex backend sent a malformed event${event ? ` (${event})` : ''}.`,
      'malformed_event',
    );
  }
  if (!parsed || typeof parsed !== 'object') return null;
  if (typeof (parsed as { type?: unknown }).type === 'string') return parsed as CodexEvent;
  return event ? ({ ...parsed, type: event } as CodexEvent) : null;
}

/** The last event of a complete response: what comes after it is only the end of the body. */
const FINAL_EVENTS = new Set(['response.completed', 'response.incomplete', 'response.failed']);
/** How long the rest of a finished body may take to arrive before its connection is dropped. */
const DRAIN_MS = 2_000;

/** Reads what is left of a finished response so its connection returns to the pool. */
function drain(body: Readable): void {
  if (body.readableEnded || body.destroyed) return;
  const timer = setTimeout(() => body.destroy(), DRAIN_MS);
  timer.unref();
  body.once('close', () => clearTimeout(timer));
  body.resume();
}

/**
 * Parses the SSE body into typed events, yielded as one batch per upstream read: the batch is
 * what lets every later stage (translation, the socket write) run once per read instead of once
 * per event, which is most of the proxy's CPU on a busy stream (docs/PERFORMANCE.md).
 * Fails with UpstreamStreamError when an event's data is not JSON (after yielding the events
 * before it), when no bytes arrive for `idleMs`, or when the connection drops mid-stream.
 * Stopping early drops the connection, unless the response was already complete: then the rest
 * of the body is read in the background and the connection is reused.
 */
export async function* codexEventBatches(body: Readable, idleMs: number): AsyncGenerator<CodexEvent[]> {
  const chunks = body.iterator({ destroyOnReturn: false });
  const decoder = new TextDecoder();
  let batch: CodexEvent[] = [];
  let failure: UpstreamStreamError | null = null;
  let sawDone = false;
  let complete = false;
  const parser = createParser({
    onEvent({ data, event }) {
      if (failure || sawDone) return;
      if (data === '[DONE]') {
        sawDone = true;
        return;
      }
      try {
        const ev = toCodexEvent(data, event);
        if (!ev) return;
        if (FINAL_EVENTS.has(ev.type)) complete = true;
        batch.push(ev);
      } catch (err) {
        failure = err as UpstreamStreamError;
      }
    },
  });
  let idle = false;
  const timer = setTimeout(() => {
    idle = true;
    body.destroy();
  }, idleMs);
  let ended = false;
  try {
    while (!failure && !sawDone) {
      let step: IteratorResult<Buffer>;
      try {
        step = await chunks.next();
      } catch (err) {
        if (idle) break;
        if ((err as Error).name === 'AbortError') throw err;
        throw new UpstreamStreamError(
          `The Codex backend connection was lost mid-stream (${(err as Error).message}).`,
          'connection_lost',
        );
      }
      if (idle) break;
      // An event cut off by the end of the body is dropped, as EventSource does.
      if (step.done) {
        ended = true;
        return;
      }
      timer.refresh();
      parser.feed(decoder.decode(step.value, { stream: true }));
      if (batch.length > 0) {
        const ready = batch;
        batch = [];
        yield ready;
      }
    }
    if (idle) {
      throw new UpstreamStreamError(
        `The Codex backend sent nothing for ${Math.round(idleMs / 1000)} s.`,
        'idle_timeout',
      );
    }
    if (failure) throw failure;
  } finally {
    clearTimeout(timer);
    await chunks.return?.();
    if (!ended) {
      if (complete && !failure) drain(body);
      else body.destroy();
    }
  }
}
