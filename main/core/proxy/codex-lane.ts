// The Codex lane: one Anthropic request → one upstream stream, with transparent failover across
// accounts for everything that happens before the first byte reaches the client.
//
// Longer than our 350-line guide on purpose: the failover loop and the commit wait share the
// attempt's state (the lease, the abort controller, the client signal), which must be released
// on every path; one file keeps those paths side by side.
import type { Logger } from 'pino';
import type { CodexEvent } from '../../../shared/codex.js';
import type { MessagesRequest, StreamEvent } from '../../../shared/anthropic.js';
import { isLease, type AccountPool } from '../accounts/types.js';
import { CodexClient, codexEventBatches, UpstreamStreamError } from '../upstream/codex-client.js';
import type { StreamResponse } from '../upstream/stream-post.js';
import { continuesTurn, type TurnStates } from '../upstream/turn-state.js';
import { toCodexRequest, untranslatedFields } from '../translate/request.js';
import { sessionKeyOf } from './session-key.js';
import { Payloads } from './payloads.js';
import { KNOWN_EVENT_TYPES, ResponseTranslator, type ResponseTranslatorOptions } from '../translate/stream.js';
import {
  classifyHttp,
  classifyStream,
  isKnownErrorCode,
  type ClassifiedFailure,
  type UpstreamFailure,
} from '../upstream/failure.js';
import type { CompatSentinel } from '../log/compat.js';
import type { AccountTagger } from './account-tags.js';
import { takeRequest, type MessagesCall, type MessagesResult, type UpstreamObserver } from './types.js';
import type { RoutedModel } from './model-routing.js';

/** Events that only describe the response's lifecycle; real content (or a failure) comes later. */
const LIFECYCLE = new Set(['response.created', 'response.in_progress', 'response.queued']);
const FAILURES = new Set(['error', 'response.failed']);
const TIMEOUT = Symbol('timeout');

export interface CodexLaneOptions {
  pool: AccountPool;
  client: CodexClient;
  turnStates: TurnStates;
  log: Logger;
  /** Upstream silence that ends a stream with an error (Claude Code's own watchdog is 300 s). */
  idleMs: number;
  /** How long to hold the client's headers while waiting for the first real upstream event. */
  commitWaitMs: number;
  /** Keyed tag of a ChatGPT account, for thinking signatures (account-tags.ts). */
  accountTag: AccountTagger;
  sentinel: CompatSentinel;
}

function isCommitPoint(ev: CodexEvent): boolean {
  return !LIFECYCLE.has(ev.type) && !ev.type.startsWith('codex.') && !ev.type.endsWith('metadata');
}

function raceTimeout<T>(p: Promise<T>, ms: number): Promise<T | typeof TIMEOUT> {
  if (ms <= 0) return Promise.resolve(TIMEOUT);
  let timer: NodeJS.Timeout;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<typeof TIMEOUT>((resolve) => {
      timer = setTimeout(() => resolve(TIMEOUT), ms);
    }),
  ]);
}

/**
 * What the upstream attempts need, from the request. A function of its own so the request is
 * garbage once it returns, not held by `send` while the model thinks.
 */
function prepare(
  request: MessagesRequest,
  headers: MessagesCall['headers'],
  routed: RoutedModel,
  sentinel: CompatSentinel,
): {
  sessionId: string | undefined;
  continuing: boolean;
  serviceTier: string | undefined;
  payloads: Payloads;
  translatorOptions: ResponseTranslatorOptions;
} {
  const sessionId = sessionKeyOf(request, headers);
  for (const field of untranslatedFields(request))
    sentinel.report('request_field', field, `a request field the proxy does not translate: ${field}`);
  const translated = toCodexRequest(request, {
    model: routed.slug,
    promptCacheKey: sessionId,
    laneEffort: routed.laneEffort,
    supportedEfforts: routed.facts.efforts,
    defaultEffort: routed.facts.defaultEffort,
    supportsParallelToolCalls: routed.facts.parallelToolCalls,
    serviceTiers: routed.facts.serviceTiers,
  });
  const payloads = new Payloads(translated.body, translated.reasoningOwners);
  return {
    sessionId,
    continuing: continuesTurn(request),
    serviceTier: translated.body.service_tier,
    payloads,
    translatorOptions: {
      model: routed.clientModel,
      toolNames: translated.toolNames,
      thinkingDisplay: translated.thinkingDisplay,
      inputTokensEstimate: Math.ceil(payloads.size / 4),
    },
  };
}

export class CodexLane {
  constructor(private readonly opts: CodexLaneOptions) {}

