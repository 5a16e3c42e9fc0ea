// The only place that talks HTTP to the Codex backend. Built-in fetch: measured ~2x less CPU per
// event than axios here, standard AbortSignal, and a non-2xx answer does not throw
// (docs/ARCHITECTURE.md has the figures).
import os from 'node:os';
import { EventSourceParserStream } from 'eventsource-parser/stream';
import type { CodexEvent, CodexModelInfo, CodexRequest } from '../../../shared/codex.js';
import type { UpstreamCredentials } from '../accounts/types.js';

/** The Codex CLI version we present; the backend hides models newer than the client. */
export const CODEX_CLIENT_VERSION = '0.169.0';
export const ORIGINATOR = 'codex_claude_proxy';

export interface CodexClientOptions {
  backendUrl: string;
  fetch?: typeof fetch;
  appVersion: string;
}

export interface ResponsesCall {
  body: CodexRequest;
  credentials: UpstreamCredentials;
  sessionId?: string;
  turnState?: string;
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

export class CodexClient {
  private readonly fetch: typeof fetch;
  private readonly base: string;
  private readonly userAgent: string;

  constructor(private readonly opts: CodexClientOptions) {
    this.fetch = opts.fetch ?? globalThis.fetch;
    this.base = opts.backendUrl.replace(/\/+$/, '');
    this.userAgent = `${ORIGINATOR}/${opts.appVersion} (${os.type()} ${os.release()}; ${os.arch()})`;
  }

  private headers(credentials: UpstreamCredentials): Record<string, string> {
    return {
      authorization: `Bearer ${credentials.accessToken}`,
      'chatgpt-account-id': credentials.chatgptAccountId,
      originator: ORIGINATOR,
      version: CODEX_CLIENT_VERSION,
      'user-agent': this.userAgent,
    };
  }

  responses(call: ResponsesCall): Promise<Response> {
    const headers: Record<string, string> = {
      ...this.headers(call.credentials),
      accept: 'text/event-stream',
      'content-type': 'application/json',
    };
    if (call.sessionId) headers['session-id'] = call.sessionId;
    if (call.turnState) headers['x-codex-turn-state'] = call.turnState;
    return this.fetch(`${this.base}/codex/responses`, {
      method: 'POST',
      headers,
      body: JSON.stringify(call.body),
      signal: call.signal,
    });
  }

  async models(credentials: UpstreamCredentials, signal?: AbortSignal): Promise<CodexModelInfo[]> {
    const res = await this.fetch(`${this.base}/codex/models?client_version=${CODEX_CLIENT_VERSION}`, {
      headers: { ...this.headers(credentials), accept: 'application/json' },
      signal: signal ?? AbortSignal.timeout(15_000),
    });
    if (!res.ok) throw new Error(`GET /codex/models answered ${res.status}`);
    const json = (await res.json()) as { models?: CodexModelInfo[] };
    return Array.isArray(json.models) ? json.models : [];
  }
}

/**
 * Parses the SSE body into typed events. Fails with UpstreamStreamError when an event's data is
 * not JSON, when no bytes arrive for `idleMs`, or when the connection drops mid-stream.
 */
export async function* codexEvents(body: ReadableStream<Uint8Array>, idleMs: number): AsyncGenerator<CodexEvent> {
  let idle = false;
  let timer: NodeJS.Timeout | undefined;
  const bytes = body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        clearTimeout(timer);
        timer = setTimeout(onIdle, idleMs);
        controller.enqueue(chunk);
      },
    }),
  );
  // lib.dom types the decoder's writable side as BufferSource; the cast only narrows it.
  const reader = bytes
    .pipeThrough(new TextDecoderStream() as unknown as TransformStream<Uint8Array, string>)
    .pipeThrough(new EventSourceParserStream())
    .getReader();
  function onIdle(): void {
    idle = true;
    void reader.cancel();
  }
  timer = setTimeout(onIdle, idleMs);
  try {
    for (;;) {
      let step: ReadableStreamReadResult<{ data: string; event?: string }>;
      try {
        step = await reader.read();
      } catch (err) {
        if ((err as Error).name === 'AbortError') throw err;
        throw new UpstreamStreamError(
          `The Codex backend connection was lost mid-stream (${(err as Error).message}).`,
          'connection_lost',
        );
      }
      if (idle) {
        throw new UpstreamStreamError(
          `The Codex backend sent nothing for ${Math.round(idleMs / 1000)} s.`,
          'idle_timeout',
        );
      }
      if (step.done) return;
      const { data, event } = step.value;
      if (data === '[DONE]') return;
      let parsed: unknown;
      try {
        parsed = JSON.parse(data);
      } catch {
        throw new UpstreamStreamError(
          `The Codex backend sent a malformed event${event ? ` (${event})` : ''}.`,
          'malformed_event',
        );
      }
      if (parsed && typeof parsed === 'object' && typeof (parsed as { type?: unknown }).type === 'string') {
        yield parsed as CodexEvent;
      } else if (event && parsed && typeof parsed === 'object') {
        yield { ...(parsed as object), type: event } as CodexEvent;
      }
    }
  } finally {
    clearTimeout(timer);
    // Cancelling the reader cancels the whole chain down to the socket, so an early exit (client
    // gone, failover) stops the upstream stream at once.
    reader.cancel().catch(() => undefined);
  }
}
