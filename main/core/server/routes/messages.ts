// POST /v1/messages (streaming and not) and POST /v1/messages/count_tokens. The query string
// (Claude Code always adds ?beta=true) is irrelevant: routing is on the path.
import { clientSignal, lowerHeaders, requestIdOf } from '../request-context.js';
import Router from '@koa/router';
import type { Context } from 'koa';
import type { Logger } from 'pino';
import type { MessagesRequest, StreamEvent } from '../../../../shared/anthropic.js';
import { readJsonBody } from '../body.js';
import { ClientError } from '../../util/client-error.js';
import { openSse } from '../sse.js';
import { forEachWithKeepalive } from '../keepalive.js';
import { MessageAccumulator } from '../../translate/aggregate.js';
import { toCodexRequest, validateMessagesRequest } from '../../translate/request.js';
import { countRequestTokens } from '../../tokens/count.js';
import { isFailure, type ModelRouter } from '../../proxy/model-routing.js';
import type { MessagesCall, MessagesService } from '../../proxy/types.js';
import { logRequest, newStreamSummary, noteBatch, type RequestRow } from '../request-log.js';
import type { RequestTracer } from '../../usage/index.js';

export interface MessagesRouteDeps {
  messages: MessagesService;
  router: ModelRouter;
  log: Logger;
  /** Keepalive interval while the model thinks (Claude Code aborts after 300 s of silence). */
  pingMs: number;
  /** The usage log and request inspector. */
  tracer?: RequestTracer;
}

async function parseRequest(ctx: Context): Promise<MessagesRequest> {
  return validateMessagesRequest(await readJsonBody(ctx));
}

const PING: StreamEvent = { type: 'ping' };

/** The batch that finishes a stream is written together with the end of the response. */
function endsStream(batch: StreamEvent[]): boolean {
  const last = batch.at(-1)?.type;
  return last === 'message_stop' || last === 'error';
}

/** The log row and the service call for a parsed request. */
function callFor(
  ctx: Context,
  request: MessagesRequest,
  tracer: RequestTracer | undefined,
): { row: RequestRow; call: MessagesCall; stream: boolean } {
  const row: RequestRow = {
    id: requestIdOf(ctx),
    method: 'POST',
    path: ctx.path,
    model: request.model,
    session: ctx.get('x-claude-code-session-id') || undefined,
    started: Date.now(),
  };
  row.trace = tracer?.begin({ ...row, model: request.model });
  const call: MessagesCall = {
    request,
    headers: lowerHeaders(ctx),
    signal: clientSignal(ctx),
    requestId: row.id,
    observer: row.trace,
  };
  return { row, call, stream: Boolean(request.stream) };
}

/**
 * Parses and sends the request upstream without a local of its own for the parsed request: the
 * lane takes it out of the call once translated, and nothing here should keep it alive for the
 * whole stream (docs/PERFORMANCE.md).
 */
async function startMessages(ctx: Context, deps: MessagesRouteDeps) {
  const { row, call, stream } = callFor(ctx, await parseRequest(ctx), deps.tracer);
  const result = await deps.messages.send(call);
  if (result.ok) row.trace?.answered();
  return { row, stream, signal: call.signal, result };
}

export function messagesRouter(deps: MessagesRouteDeps): Router {
  const router = new Router();

  router.post('/v1/messages', async (ctx) => {
    const { row, stream, signal, result } = await startMessages(ctx, deps);
    if (!result.ok) {
      const failure = ClientError.from(result.failure);
      logRequest(deps.log, row, { status: failure.status, meta: result.meta, detail: failure.message });
      throw failure;
    }
    const summary = newStreamSummary(row.trace);
    let failed: ClientError | undefined;
    if (stream) {
      const sse = openSse(ctx, { headersWithFirstWrite: true });
      const write = (batch: StreamEvent[]): Promise<void> => {
        noteBatch(summary, batch);
        if (!endsStream(batch)) return sse.sendEvents(batch);
        sse.close(batch);
        return Promise.resolve();
      };
      await forEachWithKeepalive(result.events, signal, write, {
        everyMs: deps.pingMs,
        send: () => sse.sendEvents([PING]),
      });
      sse.close();
    } else {
      const acc = new MessageAccumulator();
      await forEachWithKeepalive(result.events, signal, async (batch) => {
        noteBatch(summary, batch);
        for (const ev of batch) acc.push(ev);
      });
      // A client that left has no answer to get: the message may not even have started.
      if (signal.aborted) ctx.status = 499;
      else if (acc.error) failed = new ClientError(acc.error.type, acc.error.message);
      else ctx.body = acc.message();
    }
    logRequest(deps.log, row, {
      status: signal.aborted ? 499 : summary.status,
      meta: result.meta,
      usage: summary.usage,
    });
    if (failed) throw failed;
  });

  router.post('/v1/messages/count_tokens', async (ctx) => {
    const request = await parseRequest(ctx);
    const routed = deps.router.route(request.model);
    if (isFailure(routed)) throw ClientError.from(routed);
    const { body } = toCodexRequest(request, {
      model: routed.slug,
      supportedEfforts: routed.facts.efforts,
      supportsParallelToolCalls: routed.facts.parallelToolCalls,
    });
    ctx.body = { input_tokens: await countRequestTokens(body) };
  });

  return router;
}