  async send(call: MessagesCall, routed: RoutedModel): Promise<MessagesResult> {
    const { pool, client, turnStates, log } = this.opts;
    const { signal, observer } = call;
    const { sessionId, continuing, serviceTier, payloads, translatorOptions } = prepare(
      takeRequest(call),
      call.headers,
      routed,
      this.opts.sentinel,
    );
    if (!continuing) turnStates.startTurn(sessionId);
    const tried = new Set<string>();
    const refreshed = new Set<string>();
    let lastFailure: UpstreamFailure | null = null;
    /** Set after an invalid_encrypted_content answer: the retry sends no replayed reasoning. */
    let withoutReasoning = false;
    const meta = { upstreamModel: routed.slug, lane: routed.lane };

    for (let attempt = 0; attempt < 10; attempt++) {
      const lease = await pool.acquire({ sessionKey: sessionId, exclude: tried });
      if (!isLease(lease)) {
        // Every account was tried: the last upstream answer explains more than "no account left".
        if (lastFailure && lease.kind === 'all-unusable' && tried.size > 0 && !lastFailure.retryAfterSeconds) {
          return { ok: false, failure: lastFailure, meta };
        }
        return {
          ok: false,
          meta,
          failure: {
            errorType: lease.kind === 'none-configured' ? 'authentication_error' : 'rate_limit_error',
            status: lease.kind === 'none-configured' ? 401 : 429,
            message: lease.message,
            retryAfterSeconds: lease.retryAfterSeconds,
          },
        };
      }
      observer?.attempt(lease.label);
      const tag = this.opts.accountTag(lease.credentials.chatgptAccountId);
      const { payload, dropped } = payloads.for(withoutReasoning ? null : tag);
      observer?.upstreamRequest(payload);
      if (dropped > 0 && !withoutReasoning)
        log.info({ account: lease.label, dropped }, 'replayed reasoning from another account left out');
      const upstream = new AbortController();
      const onClientGone = (): void => upstream.abort();
      signal.addEventListener('abort', onClientGone, { once: true });
      // Closes over the signal, not `call`: this closure lives as long as the stream.
      const release = (): void => signal.removeEventListener('abort', onClientGone);

      // Silence before the response headers counts like silence inside the stream.
      let headersLate = false;
      const headersTimer = setTimeout(() => {
        headersLate = true;
        upstream.abort();
      }, this.opts.idleMs);
      let res: StreamResponse;
      try {
        res = await client.responses({
          body: payload,
          credentials: lease.credentials,
          sessionId,
          turnState: continuing ? turnStates.get(sessionId, tag) : undefined,
          model: routed.slug,
          serviceTier,
          signal: upstream.signal,
        });
      } catch (err) {
        release();
        if (signal.aborted) return { ok: false, failure: clientGone(), meta };
        lastFailure = {
          errorType: 'api_error',
          status: 502,
          message: headersLate
            ? `The Codex backend did not answer within ${Math.round(this.opts.idleMs / 1000)} s.`
            : `Could not reach the Codex backend: ${(err as Error).message}`,
        };
        log.warn({ account: lease.label, err: (err as Error).message }, 'upstream unreachable');
        await pool.report(lease.id, {
          status: 502,
          headers: new Headers(),
          verdict: { kind: 'next', reason: lastFailure.message },
        });
        tried.add(lease.id);
        continue;
      } finally {
        clearTimeout(headersTimer);
      }

      if (!res.ok) {
        const body = await res.text().catch(() => '');
        observer?.upstreamRefused(res.status, body);
        release();
        const classified = classifyHttp(res.status, body, res.headers, Date.now());
        // Reasoning that still does not decrypt (made before tags, or by an account since
        // re-added): the request is fine without it, so try once more with none replayed.
        if (classified.failure.code === 'invalid_encrypted_content' && !withoutReasoning && payloads.hasReasoning) {
          withoutReasoning = true;
          log.warn({ account: lease.label }, 'upstream could not decrypt replayed reasoning; retrying without it');
          continue;
        }
        const decision = await pool.report(lease.id, {
          status: res.status,
          headers: res.headers,
          verdict: classified.verdict,
        });
        lastFailure = classified.failure;
        this.noteFailure(lastFailure);
        log.warn({ account: lease.label, status: res.status, decision }, 'upstream refused the request');
        if (decision === 'retry-same' && !refreshed.has(lease.id)) {
          refreshed.add(lease.id);
          continue;
        }
        if (decision === 'next' || decision === 'retry-same') {
          tried.add(lease.id);
          continue;
        }
        return { ok: false, failure: lastFailure, meta: { ...meta, account: lease.label } };
      }

      turnStates.remember(sessionId, tag, res.headers.get('x-codex-turn-state'));
      const opened = await this.openStream(
        res,
        upstream,
        signal,
        release,
        { ...translatorOptions, accountTag: tag },
        lease.label,
        observer,
      );
      if (opened.kind === 'committed') {
        await pool.report(lease.id, { status: res.status, headers: res.headers, verdict: { kind: 'ok' } });
        return { ok: true, events: opened.events, meta: { ...meta, account: lease.label } };
      }
      // The event reader already closed (or is draining) the body; no abort needed.
      release();
      if (signal.aborted) return { ok: false, failure: clientGone(), meta };
      lastFailure = opened.failed.failure;
      this.noteFailure(lastFailure);
      const decision = await pool.report(lease.id, {
        status: 200,
        headers: res.headers,
        verdict: opened.failed.verdict,
      });
      log.warn({ account: lease.label, code: lastFailure.code, decision }, 'upstream failed before the first byte');
      if (decision === 'next' || decision === 'retry-same') {
        tried.add(lease.id);
        continue;
      }
      return { ok: false, failure: lastFailure, meta: { ...meta, account: lease.label } };
    }
    return { ok: false, failure: lastFailure ?? clientGone(), meta };
  }

