// Canned Anthropic streams, shaped like the MessagesService yields them, for the OpenAI front end
// tests. Every builder's output passes the Anthropic stream validator (checked in the tests).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import type { ErrorType, StopReason, StreamEvent, Usage } from '../../../shared/anthropic.js';
import { openAiRouter } from '../../../main/core/server/routes/openai.js';
import { quietErrorAnswers } from '../../support/error-answers.js';
import { messageStart } from '../../../main/core/translate/message-start.js';
import type { MessagesResult, MessagesService, MessagesCall } from '../../../main/core/proxy/types.js';

export const USAGE: Usage = { input_tokens: 30, output_tokens: 12, cache_creation_input_tokens: 0, cache_read_input_tokens: 70 };

export function start(model = 'claude-sonnet-4-5'): StreamEvent {
  return messageStart('msg_test', model, { ...USAGE, output_tokens: 1 });
}

function finish(stop: StopReason, usage: Usage = USAGE): StreamEvent[] {
  return [{ type: 'message_delta', delta: { stop_reason: stop, stop_sequence: null }, usage }, { type: 'message_stop' }];
}

export function textBlock(index: number, pieces: string[]): StreamEvent[] {
  return [
    { type: 'content_block_start', index, content_block: { type: 'text', text: '' } },
    ...pieces.map((text): StreamEvent => ({ type: 'content_block_delta', index, delta: { type: 'text_delta', text } })),
    { type: 'content_block_stop', index },
  ];
}

export function thinkingBlock(index: number, text: string): StreamEvent[] {
  return [
    { type: 'content_block_start', index, content_block: { type: 'thinking', thinking: '', signature: '' } },
    { type: 'content_block_delta', index, delta: { type: 'thinking_delta', thinking: text } },
    { type: 'content_block_delta', index, delta: { type: 'signature_delta', signature: 'sig-not-for-chat-clients' } },
    { type: 'content_block_stop', index },
  ];
}

export function toolBlock(index: number, id: string, name: string, jsonPieces: string[]): StreamEvent[] {
  return [
    { type: 'content_block_start', index, content_block: { type: 'tool_use', id, name, input: {} } },
    ...jsonPieces.map((partial_json): StreamEvent => ({ type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json } })),
    { type: 'content_block_stop', index },
  ];
}

export function textTurn(pieces: string[], stop: StopReason = 'end_turn', model?: string): StreamEvent[] {
  return [start(model), ...textBlock(0, pieces), ...finish(stop)];
}

export function toolTurn(calls: Array<{ id: string; name: string; json: string[] }>, opts: { text?: string; thinking?: string } = {}): StreamEvent[] {
  const events: StreamEvent[] = [start()];
  let index = 0;
  if (opts.thinking) events.push(...thinkingBlock(index++, opts.thinking));
  if (opts.text) events.push(...textBlock(index++, [opts.text]));
  for (const call of calls) events.push(...toolBlock(index++, call.id, call.name, call.json));
  return [...events, ...finish('tool_use')];
}

export function failingTurn(textBefore: string, type: ErrorType, message: string): StreamEvent[] {
  return [start(), ...textBlock(0, [textBefore]), { type: 'error', error: { type, message } }];
}

/** One event per batch: the smallest batches a lane may produce. */
export async function* iterate(events: StreamEvent[]): AsyncGenerator<StreamEvent[]> {
  for (const ev of events) yield [ev];
}

/** A MessagesService whose answers are scripted per call; it records every call it receives. */
export function stubService(script: (call: MessagesCall, n: number) => MessagesResult): MessagesService & { calls: MessagesCall[] } {
  const calls: MessagesCall[] = [];
  return {
    calls,
    async send(call) {
      calls.push(call);
      return script(call, calls.length - 1);
    },
  };
}

export function okResult(events: StreamEvent[]): MessagesResult {
  return { ok: true, events: iterate(events), meta: { upstreamModel: 'gpt-5.2-codex' } };
}

/** A Koa app with only the OpenAI router, on a loopback port. `before` runs ahead of the router. */
export async function serveRouter(
  messages: MessagesService,
  opts: { keepaliveMs?: number; before?: Koa.Middleware } = {},
): Promise<{ url: string; close(): Promise<void> }> {
  const app = new Koa();
  app.on('error', () => undefined);
  app.use(quietErrorAnswers());
  if (opts.before) app.use(opts.before);
  let n = 0;
  app.use(openAiRouter({ messages, newRequestId: () => `req_test_${++n}`, keepaliveMs: opts.keepaliveMs }).routes());
  const server = http.createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
