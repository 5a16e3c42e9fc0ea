// POST /v1/chat/completions: OpenAI Chat Completions in front of the same MessagesService that
// serves /v1/messages. Requests are translated to Anthropic, the Anthropic stream back to chunks.
// A stream that fails after it started ends with `data: {"error":{…}}` and no `[DONE]`: that is
// what api.openai.com does, and the official SDK throws an APIError when it reads it.
// Silence is filled with `: keepalive` SSE comments, which SSE parsers (the SDK's too) skip.
import Router from '@koa/router';
import type { Context } from 'koa';
import type { ServerResponse } from 'node:http';
import { randomId } from '../../translate/ids.js';
import type { StreamEvent } from '../../../../shared/anthropic.js';
import { readJsonBody } from '../body.js';
import { ClientError } from '../../util/client-error.js';
import { forEachWithKeepalive } from '../keepalive.js';
import { SSE_HEADERS } from '../sse.js';
import { clientSignal, lowerHeaders, tellUnexpected } from '../request-context.js';
import type { MessagesService } from '../../proxy/types.js';
import type { ChatCompletion } from '../../openai/types.js';
import { chatToMessagesRequest } from '../../openai/chat-to-anthropic.js';
import { ChatChunkTranslator, ChatCompletionAccumulator, type ChatStreamOptions } from '../../openai/events-to-chat.js';
import { chatErrorBody } from '../../openai/errors.js';
import { logRequest, newStreamSummary, noteBatch, type RequestRow, type StreamSummary } from '../request-log.js';
import type { Logger } from 'pino';
import type { RequestTracer } from '../../usage/index.js';

export const CHAT_BODY_LIMIT = 10 * 1024 * 1024;
const DEFAULT_KEEPALIVE_MS = 15_000;

export interface OpenAiRouteDeps {
  messages: MessagesService;
  newRequestId: () => string;
  /** SSE comment interval while upstream is silent (a model may think for minutes). */
  keepaliveMs?: number;
  /** Request rows for the dashboard's live log. */
  log?: Logger;
  /** The usage log and request inspector. */
  tracer?: RequestTracer;
}

/** Body-parser middleware may already have parsed the JSON; otherwise read it ourselves. */
async function readBody(ctx: Context): Promise<unknown> {
  const preset = (ctx.request as { body?: unknown }).body;
  return preset !== undefined ? preset : readJsonBody(ctx, CHAT_BODY_LIMIT);
}

/** Resolves once the socket took the text (or is gone): the client's pace drives the upstream read. */
function write(res: ServerResponse, text: string): Promise<void> {
  if (res.destroyed || res.writableEnded || res.write(text)) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

const dataLine = (payload: unknown) => `data: ${JSON.stringify(payload)}\n\n`;

async function streamChunks(
  ctx: Context,
  events: AsyncIterable<StreamEvent[]>,
  summary: StreamSummary,
  opts: ChatStreamOptions,
  signal: AbortSignal,
  keepaliveMs: number,
): Promise<void> {
  // Written straight to the socket like server/sse.ts does, but OpenAI's stream is data-only
  // (no `event:` lines), which that writer does not offer.
  ctx.status = 200;
  ctx.respond = false;
  const res = ctx.res;
  res.writeHead(200, { ...SSE_HEADERS });
  ctx.req.socket.setNoDelay(true);
  const translator = new ChatChunkTranslator(opts);
  const fail = (message: string) => write(res, dataLine(chatErrorBody('api_error', message)));
  try {
    await forEachWithKeepalive(
      events,
      signal,
      (batch) => {
        noteBatch(summary, batch);
        let text = '';
        for (const ev of batch)
          for (const part of translator.push(ev)) text += dataLine(part.kind === 'chunk' ? part.chunk : part.body);
        return text ? write(res, text) : Promise.resolve();
      },
      { everyMs: keepaliveMs, send: () => write(res, ': keepalive\n\n') },
    );
    if (translator.state === 'open' && !signal.aborted)
      await fail('The upstream stream ended before the response was complete.');
  } catch (err) {
    if (translator.state === 'open' && !signal.aborted)
      await fail(`The upstream stream failed: ${(err as Error).message}`);
  }
  if (translator.state === 'done') await write(res, 'data: [DONE]\n\n');
  res.end();
}

async function completeOnce(
  events: AsyncIterable<StreamEvent[]>,
  summary: StreamSummary,
  opts: ChatStreamOptions,
  signal: AbortSignal,
): Promise<ChatCompletion | ClientError> {
  const translator = new ChatChunkTranslator({ ...opts, includeUsage: true });
  const acc = new ChatCompletionAccumulator();
  let error: ClientError | undefined;
  await forEachWithKeepalive(events, signal, async (batch) => {
    noteBatch(summary, batch);
    for (const ev of batch) {
      // The translator stops at the first error event, and so does the answer.
      if (ev.type === 'error' && translator.state === 'open') error = new ClientError(ev.error.type, ev.error.message);
      for (const part of translator.push(ev)) if (part.kind === 'chunk') acc.push(part.chunk);
    }
  });
  if (error) return error;
  if (translator.state === 'open')
    return new ClientError('api_error', 'The upstream stream ended before the response was complete.');
  return acc.completion();
}

export function openAiRouter(deps: OpenAiRouteDeps): Router {
  const router = new Router();

  router.post('/v1/chat/completions', async (ctx) => {
    const requestId = deps.newRequestId();
    ctx.set('x-request-id', requestId);
    // Still an OpenAI-shaped answer (app.ts), and never a stack trace.
    tellUnexpected(ctx, (err) => `Internal error in the proxy: ${err.message}`);
    const parsed = chatToMessagesRequest(await readBody(ctx));

    const row: RequestRow = {
      id: requestId,
      method: 'POST',
      path: ctx.path,
      model: parsed.request.model,
      started: Date.now(),
    };
    row.trace = deps.tracer?.begin({ ...row, model: parsed.request.model });
    const signal = clientSignal(ctx);
    const headers = lowerHeaders(ctx);
    const result = await deps.messages.send({ request: parsed.request, headers, signal, requestId, observer: row.trace });
    if (!result.ok) {
      const failure = ClientError.from(result.failure);
      if (deps.log) logRequest(deps.log, row, { status: failure.status, meta: result.meta, detail: failure.message });
      throw failure;
    }
    row.trace?.answered();
    const summary = newStreamSummary(row.trace);

    const opts: ChatStreamOptions = {
      id: randomId('chatcmpl-'),
      model: parsed.request.model,
      created: Math.floor(Date.now() / 1000),
      includeUsage: parsed.includeUsage,
    };
    let failed: ClientError | undefined;
    if (parsed.stream) {
      await streamChunks(ctx, result.events, summary, opts, signal, deps.keepaliveMs ?? DEFAULT_KEEPALIVE_MS);
    } else {
      const answer = await completeOnce(result.events, summary, opts, signal);
      if (answer instanceof ClientError) failed = answer;
      else ctx.body = answer;
    }
    if (deps.log)
      logRequest(deps.log, row, {
        status: signal.aborted ? 499 : summary.status,
        meta: result.meta,
        usage: summary.usage,
      });
    if (failed) throw failed;
  });

  return router;
}
