// The seam between HTTP front ends (Anthropic /v1/messages, OpenAI /v1/chat/completions) and the
// upstream lanes (Codex, optionally OpenRouter). Front ends only ever see Anthropic StreamEvents.
import type { MessagesRequest, StreamEvent } from '../../../shared/anthropic.js';
import type { UpstreamFailure } from '../upstream/failure.js';
import type { CodexEvent } from '../../../shared/codex.js';

export interface MessagesCall {
  /**
   * The client's request. The Codex lane, always the last to see a call, takes it with
   * `takeRequest` once translated: every suspended caller up the chain holds the call while the
   * model thinks, and a request is often 100 kB or more (docs/PERFORMANCE.md).
   */
  readonly request: MessagesRequest;
  /** Lower-cased request headers (session id, etc.). */
  headers: Record<string, string | undefined>;
  /** Aborted when the client goes away; the upstream request is cancelled with it. */
  signal: AbortSignal;
  requestId: string;
  /** Told what happens upstream (usage log, request inspector); the Codex lane calls it. */
  observer?: UpstreamObserver;
}

/** Watches one call's upstream side. Cheap unless it captures: it is called on every batch. */
export interface UpstreamObserver {
  /** An account was leased for an attempt (one call per attempt, failovers included). */
  attempt(account: string): void;
  /** The translated body an attempt sends, before it is sent. */
  upstreamRequest(body: string): void;
  /** The current attempt was answered with an HTTP error. */
  upstreamRefused(status: number, body: string): void;
  upstreamEvents(batch: readonly CodexEvent[]): void;
}

/** Takes the request out of the call so the call no longer keeps it alive (see `request`). */
export function takeRequest(call: MessagesCall): MessagesRequest {
  const { request } = call;
  (call as { request: MessagesRequest | undefined }).request = undefined;
  return request;
}

export interface MessagesMeta {
  upstreamModel: string;
  account?: string;
  lane?: string;
}

/**
 * `ok:true` means the upstream stream opened and its first events were healthy: the front end may
 * now commit (send 200 headers). `events` yields the whole Anthropic stream starting with
 * message_start, in batches (one per upstream read, never empty) so a front end can write each
 * batch to the socket at once; it may still end with an `error` event if upstream fails later.
 * `ok:false` means nothing was committed and the front end should answer with an HTTP error.
 */
export type MessagesResult =
  | { ok: true; events: AsyncIterable<StreamEvent[]>; meta: MessagesMeta }
  | { ok: false; failure: UpstreamFailure; meta?: Partial<MessagesMeta> };

export interface MessagesService {
  send(call: MessagesCall): Promise<MessagesResult>;
}