  /** Tells the sentinel about refusals and codes that mean the backend changed under us. */
  private noteFailure(failure: UpstreamFailure): void {
    const { code } = failure;
    if (code === 'identity_refused')
      this.opts.sentinel.report('identity_refused', String(failure.status), failure.message);
    else if (code && !isKnownErrorCode(code))
      this.opts.sentinel.report(
        'upstream_error_code',
        code,
        `the Codex backend answered an error code we do not know: ${code}`,
      );
  }

  /**
   * Reads upstream events until the first one that is real content (or a failure), so that a
   * failure inside the first events can still become an HTTP error and fail over.
   */
  private async openStream(
    res: StreamResponse,
    upstream: AbortController,
    signal: AbortSignal,
    /** Detaches the client signal; called once the committed stream is over. */
    release: () => void,
    translatorOptions: ResponseTranslatorOptions,
    account: string,
    observer: UpstreamObserver | undefined,
  ): Promise<
    { kind: 'committed'; events: AsyncIterable<StreamEvent[]> } | { kind: 'failed'; failed: ClassifiedFailure }
  > {
    const batches = codexEventBatches(res.body, this.opts.idleMs);
    const buffered: CodexEvent[] = [];
    let pending: Promise<IteratorResult<CodexEvent[]>> | null = null;
    let committed = false;
    const deadline = Date.now() + this.opts.commitWaitMs;
    while (!committed) {
      pending ??= batches.next();
      let step: IteratorResult<CodexEvent[]> | typeof TIMEOUT;
      try {
        step = await raceTimeout(pending, deadline - Date.now());
      } catch (err) {
        const code = err instanceof UpstreamStreamError ? err.code : 'stream_error';
        return { kind: 'failed', failed: classifyStream({ code, message: (err as Error).message }, Date.now()) };
      }
      if (step === TIMEOUT) break;
      pending = null;
      if (step.done) {
        const closed = {
          code: 'stream_closed',
          message: 'The Codex backend closed the stream before sending anything.',
        };
        return { kind: 'failed', failed: classifyStream(closed, Date.now()) };
      }
      observer?.upstreamEvents(step.value);
      for (const ev of step.value) {
        if (!committed && FAILURES.has(ev.type)) {
          // Closing the reader ends the upstream connection and its idle timer now, not at timeout.
          await batches.return(undefined);
          const raw = ev.type === 'response.failed' ? (ev.response?.error ?? {}) : ev;
          return { kind: 'failed', failed: classifyStream(raw, Date.now()) };
        }
        buffered.push(ev);
        if (isCommitPoint(ev)) committed = true;
      }
    }

    const translator = new ResponseTranslator({
      ...translatorOptions,
      failureOf: (raw) => classifyStream(raw, Date.now()).failure,
    });
    const log = this.opts.log;
    const sentinel = this.opts.sentinel;
    const translateBatch = (batch: readonly CodexEvent[], into: StreamEvent[]): StreamEvent[] => {
      for (const ev of batch) {
        if (!KNOWN_EVENT_TYPES.has(ev.type))
          sentinel.report('upstream_event', ev.type, `the Codex backend sent an event type we ignore: ${ev.type}`);
        for (const out of translator.push(ev)) into.push(out);
      }
      return into;
    };
    async function* events(): AsyncGenerator<StreamEvent[]> {
      try {
        yield translateBatch(buffered, translator.start());
        buffered.length = 0;
        while (!translator.done) {
          let step: IteratorResult<CodexEvent[]>;
          try {
            step = await (pending ?? batches.next());
          } catch (err) {
            if (signal.aborted) return;
            const code = err instanceof UpstreamStreamError ? err.code : 'stream_error';
            log.warn({ account, code }, 'upstream stream failed mid-response');
            yield translator.push({ type: 'error', code, message: (err as Error).message });
            break;
          }
          pending = null;
          if (step.done) {
            yield translator.end();
            break;
          }
          observer?.upstreamEvents(step.value);
          const out = translateBatch(step.value, []);
          if (out.length > 0) yield out;
        }
      } finally {
        // A finished response is left to the reader, which keeps its connection for reuse.
        if (!translator.done) upstream.abort();
        await batches.return(undefined).catch(() => undefined);
        release();
      }
    }
    return { kind: 'committed', events: events() };
  }
}

function clientGone(): UpstreamFailure {
  return { errorType: 'api_error', status: 499, message: 'The client closed the request.' };
}
