// An OpenAI Chat Completions request → the Anthropic MessagesRequest every lane understands.
// Only structurally unusable input is rejected; fields we do not know are ignored.
import type {
  DocumentBlock,
  ImageBlock,
  MessageParam,
  MessagesRequest,
  RequestContentBlock,
  TextBlock,
  ToolResultBlock,
  ToolUseBlock,
  CustomTool,
} from '../../../shared/anthropic.js';
import { anthropicToolChoiceFromChat, imageSourceFromUrl } from './mapping.js';
import { jsonNestingExceeds, MAX_JSON_DEPTH } from '../translate/json-depth.js';
import type { ChatCompletionRequest, ChatFunctionTool, ChatMessage, ChatToolCall, ChatToolChoice } from './types.js';
import { isRecord } from '../util/guards.js';
import { ClientError } from '../util/client-error.js';

/** A 400 with the offending field, as OpenAI reports it in `param`. */
export class ChatRequestError extends ClientError {
  override readonly name = 'ChatRequestError';

  constructor(
    message: string,
    readonly param: string | null = null,
  ) {
    super('invalid_request_error', message);
  }
}

export interface ChatRequestSummary {
  request: MessagesRequest;
  stream: boolean;
  includeUsage: boolean;
}

const ROLES = new Set(['system', 'developer', 'user', 'assistant', 'tool']);

function checkShape(body: unknown): asserts body is ChatCompletionRequest {
  if (!isRecord(body)) throw new ChatRequestError('Request body must be a JSON object.');
  if (typeof body.model !== 'string' || !body.model.trim()) {
    throw new ChatRequestError(
      '`model` is required: a Claude model id (e.g. claude-sonnet-4-5) or a Codex model slug.',
      'model',
    );
  }
  if (!Array.isArray(body.messages) || body.messages.length === 0) {
    throw new ChatRequestError('`messages` is required and must be a non-empty array.', 'messages');
  }
  body.messages.forEach((m, i) => {
    if (!isRecord(m) || typeof m.role !== 'string' || !ROLES.has(m.role)) {
      throw new ChatRequestError(
        `messages[${i}] must be an object whose role is system, developer, user, assistant or tool.`,
        `messages[${i}].role`,
      );
    }
    if (m.role === 'tool' && typeof m.tool_call_id !== 'string') {
      throw new ChatRequestError(
        `messages[${i}] is a tool message without a tool_call_id.`,
        `messages[${i}].tool_call_id`,
      );
    }
  });
}

type LoosePart = Record<string, unknown>;

function partsOf(content: unknown): LoosePart[] {
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  return Array.isArray(content) ? content.filter(isRecord) : [];
}

function partText(part: LoosePart): string {
  if (part.type === 'text' && typeof part.text === 'string') return part.text;
  if (part.type === 'refusal' && typeof part.refusal === 'string') return part.refusal;
  return '';
}

function textOf(content: unknown): string {
  return partsOf(content).map(partText).filter(Boolean).join('\n');
}

function fileBlock(part: LoosePart): DocumentBlock | null {
  const file = isRecord(part.file) ? part.file : {};
  if (typeof file.file_data !== 'string') return null;
  const source = imageSourceFromUrl(file.file_data);
  if (source.type !== 'base64') return null;
  return { type: 'document', source, ...(typeof file.filename === 'string' ? { title: file.filename } : {}) };
}

/** User content: text, images (data and http URLs) and files; other part types are skipped. */
function userBlocks(content: unknown): Array<TextBlock | ImageBlock | DocumentBlock> {
  const blocks: Array<TextBlock | ImageBlock | DocumentBlock> = [];
  for (const part of partsOf(content)) {
    if (part.type === 'text' && typeof part.text === 'string') blocks.push({ type: 'text', text: part.text });
    else if (part.type === 'image_url') {
      const url = isRecord(part.image_url) ? part.image_url.url : part.image_url;
      if (typeof url === 'string') blocks.push({ type: 'image', source: imageSourceFromUrl(url) });
    } else if (part.type === 'file') {
      const doc = fileBlock(part);
      if (doc) blocks.push(doc);
    }
  }
  return blocks;
}

/**
 * `reasoning_effort` and `response_format` ride in Anthropic's `output_config`; the schema's name
 * goes along (an extension the Codex translation reads) so the upstream format keeps it.
 */
function outputConfigOf(body: ChatCompletionRequest): Pick<MessagesRequest, 'output_config'> {
  const config: NonNullable<MessagesRequest['output_config']> = {};
  if (typeof body.reasoning_effort === 'string') config.effort = body.reasoning_effort;
  const format = body.response_format;
  if (isRecord(format) && format.type === 'json_schema' && isRecord(format.json_schema)) {
    const { name, schema } = format.json_schema;
    if (isRecord(schema))
      config.format = { type: 'json_schema', schema, ...(typeof name === 'string' ? { name } : {}) };
  } else if (isRecord(format) && format.type === 'json_object') config.format = { type: 'json_object' };
  return Object.keys(config).length ? { output_config: config } : {};
}

