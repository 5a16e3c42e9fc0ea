// A fake of OpenRouter's chat completions API on a real loopback socket. It checks what the real
// service and the providers behind it insist on (Bearer key, a known model, streaming, a message
// list whose tool calls and tool results pair up, OpenAI function tools) and answers with
// OpenAI-style SSE: a `: OPENROUTER PROCESSING` comment first, `data:` chunks, `data: [DONE]`.
// Errors use OpenRouter's envelope `{"error":{"code":<status>,"message":…}}`.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { OPENROUTER_MODEL_CHOICES } from '../../shared/openrouter.js';
import type { ChatCompletionChunk, ChatCompletionRequest, ChatUsage } from '../../main/core/openai/types.js';

export interface OpenRouterRequestRecord {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: unknown;
  rejected?: { status: number; body: unknown };
}

export type SseItem = ChatCompletionChunk | { comment: string } | { raw: string };

export type OpenRouterReply =
  | {
      kind: 'sse';
      items: SseItem[];
      /** End with `data: [DONE]` (default true). */
      done?: boolean;
      /** Send N items, then hang until the client goes away. */
      stallAfter?: number;
    }
  | { kind: 'http'; status: number; body: unknown; headers?: Record<string, string> };

/** `n` counts accepted requests from 0. */
export type OpenRouterScript = (body: ChatCompletionRequest, n: number) => OpenRouterReply;

export interface FakeOpenRouterOptions {
  apiKey?: string;
  models?: readonly string[];
  script?: OpenRouterScript;
}

export interface FakeOpenRouter {
  /** Use as OPENROUTER_BASE_URL (ends in /api/v1). */
  url: string;
  apiKey: string;
  requests: OpenRouterRequestRecord[];
  setScript(script: OpenRouterScript): void;
  /** Streams still open (a stalled stream closes when the client aborts). */
  openStreams(): number;
  close(): Promise<void>;
}

// ---- chunk builders ---------------------------------------------------------------------------

let counter = 0;

export function chunk(
  delta: ChatCompletionChunk['choices'][0]['delta'],
  finish: string | null = null,
  model = 'fake/model',
): ChatCompletionChunk {
  return {
    id: `gen-fake-${++counter}`,
    object: 'chat.completion.chunk',
    created: 1_760_000_000,
    model,
    choices: [{ index: 0, delta, finish_reason: finish }],
  };
}

export function usageChunk(usage: ChatUsage): ChatCompletionChunk {
  return { ...chunk({}), choices: [], usage };
}

export const DEFAULT_USAGE: ChatUsage = {
  prompt_tokens: 42,
  completion_tokens: 7,
  total_tokens: 49,
  prompt_tokens_details: { cached_tokens: 10 },
  completion_tokens_details: { reasoning_tokens: 3 },
};

/** A streamed text answer, split in a few deltas, as OpenRouter sends it. */
export function textReply(text: string, usage: ChatUsage = DEFAULT_USAGE): OpenRouterReply {
  const pieces = text.match(/.{1,5}/gsu) ?? [''];
  return {
    kind: 'sse',
    items: [
      { comment: 'OPENROUTER PROCESSING' },
      chunk({ role: 'assistant', content: '' }),
      ...pieces.map((p) => chunk({ content: p })),
      chunk({}, 'stop'),
      usageChunk(usage),
    ],
  };
}

/** Tool calls, one after the other, arguments streamed in small pieces; optional text first. */
export function toolCallReply(
  calls: Array<{ id: string; name: string; arguments: string }>,
  text = '',
  usage: ChatUsage = DEFAULT_USAGE,
): OpenRouterReply {
  const items: SseItem[] = [{ comment: 'OPENROUTER PROCESSING' }, chunk({ role: 'assistant', content: text || null })];
  calls.forEach((call, index) => {
    items.push(
      chunk({ tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.name, arguments: '' } }] }),
    );
    for (const piece of call.arguments.match(/.{1,7}/gsu) ?? [])
      items.push(chunk({ tool_calls: [{ index, function: { arguments: piece } }] }));
  });
  items.push(chunk({}, 'tool_calls'), usageChunk(usage));
  return { kind: 'sse', items };
}

export function errorReply(status: number, message: string): OpenRouterReply {
  return { kind: 'http', status, body: { error: { code: status, message } } };
}

// ---- request validation -----------------------------------------------------------------------

const TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;
const ROLES = new Set(['system', 'developer', 'user', 'assistant', 'tool']);
const PART_TYPES = new Set(['text', 'image_url', 'file']);

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function checkParts(content: unknown, where: string, allowed: Set<string>): string | null {
  if (typeof content === 'string') return null;
  if (!Array.isArray(content)) return `${where}.content must be a string or an array of parts`;
  for (const [i, part] of content.entries()) {
    if (!isRecord(part) || !allowed.has(String(part.type))) return `${where}.content[${i}] has an unsupported type`;
    if (part.type === 'text' && typeof part.text !== 'string') return `${where}.content[${i}].text must be a string`;
    if (part.type === 'image_url' && !(isRecord(part.image_url) && typeof part.image_url.url === 'string'))
      return `${where}.content[${i}].image_url.url is required`;
  }
  return null;
}

