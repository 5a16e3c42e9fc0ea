// POST /v1/messages (streaming and not) and POST /v1/messages/count_tokens. The query string
// (Claude Code always adds ?beta=true) is irrelevant: routing is on the path.
import Router from '@koa/router';
import type { Context } from 'koa';
import type { Logger } from 'pino';
import type { MessagesRequest, StreamEvent, Usage } from '../../../../shared/anthropic.js';
import { ERROR_STATUS } from '../../../../shared/anthropic.js';
import { readJsonBody } from '../body.js';
import { HttpError, requestIdOf, sendError } from '../http-error.js';
import { openSse } from '../sse.js';
import { forEachWithKeepalive } from '../keepalive.js';
import { MessageAccumulator } from '../../translate/aggregate.js';
import { toCodexRequest, validateMessagesRequest } from '../../translate/request.js';
import { countRequestTokens } from '../../tokens/count.js';
import { isFailure, type ModelRouter } from '../../proxy/model-routing.js';
import type { MessagesMeta, MessagesService } from '../../proxy/types.js';

export interface MessagesRouteDeps {
  messages: MessagesService;
  router: ModelRouter;
  log: Logger;
  /** Keepalive interval while the model thinks (Claude Code aborts after 300 s of silence). */
  pingMs: number;
}

export function lowerHeaders(ctx: Context): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(ctx.headers)) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

/** Aborts when the client goes away before the response finished (see desktop-stack §3.1). */
export function clientSignal(ctx: Context): AbortSignal {
  const controller = new AbortController();
  ctx.res.on('close', () => {
    if (!ctx.res.writableFinished) controller.abort();
  });
  return controller.signal;
}

async function parseRequest(ctx: Context): Promise<MessagesRequest> {
  return validateMessagesRequest(await readJsonBody(ctx));
}

export function messagesRouter(deps: MessagesRouteDeps): Router {
  const router = new Router();

  router.post('/v1/messages', async (ctx) => {
    const started = Date.now();
    const request = await parseRequest(ctx);
    const signal = clientSignal(ctx);
    const result = await deps.messages.send({
      request,
      headers: lowerHeaders(ctx),
      signal,
      requestId: requestIdOf(ctx),
    });
    const row = {
      id: requestIdOf(ctx),
      method: 'POST',
      path: ctx.path,
      model: request.model,
      session: ctx.get('x-claude-code-session-id') || undefined,
    };
    if (!result.ok) {
      sendError(ctx, result.failure);
      logRequest(
        deps.log,
        { ...row, ...metaFields(result.meta), status: ctx.status, latency_ms: Date.now() - started },
        result.failure.message,
      );
      return;
    }
    let usage: Partial<Usage> = {};
    let status = 200;
    const track = (ev: StreamEvent): void => {
      if (ev.type === 'message_start') usage = { ...ev.message.usage };
      else if (ev.type === 'message_delta') usage = { ...usage, ...ev.usage };
      else if (ev.type === 'error') status = ERROR_STATUS[ev.error.type];
    };

    if (request.stream) {
      const sse = openSse(ctx);
      await forEachWithKeepalive(
        result.events,
        signal,
        async (ev) => {
          track(ev);
          if (!sse.closed) await sse.send(ev.type, ev);
        },
        { everyMs: deps.pingMs, send: () => (sse.closed ? Promise.resolve() : sse.send('ping', { type: 'ping' })) },
      );
      sse.close();
    } else {
      const acc = new MessageAccumulator();
      await forEachWithKeepalive(result.events, signal, async (ev) => {
        track(ev);
        acc.push(ev);
      });
      if (acc.error) sendError(ctx, { errorType: acc.error.type, message: acc.error.message });
      else ctx.body = acc.message();
    }
    logRequest(deps.log, {
      ...row,
      ...metaFields(result.meta),
      status: signal.aborted ? 499 : status,
      latency_ms: Date.now() - started,
      input_tokens: (usage.input_tokens ?? 0) + (usage.cache_read_input_tokens ?? 0),
      output_tokens: usage.output_tokens,
    });
  });

  router.post('/v1/messages/count_tokens', async (ctx) => {
    const request = await parseRequest(ctx);
    const routed = deps.router.route(request.model);
    if (isFailure(routed)) throw new HttpError(routed.errorType, routed.message, routed.status);
    const { body } = toCodexRequest(request, {
      model: routed.slug,
      supportedEfforts: routed.facts.efforts,
      supportsParallelToolCalls: routed.facts.parallelToolCalls,
    });
    ctx.body = { input_tokens: await countRequestTokens(body) };
  });

  return router;
}

function metaFields(meta: Partial<MessagesMeta> | undefined): { upstream_model?: string; account?: string } {
  return { upstream_model: meta?.upstreamModel, account: meta?.account };
}

function logRequest(log: Logger, request: Record<string, unknown> & { status: number }, detail?: string): void {
  const level = request.status >= 500 ? 'error' : request.status >= 400 ? 'warn' : 'info';
  log[level](
    { request },
    `${String(request.method)} ${String(request.path)} ${request.status}${detail ? ` — ${detail}` : ''}`,
  );
}