function parseArguments(args: unknown): unknown {
  if (typeof args !== 'string' || !args.trim()) return {};
  if (jsonNestingExceeds(args, MAX_JSON_DEPTH))
    throw new ChatRequestError(`Tool call arguments are nested deeper than ${MAX_JSON_DEPTH} levels.`, 'messages');
  try {
    const parsed: unknown = JSON.parse(args);
    return isRecord(parsed) ? parsed : {};
  } catch {
    return {};
  }
}

function assistantBlocks(m: Extract<ChatMessage, { role: 'assistant' }>): Array<TextBlock | ToolUseBlock> {
  const blocks: Array<TextBlock | ToolUseBlock> = [];
  const text = textOf(m.content);
  if (text) blocks.push({ type: 'text', text });
  for (const call of (Array.isArray(m.tool_calls) ? m.tool_calls : []) as ChatToolCall[]) {
    if (!isRecord(call) || !isRecord(call.function) || typeof call.function.name !== 'string') continue;
    blocks.push({
      type: 'tool_use',
      id: String(call.id),
      name: call.function.name,
      input: parseArguments(call.function.arguments),
    });
  }
  return blocks;
}

function toolResult(m: Extract<ChatMessage, { role: 'tool' }>): ToolResultBlock {
  return { type: 'tool_result', tool_use_id: m.tool_call_id, content: textOf(m.content) };
}

function toolsOf(tools: unknown): CustomTool[] | undefined {
  if (!Array.isArray(tools)) return undefined;
  const out = tools
    .filter(
      (t): t is ChatFunctionTool =>
        isRecord(t) && t.type === 'function' && isRecord(t.function) && typeof t.function.name === 'string',
    )
    .map((t) => ({
      name: t.function.name,
      ...(typeof t.function.description === 'string' && t.function.description
        ? { description: t.function.description }
        : {}),
      input_schema: isRecord(t.function.parameters) ? t.function.parameters : { type: 'object', properties: {} },
    }));
  return out.length ? out : undefined;
}

/**
 * Leading system/developer messages become `system`; later ones stay in place as `role:"system"`
 * messages (the Codex translator turns those into developer items). Consecutive tool messages
 * become one user turn of tool_result blocks, like Anthropic clients send parallel results.
 */
function conversation(messages: ChatMessage[]): { system: TextBlock[]; messages: MessageParam[] } {
  const system: TextBlock[] = [];
  const out: MessageParam[] = [];
  let pendingResults: ToolResultBlock[] = [];
  const flushResults = () => {
    if (pendingResults.length) out.push({ role: 'user', content: pendingResults });
    pendingResults = [];
  };
  for (const m of messages) {
    if (m.role === 'tool') {
      pendingResults.push(toolResult(m));
      continue;
    }
    flushResults();
    if (m.role === 'system' || m.role === 'developer') {
      const text = textOf(m.content);
      if (!text) continue;
      if (out.length === 0) system.push({ type: 'text', text });
      else out.push({ role: 'system', content: text });
    } else if (m.role === 'user') {
      const blocks = typeof m.content === 'string' ? m.content : userBlocks(m.content);
      if (blocks.length) out.push({ role: 'user', content: blocks as RequestContentBlock[] | string });
    } else if (m.role === 'assistant') {
      const blocks = assistantBlocks(m);
      if (blocks.length) out.push({ role: 'assistant', content: blocks });
    }
  }
  flushResults();
  return { system, messages: out };
}

function numberOr(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

export function chatToMessagesRequest(body: unknown): ChatRequestSummary {
  checkShape(body);
  const { system, messages } = conversation(body.messages);
  if (messages.length === 0)
    throw new ChatRequestError('`messages` has no user or assistant content to answer.', 'messages');

  const tools = toolsOf(body.tools);
  const toolChoice = anthropicToolChoiceFromChat(
    body.tool_choice as ChatToolChoice | undefined,
    body.parallel_tool_calls as boolean | undefined,
  );
  const maxTokens = numberOr(body.max_completion_tokens) ?? numberOr(body.max_tokens);
  const stop =
    typeof body.stop === 'string'
      ? [body.stop]
      : Array.isArray(body.stop)
        ? body.stop.filter((s) => typeof s === 'string')
        : undefined;
  const stream = body.stream === true;

  const request: MessagesRequest = {
    model: body.model.trim(),
    messages,
    ...(system.length ? { system } : {}),
    ...(tools ? { tools } : {}),
    ...(tools && toolChoice ? { tool_choice: toolChoice } : {}),
    ...outputConfigOf(body),
    ...(maxTokens !== undefined ? { max_tokens: maxTokens } : {}),
    ...(numberOr(body.temperature) !== undefined ? { temperature: numberOr(body.temperature) } : {}),
    ...(numberOr(body.top_p) !== undefined ? { top_p: numberOr(body.top_p) } : {}),
    ...(stop?.length ? { stop_sequences: stop } : {}),
    stream,
  };
  return { request, stream, includeUsage: stream && body.stream_options?.include_usage === true };
}
