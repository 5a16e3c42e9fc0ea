// An Anthropic MessagesRequest → the OpenAI Chat Completions request OpenRouter takes.
// Thinking is not replayed (its signatures belong to the Codex lane); the client's effort or
// budget becomes OpenRouter's `reasoning` parameter with `exclude: true`, so the model reasons
// but the reasoning text is not streamed back (Claude Code would need a signature for it).
import type {
  DocumentBlock,
  ImageBlock,
  MessageParam,
  MessagesRequest,
  ToolResultBlock,
  ToolUseBlock,
} from '../../../shared/anthropic.js';
import { buildToolNameMap, cleanSchema, type ToolNameMap } from '../translate/tools.js';
import { chatToolChoiceFromAnthropic, imageUrlFromSource } from '../openai/mapping.js';
import type {
  ChatCompletionRequest,
  ChatContentPart,
  ChatFunctionTool,
  ChatMessage,
  ChatToolCall,
} from '../openai/types.js';
import { isRecord } from '../util/guards.js';

export interface ChatTranslation {
  body: ChatCompletionRequest;
  /** Tool names OpenAI-compatible APIs reject (over 64 chars, `.`/`:`) are renamed; this reverses it. */
  toolNames: ToolNameMap;
}

/** Claude Code's first system line; it changes per conversation and would defeat prompt caching. */
const BILLING_LINE = 'x-anthropic-billing-header:';
const TOOL_ERROR_PREFIX = 'Tool call failed: ';
const MISSING_RESULT = 'No result was returned for this call.';

type Block = Record<string, unknown>;

function blocksOf(content: MessageParam['content'] | ToolResultBlock['content']): Block[] {
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  return Array.isArray(content) ? (content as unknown[]).filter(isRecord) : [];
}

function systemText(system: MessagesRequest['system']): string {
  const texts = blocksOf(system ?? [])
    .filter((b) => b.type === 'text' && typeof b.text === 'string')
    .map((b) => b.text as string);
  if (texts[0]?.startsWith(BILLING_LINE))
    texts[0] = texts[0].includes('\n') ? texts[0].slice(texts[0].indexOf('\n') + 1) : '';
  return texts.filter((t) => t.trim()).join('\n\n');
}

function validImage(source: unknown): source is ImageBlock['source'] {
  if (!isRecord(source)) return false;
  if (source.type === 'base64')
    return typeof source.media_type === 'string' && typeof source.data === 'string' && source.data !== '';
  return source.type === 'url' && typeof source.url === 'string' && source.url !== '';
}

function documentPart(doc: DocumentBlock): ChatContentPart | null {
  const { source } = doc;
  if (source.type === 'text' && typeof source.data === 'string') return { type: 'text', text: source.data };
  if (source.type === 'base64' && source.media_type === 'application/pdf' && typeof source.data === 'string') {
    return {
      type: 'file',
      file: {
        filename: typeof doc.title === 'string' ? doc.title : 'document.pdf',
        file_data: `data:application/pdf;base64,${source.data}`,
      },
    };
  }
  return null;
}

/** Content parts for user turns; tool_result blocks are handled by the caller. */
function contentPart(block: Block): ChatContentPart | null {
  switch (block.type) {
    case 'text':
      return typeof block.text === 'string' && block.text ? { type: 'text', text: block.text } : null;
    case 'image':
      return validImage(block.source)
        ? { type: 'image_url', image_url: { url: imageUrlFromSource(block.source) } }
        : null;
    case 'document':
      return isRecord(block.source) ? documentPart(block as unknown as DocumentBlock) : null;
    case 'tool_reference':
      return typeof block.tool_name === 'string' ? { type: 'text', text: `Tool loaded: ${block.tool_name}` } : null;
    default:
      return null;
  }
}

function textOfParts(parts: ChatContentPart[]): string {
  return parts
    .map((p) => (p.type === 'text' ? String(p.text) : ''))
    .filter(Boolean)
    .join('\n');
}

/** Tool messages carry text only, so images a tool returned travel in the following user turn. */
function toolResult(block: ToolResultBlock): { message: ChatMessage; images: ChatContentPart[] } {
  const parts = blocksOf(block.content)
    .map(contentPart)
    .filter((p): p is ChatContentPart => p !== null);
  const text = textOfParts(parts.filter((p) => p.type === 'text')) || (block.is_error ? 'Error' : 'No output.');
  return {
    message: {
      role: 'tool',
      tool_call_id: block.tool_use_id,
      content: block.is_error ? TOOL_ERROR_PREFIX + text : text,
    },
    images: parts.filter((p) => p.type !== 'text'),
  };
}

function userMessages(content: MessageParam['content']): ChatMessage[] {
  const tools: ChatMessage[] = [];
  const parts: ChatContentPart[] = [];
  for (const block of blocksOf(content)) {
    if (block.type === 'tool_result') {
      const { message, images } = toolResult(block as unknown as ToolResultBlock);
      tools.push(message);
      parts.push(...images);
    } else {
      const part = contentPart(block);
      if (part) parts.push(part);
    }
  }
  const onlyText = parts.every((p) => p.type === 'text');
  if (!parts.length) return tools;
  return [...tools, { role: 'user', content: onlyText ? textOfParts(parts) : parts }];
}

