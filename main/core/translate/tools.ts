// Anthropic tool definitions and tool_choice → Codex tools. Tool names that the backend would
// reject (MCP names with '.', ':' or over 64 chars) are renamed reversibly per request.
import type { CustomTool, ServerTool, ToolChoice, ToolDefinition } from '../../../shared/anthropic.js';
import type { CodexTool, CodexToolChoice } from '../../../shared/codex.js';
import { isRecord, recordsIn } from '../util/guards.js';
import { hashedIdentifier, isLegalIdentifier } from './ids.js';

export interface ToolNameMap {
  toUpstream(name: string): string;
  fromUpstream(name: string): string;
}

const NAME_HASH_LENGTH = 8;
const MAX_NAME_HASH_LENGTH = 32;

/** Claude Code's stand-in for tools it has not loaded yet; it is not callable. */
const PLACEHOLDER_TOOL = 'DeferredToolPlaceholder';

export function buildToolNameMap(names: readonly string[]): ToolNameMap {
  const unique = [...new Set(names)];
  // Legal names always keep themselves; renamed ones must not collide with them or each other.
  const taken = new Set(unique.filter(isLegalIdentifier));
  const toUpstream = new Map<string, string>();
  const fromUpstream = new Map<string, string>();
  // Sorted so that the (practically impossible) collision fallback does not depend on tool order.
  for (const name of unique.filter((n) => !isLegalIdentifier(n)).sort()) {
    let hashLength = NAME_HASH_LENGTH;
    let alias = hashedIdentifier(name, hashLength);
    while (taken.has(alias) && hashLength < MAX_NAME_HASH_LENGTH) {
      hashLength += 4;
      alias = hashedIdentifier(name, hashLength);
    }
    taken.add(alias);
    toUpstream.set(name, alias);
    fromUpstream.set(alias, name);
  }
  return {
    toUpstream: (name) =>
      toUpstream.get(name) ?? (isLegalIdentifier(name) ? name : hashedIdentifier(name, NAME_HASH_LENGTH)),
    fromUpstream: (name) => fromUpstream.get(name) ?? name,
  };
}

// Keywords whose value is one subschema, a map of named subschemas, or a list of subschemas.
// Only these are descended into, so property *names* such as "cache_control" survive.
const SUBSCHEMA_KEYS = new Set([
  'items',
  'additionalProperties',
  'not',
  'if',
  'then',
  'else',
  'contains',
  'propertyNames',
  'unevaluatedProperties',
  'unevaluatedItems',
  'additionalItems',
]);
const SUBSCHEMA_MAP_KEYS = new Set(['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas']);
const SUBSCHEMA_LIST_KEYS = new Set(['anyOf', 'oneOf', 'allOf', 'prefixItems']);
/** Keys Anthropic tool definitions may carry that mean nothing (or an error) to the backend. */
const STRIPPED_KEYS = new Set(['$schema', 'cache_control', 'defer_loading']);

function cleanSubschema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(cleanSubschema);
  if (!isRecord(schema)) return schema;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (STRIPPED_KEYS.has(key)) continue;
    if (SUBSCHEMA_MAP_KEYS.has(key) && isRecord(value)) {
      out[key] = Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, cleanSubschema(sub)]));
    } else if (SUBSCHEMA_KEYS.has(key) || SUBSCHEMA_LIST_KEYS.has(key)) {
      out[key] = cleanSubschema(value);
    } else {
      out[key] = value;
    }
  }
  return out;
}

/** Function parameters must be an object schema; anything else becomes an empty one. */
export function cleanSchema(schema: unknown): Record<string, unknown> {
  const cleaned = cleanSubschema(schema);
  if (!isRecord(cleaned)) return { type: 'object', properties: {} };
  if (cleaned.type !== undefined && cleaned.type !== 'object') return { type: 'object', properties: {} };
  return { ...cleaned, type: 'object', properties: isRecord(cleaned.properties) ? cleaned.properties : {} };
}

function isServerTool(tool: ToolDefinition): tool is ServerTool {
  return typeof tool.type === 'string' && tool.type !== 'custom';
}

function isWebSearchTool(tool: ToolDefinition): boolean {
  return isServerTool(tool) && tool.type.startsWith('web_search_');
}

function webSearchTool(tool: ServerTool): CodexTool {
  // Without external_web_access the backend searches only its cached index, so nothing recent.
  const out: Extract<CodexTool, { type: 'web_search' }> = { type: 'web_search', external_web_access: true };
  // Codex has no blocked_domains filter: such a restriction cannot be carried over.
  if (Array.isArray(tool.allowed_domains) && tool.allowed_domains.length > 0) {
    out.filters = { allowed_domains: tool.allowed_domains.filter((d) => typeof d === 'string') };
  }
  if (isRecord(tool.user_location)) out.user_location = tool.user_location;
  return out;
}

function functionTool(tool: CustomTool, map: ToolNameMap): CodexTool {
  const out: Extract<CodexTool, { type: 'function' }> = {
    type: 'function',
    name: map.toUpstream(tool.name),
    parameters: cleanSchema(tool.input_schema),
    strict: false,
  };
  if (typeof tool.description === 'string' && tool.description !== '') out.description = tool.description;
  return out;
}

/**
 * The object entries of a client's `tools`; a value that is not a list is ignored like an absent
 * one. Their fields are still unchecked: every reader below guards the ones it uses.
 */
function toolList(tools: unknown): ToolDefinition[] {
  return recordsIn(tools) as unknown as ToolDefinition[];
}

/**
 * Custom tools become functions (deferred ones included: every tool Claude Code lists may be
 * called); web search becomes Codex's web_search; other Anthropic server tools (code execution,
 * bash, text editor, …) have no Codex equivalent and are dropped.
 */
export function translateTools(tools: ToolDefinition[] | undefined, map: ToolNameMap): CodexTool[] {
  const out: CodexTool[] = [];
  const seenNames = new Set<string>();
  let hasWebSearch = false;
  for (const tool of toolList(tools)) {
    if (typeof tool.name !== 'string') continue;
    if (tool.name === PLACEHOLDER_TOOL || seenNames.has(tool.name)) continue;
    seenNames.add(tool.name);
    if (isWebSearchTool(tool)) {
      if (!hasWebSearch) out.push(webSearchTool(tool as ServerTool));
      hasWebSearch = true;
    } else if (!isServerTool(tool)) {
      out.push(functionTool(tool, map));
    }
  }
  return out;
}

/**
 * A named choice must name a tool that was actually sent, or the backend would reject it; a
 * choice that cannot be honoured degrades to "auto" rather than failing the request.
 */
export function translateToolChoice(
  choice: ToolChoice | undefined,
  tools: ToolDefinition[] | undefined,
  sent: readonly CodexTool[],
  map: ToolNameMap,
): CodexToolChoice {
  if (sent.length === 0 || !isRecord(choice)) return 'auto';
  switch (choice.type) {
    case 'none':
      return 'none';
    case 'any':
      return 'required';
    case 'tool': {
      if (typeof choice.name !== 'string') return 'auto';
      const named = toolList(tools).find((t) => t.name === choice.name);
      if (named && isWebSearchTool(named) && sent.some((t) => t.type === 'web_search')) return { type: 'web_search' };
      const name = map.toUpstream(choice.name);
      return sent.some((t) => t.type === 'function' && t.name === name) ? { type: 'function', name } : 'auto';
    }
    default:
      return 'auto';
  }
}
