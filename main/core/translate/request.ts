// Anthropic Messages request → Codex Responses request. Pure: no I/O, no clock, no randomness,
// so the same conversation always produces the same upstream prefix (prompt caching).
//
// Longer than our 350-line guide on purpose: every block type of every role is one switch of
// one pass over the conversation, and reads best next to the others.
import type {
  DocumentBlock,
  ImageBlock,
  MessageParam,
  MessagesRequest,
  TextBlock,
  ThinkingBlock,
  ToolResultBlock,
  ToolUseBlock,
  WebSearchToolResultBlock,
} from '../../../shared/anthropic.js';
import type { CodexRequest, InputContentPart, InputItem, ReasoningEffort } from '../../../shared/codex.js';
import { pickEffort } from './effort.js';
import { isRecord, nonEmptyString, recordsIn } from '../util/guards.js';
import { toUpstreamCallId } from './ids.js';
import { pairToolCalls } from './pairing.js';
import { RequestError } from './request-error.js';
import { decodeSignature } from './signature.js';
import { textFormatOf } from './output-format.js';
import { buildToolNameMap, translateToolChoice, translateTools, type ToolNameMap } from './tools.js';

export interface RequestTranslationOptions {
  /** Resolved Codex slug. */
  model: string;
  /** Session id; also sent as the session-id header by the caller. */
  promptCacheKey?: string;
  /** A lane's fixed effort overrides the client's. */
  laneEffort?: ReasoningEffort;
  supportedEfforts?: readonly string[];
  defaultEffort?: string;
  supportsParallelToolCalls?: boolean;
  /** The model's `service_tiers` ids; `speed: "fast"` asks for `priority` only where it is listed. */
  serviceTiers?: readonly string[];
}

export interface TranslatedRequest {
  body: CodexRequest;
  /** The account tag each replayed reasoning item belongs to (signature.ts). */
  reasoningOwners: ReadonlyMap<InputItem, string>;
  toolNames: ToolNameMap;
  thinkingDisplay: 'summarized' | 'omitted' | 'none';
}

/** The backend requires the field but accepts it empty (docs/FACTS.md, "Empty instructions are accepted"). */
const DEFAULT_INSTRUCTIONS = '';
/** Claude Code's first system line; its suffix changes per conversation and would defeat prompt caching. */
const BILLING_HEADER_PREFIX = 'x-anthropic-billing-header:';
const TOOL_ERROR_PREFIX = 'Tool call failed:';

type Block = Record<string, unknown>;
type UserPart = Extract<InputContentPart, { type: 'input_text' | 'input_image' | 'input_file' }>;
type ToolOutputPart = Extract<InputContentPart, { type: 'input_text' | 'input_image' }>;
type FunctionCallOutput = Extract<InputItem, { type: 'function_call_output' }>;

function blocksOf(content: unknown): Block[] {
  return typeof content === 'string' ? [{ type: 'text', text: content }] : recordsIn(content);
}

function inputText(text: string): ToolOutputPart {
  return { type: 'input_text', text };
}

// ---- instructions ----

function buildInstructions(system: MessagesRequest['system']): string {
  const texts =
    typeof system === 'string'
      ? [system]
      : Array.isArray(system)
        ? system
            .filter((b): b is TextBlock => isRecord(b) && b.type === 'text' && typeof b.text === 'string')
            .map((b) => b.text)
        : [];
  if (texts[0]?.startsWith(BILLING_HEADER_PREFIX)) {
    const newline = texts[0].indexOf('\n');
    texts[0] = newline === -1 ? '' : texts[0].slice(newline + 1);
  }
  const joined = texts.filter((t) => t.trim() !== '').join('\n\n');
  return joined === '' ? DEFAULT_INSTRUCTIONS : joined;
}

// ---- user content: text, images, documents ----

function imagePart(block: Block): ToolOutputPart | undefined {
  const source = (block as unknown as ImageBlock).source;
  if (!isRecord(source)) return undefined;
  if (source.type === 'base64' && nonEmptyString(source.media_type) && nonEmptyString(source.data)) {
    return { type: 'input_image', image_url: `data:${source.media_type};base64,${source.data}` };
  }
  if (source.type === 'url' && nonEmptyString(source.url)) return { type: 'input_image', image_url: source.url };
  return undefined;
}

function titled(title: unknown, text: string): string {
  return nonEmptyString(title) ? `${title}\n\n${text}` : text;
}

