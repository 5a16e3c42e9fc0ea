// The optional OpenRouter lane: an Anthropic call sent to OpenRouter's chat completions API and
// its SSE answer translated back. Anything that goes wrong before the first content (no key,
// HTTP error, an error chunk first) is `ok:false`, so the caller can fall back to the Codex lane;
// after that, failures end the stream with an Anthropic `error` event.
import { randomId } from '../translate/ids.js';
import { EventSourceParserStream } from 'eventsource-parser/stream';
import type { EventSourceMessage } from 'eventsource-parser';
import type { StreamEvent } from '../../../shared/anthropic.js';
import type { MessagesCall, MessagesMeta, MessagesResult } from '../proxy/types.js';
import type { UpstreamFailure } from '../upstream/failure.js';
import type { ChatCompletionChunk } from '../openai/types.js';
import { anthropicToChatRequest } from './anthropic-to-chat.js';
import { ChatToEventsTranslator } from './chat-to-events.js';
import { failureFromHttp, openRouterFailure } from './errors.js';

export interface LaneLog {
  warn(fields: object, msg: string): void;
}

export interface OpenRouterLaneOptions {
  /** OPENROUTER_BASE_URL; https://openrouter.ai/api/v1 by default (see shared/openrouter.ts). */
  baseUrl: string;
  /** Read per request, so a key added or removed in the keychain applies at once. */
  apiKey: () => Promise<string | null>;
  /** OpenRouter model slug, e.g. `minimax/minimax-m2.5`. */
  model: string;
  fetch?: typeof fetch;
  log?: LaneLog;
  /** Optional app attribution headers OpenRouter shows on its dashboard. */
  referer?: string;
  title?: string;
}

export interface OpenRouterLane {
  send(call: MessagesCall): Promise<MessagesResult>;
}

type Reader = ReadableStreamDefaultReader<EventSourceMessage>;

/** One SSE message through the translator; `[DONE]` ends it, unparsable data is skipped. */
function translate(translator: ChatToEventsTranslator, message: EventSourceMessage): StreamEvent[] {
  if (message.data.trim() === '[DONE]') return translator.end(true);
  let chunk: ChatCompletionChunk;
  try {
    chunk = JSON.parse(message.data) as ChatCompletionChunk;
  } catch {
    return [];
  }
  return typeof chunk === 'object' && chunk !== null ? translator.push(chunk) : [];
}

async function readStep(reader: Reader, translator: ChatToEventsTranslator): Promise<StreamEvent[]> {
  const next = await reader.read();
  return next.done ? translator.end(false) : translate(translator, next.value);
}

/** Pulls upstream only when the consumer asks for more, so a slow client slows the read. */
async function* rest(
  reader: Reader,
  translator: ChatToEventsTranslator,
  primed: StreamEvent[],
  signal: AbortSignal,
): AsyncGenerator<StreamEvent[]> {
  try {
    yield primed;
    while (!translator.done) {
      let events: StreamEvent[];
      try {
        events = await readStep(reader, translator);
      } catch (err) {
        if (signal.aborted) return;
        events = translator.fail(
          openRouterFailure('api_error', `the connection failed mid-stream (${(err as Error).message})`),
        );
      }
      if (events.length > 0) yield events;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}

export function createOpenRouterLane(opts: OpenRouterLaneOptions): OpenRouterLane {
  const doFetch = opts.fetch ?? fetch;
  const url = `${opts.baseUrl.replace(/\/+$/, '')}/chat/completions`;
  const meta: MessagesMeta = { upstreamModel: opts.model, lane: 'openrouter' };

  const failed = (failure: UpstreamFailure, call: MessagesCall): MessagesResult => {
    if (!call.signal.aborted) {
      opts.log?.warn(
        { requestId: call.requestId, model: opts.model, errorType: failure.errorType, status: failure.status },
        failure.message,
      );
    }
    return { ok: false, failure, meta };
  };

  return {
    async send(call) {
      const key = await opts.apiKey().catch(() => null);
      if (!key)
        return failed(
          openRouterFailure(
            'authentication_error',
            'no API key is stored; add one in the dashboard or with the CLI to use the OpenRouter lane',
          ),
          call,
        );

      const { body, toolNames } = anthropicToChatRequest(call.request, opts.model);
      let response: Response;
      try {
        response = await doFetch(url, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${key}`,
            'content-type': 'application/json',
            accept: 'text/event-stream',
            ...(opts.referer ? { 'HTTP-Referer': opts.referer } : {}),
            ...(opts.title ? { 'X-Title': opts.title } : {}),
          },
          body: JSON.stringify(body),
          signal: call.signal,
        });
      } catch (err) {
        const reason = call.signal.aborted
          ? 'the client closed the request'
          : `could not connect to ${url} (${(err as Error).message})`;
        return failed(openRouterFailure('api_error', reason, { status: 502 }), call);
      }
      if (!response.ok || !response.body) {
        const text = await response.text().catch(() => '');
        return failed(failureFromHttp(response.status, text, response.headers), call);
      }

      const reader = response.body
        .pipeThrough(new TextDecoderStream())
        .pipeThrough(new EventSourceParserStream())
        .getReader();
      const translator = new ChatToEventsTranslator({
        model: call.request.model,
        messageId: randomId('msg_'),
        toolNames,
      });
      const primed = translator.start();
      // Read until content arrives, so that a failure reported first still allows the fallback.
      try {
        while (!translator.done && !translator.emittedContent) primed.push(...(await readStep(reader, translator)));
      } catch (err) {
        await reader.cancel().catch(() => undefined);
        const reason = call.signal.aborted
          ? 'the client closed the request'
          : `the connection failed (${(err as Error).message})`;
        return failed(openRouterFailure('api_error', reason, { status: 502 }), call);
      }
      if (translator.failure && !translator.emittedContent) {
        await reader.cancel().catch(() => undefined);
        return failed(translator.failure, call);
      }
      return { ok: true, events: rest(reader, translator, primed, call.signal), meta };
    },
  };
}