function checkMessages(messages: unknown): string | null {
  if (!Array.isArray(messages) || messages.length === 0) return 'messages must be a non-empty array';
  let pending = new Set<string>();
  for (const [i, m] of messages.entries()) {
    const where = `messages[${i}]`;
    if (!isRecord(m) || !ROLES.has(String(m.role))) return `${where}.role is invalid`;
    if (m.role === 'tool') {
      if (typeof m.tool_call_id !== 'string' || !pending.has(m.tool_call_id))
        return `${where} answers no pending tool call (${String(m.tool_call_id)})`;
      pending.delete(m.tool_call_id);
      const err = checkParts(m.content, where, new Set(['text']));
      if (err) return err;
      continue;
    }
    if (pending.size) return `${where}: tool calls ${[...pending].join(', ')} have no tool message`;
    if (m.role === 'assistant') {
      if (m.content !== null && m.content !== undefined) {
        const err = checkParts(m.content, where, new Set(['text']));
        if (err) return err;
      }
      const calls = m.tool_calls ?? [];
      if (!Array.isArray(calls)) return `${where}.tool_calls must be an array`;
      for (const [j, c] of calls.entries()) {
        if (!isRecord(c) || typeof c.id !== 'string' || c.type !== 'function' || !isRecord(c.function))
          return `${where}.tool_calls[${j}] is malformed`;
        if (typeof c.function.name !== 'string' || !TOOL_NAME.test(c.function.name))
          return `${where}.tool_calls[${j}].function.name is invalid`;
        try {
          JSON.parse(String(c.function.arguments));
        } catch {
          return `${where}.tool_calls[${j}].function.arguments is not JSON`;
        }
      }
      if (m.content == null && calls.length === 0) return `${where} is an empty assistant message`;
      pending = new Set(calls.map((c) => (c as { id: string }).id));
    } else {
      const err = checkParts(m.content, where, m.role === 'user' ? PART_TYPES : new Set(['text']));
      if (err) return err;
    }
  }
  return pending.size ? `tool calls ${[...pending].join(', ')} have no tool message` : null;
}

function checkTools(body: Record<string, unknown>): string | null {
  if (body.tools === undefined) return body.tool_choice === undefined ? null : 'tool_choice without tools';
  if (!Array.isArray(body.tools)) return 'tools must be an array';
  for (const [i, t] of body.tools.entries()) {
    if (!isRecord(t) || t.type !== 'function' || !isRecord(t.function)) return `tools[${i}] must be a function tool`;
    if (typeof t.function.name !== 'string' || !TOOL_NAME.test(t.function.name))
      return `tools[${i}].function.name is invalid`;
    const params = t.function.parameters;
    if (params !== undefined && !(isRecord(params) && params.type === 'object'))
      return `tools[${i}].function.parameters must be an object schema`;
  }
  const choice = body.tool_choice;
  if (choice === undefined || choice === 'auto' || choice === 'none' || choice === 'required') return null;
  if (
    isRecord(choice) &&
    choice.type === 'function' &&
    isRecord(choice.function) &&
    typeof choice.function.name === 'string'
  )
    return null;
  return 'tool_choice is invalid';
}

export function validateChatRequest(body: unknown, models: readonly string[]): string | null {
  if (!isRecord(body)) return 'body must be a JSON object';
  if (typeof body.model !== 'string' || !models.includes(body.model))
    return `${String(body.model)} is not a valid model ID`;
  if (body.stream !== true) return 'this fake only streams: stream must be true';
  return checkMessages(body.messages) ?? checkTools(body);
}

// ---- server -----------------------------------------------------------------------------------

function lastUserText(body: ChatCompletionRequest): string {
  const user = [...body.messages].reverse().find((m) => m.role === 'user');
  if (!user) return '';
  return typeof user.content === 'string'
    ? user.content
    : user.content.map((p) => (p.type === 'text' ? String(p.text) : '')).join('');
}

const defaultScript: OpenRouterScript = (body) => textReply(`Echo: ${lastUserText(body)}`);

function sseText(item: SseItem): string {
  if ('comment' in item) return `: ${item.comment}\n\n`;
  if ('raw' in item) return item.raw;
  return `data: ${JSON.stringify(item)}\n\n`;
}

export async function startFakeOpenRouter(opts: FakeOpenRouterOptions = {}): Promise<FakeOpenRouter> {
  const apiKey = opts.apiKey ?? 'sk-or-v1-fake-key';
  const models = opts.models ?? OPENROUTER_MODEL_CHOICES.map((m) => m.id);
  let script = opts.script ?? defaultScript;
  let accepted = 0;
  let open = 0;
  const requests: OpenRouterRequestRecord[] = [];

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown = text || undefined;
      try {
        body = JSON.parse(text);
      } catch {
        // recorded as text
      }
      const record: OpenRouterRequestRecord = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body,
      };
      requests.push(record);
      const reject = (status: number, message: string) => {
        record.rejected = { status, body: { error: { code: status, message } } };
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(record.rejected.body));
      };
      if (req.method !== 'POST' || req.url !== '/api/v1/chat/completions')
        return reject(404, `no route ${req.method} ${req.url}`);
      if (req.headers.authorization !== `Bearer ${apiKey}`) return reject(401, 'No auth credentials found');
      const problem = validateChatRequest(body, models);
      if (problem) return reject(400, problem);

      const reply = script(body as ChatCompletionRequest, accepted++);
      if (reply.kind === 'http') {
        res
          .writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers })
          .end(typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body));
        return;
      }
      open++;
      res.on('close', () => open--);
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      const items = reply.stallAfter === undefined ? reply.items : reply.items.slice(0, reply.stallAfter);
      for (const item of items) res.write(sseText(item));
      if (reply.stallAfter !== undefined) return;
      if (reply.done !== false) res.write('data: [DONE]\n\n');
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/api/v1`,
    apiKey,
    requests,
    setScript: (s) => {
      script = s;
    },
    openStreams: () => open,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