function pdfFilename(title: unknown): string {
  if (!nonEmptyString(title)) return 'document.pdf';
  return title.toLowerCase().endsWith('.pdf') ? title : `${title}.pdf`;
}

/**
 * PDFs go as files, text documents as text. A document only reachable by URL cannot be fetched
 * here, so the model is at least told where it is.
 */
function documentParts(block: Block): UserPart[] {
  const { source, title } = block as unknown as DocumentBlock;
  if (!isRecord(source)) return [];
  switch (source.type) {
    case 'base64':
      if (!nonEmptyString(source.data) || !nonEmptyString(source.media_type)) return [];
      if (source.media_type === 'application/pdf') {
        return [
          { type: 'input_file', filename: pdfFilename(title), file_data: `data:application/pdf;base64,${source.data}` },
        ];
      }
      if (source.media_type.startsWith('text/'))
        return [inputText(titled(title, Buffer.from(source.data, 'base64').toString('utf8')))];
      return [];
    case 'text':
      return nonEmptyString(source.data) ? [inputText(titled(title, source.data))] : [];
    case 'content':
      return blocksOf(source.content).flatMap(contentPart);
    case 'url':
      return nonEmptyString(source.url) ? [inputText(titled(title, `Document: ${source.url}`))] : [];
    default:
      return [];
  }
}

function textPart(block: Block): ToolOutputPart[] {
  return nonEmptyString(block.text) ? [inputText(block.text)] : [];
}

function toolReferenceText(block: Block): ToolOutputPart[] {
  return nonEmptyString(block.tool_name) ? [inputText(`Tool loaded: ${block.tool_name}`)] : [];
}

/** A user-side content block as message parts; blocks with no Codex equivalent yield nothing. */
function contentPart(block: Block): UserPart[] {
  switch (block.type) {
    case 'text':
      return textPart(block);
    case 'image': {
      const part = imagePart(block);
      return part ? [part] : [];
    }
    case 'document':
      return documentParts(block);
    case 'tool_reference':
      return toolReferenceText(block);
    default:
      return [];
  }
}

// ---- tool results ----

/** Tool outputs carry only text and images; a file there is described instead. */
function toolOutputParts(block: Block): ToolOutputPart[] {
  return contentPart(block).map((part) =>
    part.type === 'input_file'
      ? inputText(`[${part.filename} omitted: files cannot be returned as tool output]`)
      : part,
  );
}

function toolResultOutput(block: ToolResultBlock): FunctionCallOutput['output'] {
  const content = block.content;
  const parts = typeof content === 'string' ? [inputText(content)] : blocksOf(content).flatMap(toolOutputParts);
  if (block.is_error === true) markFailed(parts);
  const texts = parts.flatMap((p) => (p.type === 'input_text' ? [p.text] : []));
  return texts.length === parts.length ? texts.join('\n') : parts;
}

/** Tells the model the call failed, in the first text part so string and block results read alike. */
function markFailed(parts: ToolOutputPart[]): void {
  const first = parts[0];
  if (first?.type === 'input_text')
    parts[0] = inputText(first.text === '' ? TOOL_ERROR_PREFIX : `${TOOL_ERROR_PREFIX}\n${first.text}`);
  else parts.unshift(inputText(TOOL_ERROR_PREFIX));
}

// ---- assistant content ----

/** Codex wants a JSON object string; Claude Code marks input it could not parse as __unparsedToolInput. */
function toolArguments(input: unknown): string {
  if (isRecord(input) && isRecord(input.__unparsedToolInput)) return jsonObjectOr(input.__unparsedToolInput.raw, '{}');
  if (isRecord(input)) return JSON.stringify(input);
  return jsonObjectOr(input, '{}');
}

function jsonObjectOr(raw: unknown, fallback: string): string {
  if (typeof raw !== 'string') return fallback;
  try {
    return isRecord(JSON.parse(raw)) ? raw : fallback;
  } catch {
    return fallback;
  }
}

/**
 * Web search history is replayed as plain assistant text: Codex web_search_call items cannot
 * carry Anthropic's results, and a malformed one fails the whole request.
 */