function assistantMessage(content: MessageParam['content'], names: ToolNameMap): ChatMessage[] {
  const blocks = blocksOf(content);
  const text = blocks
    .filter((b) => b.type === 'text' && typeof b.text === 'string')
    .map((b) => b.text as string)
    .join('');
  const calls: ChatToolCall[] = blocks
    .filter(
      (b): b is Block & ToolUseBlock => b.type === 'tool_use' && typeof b.id === 'string' && typeof b.name === 'string',
    )
    // A repeated call id could never be answered unambiguously; the first call keeps it.
    .filter((b, i, all) => all.findIndex((o) => o.id === b.id) === i)
    .map((b) => ({
      id: b.id,
      type: 'function',
      function: { name: names.toUpstream(b.name), arguments: JSON.stringify(b.input ?? {}) },
    }));
  if (!text && !calls.length) return [];
  return [{ role: 'assistant', content: text || null, ...(calls.length ? { tool_calls: calls } : {}) }];
}

/**
 * OpenAI-compatible APIs reject a tool message that answers no earlier call, and a call left
 * without an answer. Orphan results become user text; unanswered calls get a stand-in result.
 */
function pairToolCalls(messages: ChatMessage[]): ChatMessage[] {
  const out: ChatMessage[] = [];
  let pending: string[] = [];
  // Orphans wait until the pending calls are answered: nothing may separate calls from results.
  let orphans: ChatMessage[] = [];
  const settle = () => {
    for (const id of pending) out.push({ role: 'tool', tool_call_id: id, content: MISSING_RESULT });
    out.push(...orphans);
    pending = [];
    orphans = [];
  };
  for (const m of messages) {
    if (m.role !== 'tool') {
      settle();
      out.push(m);
      if (m.role === 'assistant') pending = (m.tool_calls ?? []).map((c) => c.id);
    } else if (pending.includes(m.tool_call_id)) {
      pending = pending.filter((id) => id !== m.tool_call_id);
      out.push(m);
    } else {
      orphans.push({
        role: 'user',
        content: `Result of tool call ${String(m.tool_call_id)}: ${typeof m.content === 'string' ? m.content : ''}`,
      });
    }
  }
  settle();
  return out;
}

function toolList(req: MessagesRequest): NonNullable<MessagesRequest['tools']> {
  return Array.isArray(req.tools) ? req.tools : [];
}

function toolsOf(req: MessagesRequest, names: ToolNameMap): ChatFunctionTool[] {
  return toolList(req)
    .filter(
      (t): t is Extract<typeof t, { input_schema: Record<string, unknown> }> =>
        isRecord(t) && 'input_schema' in t && typeof t.name === 'string',
    )
    .map((t) => ({
      type: 'function',
      function: {
        name: names.toUpstream(t.name),
        ...(typeof t.description === 'string' && t.description ? { description: t.description } : {}),
        parameters: cleanSchema(t.input_schema),
      },
    }));
}

const EFFORTS: Record<string, 'low' | 'medium' | 'high'> = {
  minimal: 'low',
  low: 'low',
  medium: 'medium',
  high: 'high',
  xhigh: 'high',
  max: 'high',
};

function reasoningOf(req: MessagesRequest): Pick<ChatCompletionRequest, 'reasoning'> {
  const thinking = req.thinking;
  if (thinking?.type === 'disabled') return {};
  if (thinking?.type === 'enabled' && typeof thinking.budget_tokens === 'number') {
    return { reasoning: { max_tokens: thinking.budget_tokens, exclude: true } };
  }
  const effort = EFFORTS[String(req.output_config?.effort ?? '')];
  return effort ? { reasoning: { effort, exclude: true } } : {};
}

function numeric<K extends string>(key: K, value: unknown): Partial<Record<K, number>> {
  return typeof value === 'number' && Number.isFinite(value) ? ({ [key]: value } as Record<K, number>) : {};
}

export function anthropicToChatRequest(req: MessagesRequest, model: string): ChatTranslation {
  const toolUseNames = req.messages
    .flatMap((m) => blocksOf(m.content))
    .filter((b) => b.type === 'tool_use' && typeof b.name === 'string')
    .map((b) => b.name as string);
  const toolNames = buildToolNameMap([
    ...toolList(req)
      .filter(isRecord)
      .map((t) => String(t.name)),
    ...toolUseNames,
  ]);

  const messages: ChatMessage[] = [];
  const system = systemText(req.system);
  if (system) messages.push({ role: 'system', content: system });
  for (const m of req.messages) {
    if (m.role === 'user') messages.push(...userMessages(m.content));
    else if (m.role === 'assistant') messages.push(...assistantMessage(m.content, toolNames));
    else {
      const text = textOfParts(
        blocksOf(m.content)
          .map(contentPart)
          .filter((p): p is ChatContentPart => p !== null),
      );
      if (text) messages.push({ role: 'system', content: text });
    }
  }

  const tools = toolsOf(req, toolNames);
  const body: ChatCompletionRequest = {
    model,
    messages: pairToolCalls(messages),
    ...(tools.length ? { tools, ...chatToolChoiceFromAnthropic(req.tool_choice, toolNames.toUpstream) } : {}),
    ...numeric('max_tokens', req.max_tokens),
    ...numeric('temperature', req.temperature),
    ...numeric('top_p', req.top_p),
    ...numeric('top_k', req.top_k),
    ...(Array.isArray(req.stop_sequences) && req.stop_sequences.length
      ? { stop: req.stop_sequences.filter((s) => typeof s === 'string') }
      : {}),
    ...reasoningOf(req),
    stream: true,
    stream_options: { include_usage: true },
  };
  return { body, toolNames };
}