function webSearchResultText(block: WebSearchToolResultBlock, query: string | undefined): string {
  const subject = query === undefined ? 'Web search' : `Web search for "${query}"`;
  if (!Array.isArray(block.content)) {
    const code =
      isRecord(block.content) && nonEmptyString(block.content.error_code) ? block.content.error_code : 'unknown error';
    return `${subject} failed: ${code}`;
  }
  const lines = block.content
    .filter((r) => isRecord(r) && nonEmptyString(r.url))
    .map((r) => (nonEmptyString(r.title) ? `- ${r.title} (${r.url})` : `- ${r.url}`));
  return lines.length === 0 ? `${subject} found no results.` : `${subject} results:\n${lines.join('\n')}`;
}

// ---- messages → items ----

/** A block becomes parts of the current message, a standalone item, or nothing. */
type BlockResult = { parts: InputContentPart[] } | { item: InputItem } | null;

interface Context {
  names: ToolNameMap;
  /** server_tool_use id → query, to label the web search results that follow it. */
  searchQueries: Map<string, string>;
  /** Replayed reasoning item → the tag of the account that produced it. */
  owners: Map<InputItem, string>;
}

function userBlock(block: Block): BlockResult {
  if (block.type === 'tool_result') {
    const result = block as unknown as ToolResultBlock;
    if (typeof result.tool_use_id !== 'string') return null;
    return {
      item: {
        type: 'function_call_output',
        call_id: toUpstreamCallId(result.tool_use_id),
        output: toolResultOutput(result),
      },
    };
  }
  return { parts: contentPart(block) };
}

function assistantBlock(block: Block, ctx: Context): BlockResult {
  switch (block.type) {
    case 'text':
      return nonEmptyString(block.text) ? { parts: [{ type: 'output_text', text: block.text }] } : null;
    case 'tool_use': {
      const use = block as unknown as ToolUseBlock;
      if (typeof use.id !== 'string' || typeof use.name !== 'string') return null;
      return {
        item: {
          type: 'function_call',
          call_id: toUpstreamCallId(use.id),
          name: ctx.names.toUpstream(use.name),
          arguments: toolArguments(use.input),
        },
      };
    }
    case 'thinking': {
      // Only our own signatures carry Codex reasoning; anything else is dropped, never forged.
      const { thinking, signature } = block as unknown as ThinkingBlock;
      const decoded = typeof signature === 'string' ? decodeSignature(signature) : null;
      if (decoded === null) return null;
      const summary = nonEmptyString(thinking) ? [{ type: 'summary_text' as const, text: thinking }] : [];
      const item: InputItem = { type: 'reasoning', summary, encrypted_content: decoded.encrypted };
      ctx.owners.set(item, decoded.owner);
      return { item };
    }
    case 'server_tool_use':
      if (typeof block.id === 'string' && isRecord(block.input) && typeof block.input.query === 'string')
        ctx.searchQueries.set(block.id, block.input.query);
      return null;
    case 'web_search_tool_result': {
      const result = block as unknown as WebSearchToolResultBlock;
      return {
        parts: [{ type: 'output_text', text: webSearchResultText(result, ctx.searchQueries.get(result.tool_use_id)) }],
      };
    }
    default:
      return null;
  }
}

/** Mid-conversation system messages (Claude Code's environment block) become developer text. */
function systemBlock(block: Block): BlockResult {
  return block.type === 'text' ? { parts: textPart(block) } : null;
}

function messageItems(message: MessageParam, ctx: Context): InputItem[] {
  const role = message.role === 'system' ? 'developer' : message.role;
  const translate =
    message.role === 'assistant'
      ? (b: Block) => assistantBlock(b, ctx)
      : message.role === 'system'
        ? systemBlock
        : userBlock;
  const items: InputItem[] = [];
  let parts: InputContentPart[] = [];
  const flush = () => {
    if (parts.length > 0) items.push({ type: 'message', role, content: parts });
    parts = [];
  };
  for (const block of blocksOf(message.content)) {
    const result = translate(block);
    if (result === null) continue;
    if ('item' in result) {
      flush();
      items.push(result.item);
    } else {
      parts.push(...result.parts);
    }
  }
  flush();
  return items;
}

// ---- the request ----

function toolNamesIn(req: MessagesRequest): string[] {
  const names: string[] = [];
  for (const tool of recordsIn(req.tools)) if (typeof tool.name === 'string') names.push(tool.name);
  for (const message of req.messages) {
    for (const block of blocksOf(message.content))
      if (block.type === 'tool_use' && typeof block.name === 'string') names.push(block.name);
  }
  const choice: unknown = req.tool_choice;
  if (isRecord(choice) && choice.type === 'tool' && typeof choice.name === 'string') names.push(choice.name);
  return names;
}

function thinkingDisplayOf(req: MessagesRequest): TranslatedRequest['thinkingDisplay'] {
  const thinking = req.thinking;
  // Without a thinking config, Anthropic never returns thinking blocks either.
  if (!isRecord(thinking) || thinking.type === 'disabled') return 'none';
  return 'display' in thinking && thinking.display === 'omitted' ? 'omitted' : 'summarized';
}

function parallelToolCalls(req: MessagesRequest, opts: RequestTranslationOptions): boolean {
  const choice = req.tool_choice;
  const disabled =
    isRecord(choice) && 'disable_parallel_tool_use' in choice && choice.disable_parallel_tool_use === true;
  return !disabled && (opts.supportsParallelToolCalls ?? true);
}

export function toCodexRequest(req: MessagesRequest, opts: RequestTranslationOptions): TranslatedRequest {
  const toolNames = buildToolNameMap(toolNamesIn(req));
  const ctx: Context = { names: toolNames, searchQueries: new Map(), owners: new Map() };
  const tools = translateTools(req.tools, toolNames);
  const effort = pickEffort(req, {
    laneEffort: opts.laneEffort,
    supported: opts.supportedEfforts,
    defaultEffort: opts.defaultEffort,
  });
  const input = pairToolCalls(req.messages.flatMap((m) => messageItems(m, ctx)));
  const format = textFormatOf(req.output_config);
  // Claude Code's /fast: the priority tier is faster and spends more of the plan's usage.
  const fast = req.speed === 'fast' && (opts.serviceTiers ?? []).includes('priority');
  // Empty messages are dropped above; with none left there is nothing to ask the model.
  if (input.length === 0)
    throw new RequestError('invalid_request_error', 'messages: at least one message must have non-empty content.');
  const body: CodexRequest = {
    model: opts.model,
    instructions: buildInstructions(req.system),
    input,
    ...(tools.length > 0 ? { tools } : {}),
    tool_choice: translateToolChoice(req.tool_choice, req.tools, tools, toolNames),
    parallel_tool_calls: parallelToolCalls(req, opts),
    ...(effort !== undefined ? { reasoning: { effort, summary: 'auto' as const } } : {}),
    store: false,
    stream: true,
    include: ['reasoning.encrypted_content'],
    ...(opts.promptCacheKey ? { prompt_cache_key: opts.promptCacheKey } : {}),
    ...(format ? { text: { format } } : {}),
    ...(fast ? { service_tier: 'priority' } : {}),
  };
  return { body, reasoningOwners: ctx.owners, toolNames, thinkingDisplay: thinkingDisplayOf(req) };
}

/**
 * Top-level request fields we know: translated, or deliberately left out because the backend has
 * no such control (temperature, stop sequences, Claude Code's context management and safeguards).
 */
const KNOWN_REQUEST_FIELDS = new Set([
  'model',
  'messages',
  'system',
  'max_tokens',
  'tools',
  'tool_choice',
  'thinking',
  'output_config',
  'metadata',
  'stream',
  'speed',
  'temperature',
  'top_p',
  'top_k',
  'stop_sequences',
  'context_management',
  'safeguards',
  'service_tier',
]);

/** Fields of a request that nothing here translates: the compatibility sentinel reports them. */
export function untranslatedFields(req: MessagesRequest): string[] {
  return Object.keys(req).filter((key) => !KNOWN_REQUEST_FIELDS.has(key));
}

/**
 * The body as one account may send it: reasoning another account produced (or one we cannot
 * name) cannot be decrypted there and would fail the whole request, so it is left out. With
 * `account` null every replayed reasoning item goes (the retry after invalid_encrypted_content).
 * Returns the same body when nothing is dropped.
 */
export function bodyForAccount(
  body: CodexRequest,
  owners: ReadonlyMap<InputItem, string>,
  account: string | null,
): { body: CodexRequest; dropped: number } {
  let dropped = 0;
  for (const owner of owners.values()) if (account === null || owner === '' || owner !== account) dropped++;
  if (dropped === 0) return { body, dropped };
  const input = body.input.filter((item) => {
    const owner = owners.get(item);
    return owner === undefined || (account !== null && owner !== '' && owner === account);
  });
  return { body: { ...body, input }, dropped };
}

// Until the route's import moves to validate.ts (its file is being edited): see the lead's note.
export { validateMessagesRequest } from './validate.js';
