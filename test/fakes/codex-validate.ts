// What the Codex backend rejects in a POST /codex/responses body, with the status and envelope it
// answers (see the reference's "what the backend requires and rejects"). Gateway checks answer
// `{"detail": …}`; schema checks answer the OpenAI `{"error": {message, type, param, code}}`.
// Pure: a body, its headers and the model catalog in, a rejection (or null) out.
//
// Where public reports of the real backend contradict the short reference, we follow the reports:
// an unknown model is a 400 `{"detail":"The '<slug>' model is not supported when using Codex with
// a ChatGPT account."}` (openai/codex#14266, #26053), not a 404; a replayed item id is a 404
// `invalid_request_error` (router-for-me/CLIProxyAPI#999), not a 400; and every top-level key
// outside the allow-list gets `{"detail":"Unsupported parameter: <key>"}` (seen for
// previous_response_id, prompt_cache_options, prompt_cache_retention), not `Unknown parameter`.
import type { IncomingHttpHeaders } from 'node:http';
import { CODEX_REQUEST_KEYS, type CodexModelInfo } from '../../shared/codex.js';

export interface Rejection {
  status: number;
  body: unknown;
}

type Json = Record<string, unknown>;

class Rejected extends Error {
  constructor(readonly rejection: Rejection) {
    super('rejected');
  }
}

const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'number') return Number.isInteger(v) ? 'an integer' : 'a decimal';
  return `a ${typeof v}`;
}

/** 'a', 'b', and 'c' — the way OpenAI lists supported values. */
function quoteList(values: readonly string[]): string {
  const q = values.map((v) => `'${v}'`);
  if (q.length <= 2) return q.join(' and ');
  return `${q.slice(0, -1).join(', ')}, and ${q[q.length - 1]}`;
}

const detail = (message: unknown, status = 400) => new Rejected({ status, body: { detail: message } });

function apiError(message: string, param: string | null, code: string | null, status = 400): Rejected {
  return new Rejected({ status, body: { error: { message, type: 'invalid_request_error', param, code } } });
}

const invalidType = (param: string, expected: string, got: unknown) =>
  apiError(
    `Invalid type for '${param}': expected ${expected}, but got ${jsonType(got)} instead.`,
    param,
    'invalid_type',
  );
const missing = (param: string) =>
  apiError(`Missing required parameter: '${param}'.`, param, 'missing_required_parameter');
const unknownParam = (param: string) => apiError(`Unknown parameter: '${param}'.`, param, 'unknown_parameter');
const invalidValue = (param: string, value: unknown, allowed: readonly string[]) =>
  apiError(`Invalid value: '${String(value)}'. Supported values are: ${quoteList(allowed)}.`, param, 'invalid_value');

function onlyKeys(obj: Json, allowed: ReadonlySet<string>, path: string): void {
  for (const key of Object.keys(obj)) if (!allowed.has(key)) throw unknownParam(`${path}.${key}`);
}

function requireString(obj: Json, key: string, path: string): string {
  const v = obj[key];
  if (v === undefined) throw missing(`${path}.${key}`);
  if (typeof v !== 'string') throw invalidType(`${path}.${key}`, 'a string', v);
  return v;
}

function optional<T>(
  obj: Json,
  key: string,
  check: (v: unknown) => v is T,
  expected: string,
  param: string,
): T | undefined {
  const v = obj[key];
  if (v === undefined) return undefined;
  if (!check(v)) throw invalidType(param, expected, v);
  return v;
}

const isString = (v: unknown): v is string => typeof v === 'string';
const isBool = (v: unknown): v is boolean => typeof v === 'boolean';

// ---- images and files -------------------------------------------------------------------------

const IMAGE_MIMES = ['image/jpeg', 'image/png', 'image/gif', 'image/webp'];
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function looksLikeImage(bytes: Buffer, mime: string): boolean {
  const starts = (sig: number[], at = 0) => sig.every((b, i) => bytes[at + i] === b);
  switch (mime) {
    case 'image/png':
      return starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    case 'image/jpeg':
      return starts([0xff, 0xd8, 0xff]);
    case 'image/gif':
      return starts([0x47, 0x49, 0x46, 0x38]);
    default:
      return starts([0x52, 0x49, 0x46, 0x46]) && starts([0x57, 0x45, 0x42, 0x50], 8);
  }
}

function checkImageUrl(url: string, path: string): void {
  if (/^https?:\/\/[^\s/]+/i.test(url)) return;
  const expected = `Invalid '${path}'. Expected a base64-encoded data URL with an image MIME type (e.g. 'data:image/png;base64,aGVsbG8=')`;
  const bad = (got: string) => apiError(`${expected}, but got ${got}.`, path, 'invalid_value');
  const m = /^data:([^;,]*)((?:;[^;,]*)*),(.*)$/s.exec(url);
  if (!m) throw bad('a value that is not a data URL');
  const [, mime, params, payload] = m;
  if (!params.split(';').includes('base64')) throw bad("a value without the ';base64' separator");
  if (!IMAGE_MIMES.includes(mime.toLowerCase())) throw bad(`unsupported MIME type '${mime}'`);
  if (payload.length === 0) throw bad('empty base64-encoded bytes');
  if (!BASE64.test(payload) || payload.length % 4 === 1) throw bad('an invalid base64-encoded value');
  if (!looksLikeImage(Buffer.from(payload, 'base64'), mime.toLowerCase())) {
    throw apiError(
      `The image data you provided does not represent a valid image. Please check your input and try again with one of the supported image formats: [${IMAGE_MIMES.map((m) => `'${m}'`).join(', ')}].`,
      null,
      null,
    );
  }
}

function checkFileData(data: string, path: string): void {
  const m = /^data:([^;,]+)((?:;[^;,]*)*),(.+)$/s.exec(data);
  if (!m || !m[2].split(';').includes('base64') || !BASE64.test(m[3])) {
    throw apiError(
      `Invalid file data: '${path}'. Expected a base64-encoded data URL with a MIME type, but got an invalid value.`,
      path,
      'invalid_value',
    );
  }
}

// ---- input items ------------------------------------------------------------------------------

const PART_KEYS: Record<string, ReadonlySet<string>> = {
  input_text: new Set(['type', 'text']),
  input_image: new Set(['type', 'image_url', 'detail', 'file_id']),
  input_file: new Set(['type', 'filename', 'file_data', 'file_id', 'file_url']),
  output_text: new Set(['type', 'text', 'annotations', 'logprobs']),
  refusal: new Set(['type', 'refusal']),
};
const USER_PARTS = ['input_text', 'input_image', 'input_file'];
const ASSISTANT_PARTS = ['output_text', 'refusal'];
const IMAGE_DETAILS = ['low', 'high', 'auto', 'original'];

function checkPart(part: unknown, path: string, allowedTypes: readonly string[]): void {
  if (!isObj(part)) throw invalidType(path, 'an object', part);
  const type = requireString(part, 'type', path);
  if (!allowedTypes.includes(type)) throw invalidValue(`${path}.type`, type, allowedTypes);
  onlyKeys(part, PART_KEYS[type], path);
  switch (type) {
    case 'input_text':
    case 'output_text':
      requireString(part, 'text', path);
      break;
    case 'refusal':
      requireString(part, 'refusal', path);
      break;
    case 'input_image': {
      checkImageUrl(requireString(part, 'image_url', path), `${path}.image_url`);
      const d = optional(part, 'detail', isString, 'a string', `${path}.detail`);
      if (d !== undefined && !IMAGE_DETAILS.includes(d)) throw invalidValue(`${path}.detail`, d, IMAGE_DETAILS);
      break;
    }
    case 'input_file':
      requireString(part, 'filename', path);
      checkFileData(requireString(part, 'file_data', path), `${path}.file_data`);
      break;
  }
}

const ROLES = ['assistant', 'system', 'developer', 'user'];
const ITEM_KEYS: Record<string, ReadonlySet<string>> = {
  message: new Set(['type', 'role', 'content', 'id', 'status', 'phase']),
  function_call: new Set(['type', 'call_id', 'name', 'arguments', 'id', 'status', 'namespace']),
  function_call_output: new Set(['type', 'call_id', 'output', 'id', 'status']),
  custom_tool_call: new Set(['type', 'call_id', 'name', 'input', 'id', 'status']),
  custom_tool_call_output: new Set(['type', 'call_id', 'output', 'id']),
  reasoning: new Set(['type', 'summary', 'encrypted_content', 'content', 'id', 'status']),
  web_search_call: new Set(['type', 'status', 'action', 'id']),
  compaction: new Set(['type', 'encrypted_content', 'id']),
};
const ITEM_TYPES = Object.keys(ITEM_KEYS);
const SEARCH_ACTIONS = ['search', 'open_page', 'find_in_page'];

function checkMessage(item: Json, path: string): void {
  const role = requireString(item, 'role', path);
  if (role === 'system') throw detail('System messages are not allowed');
  if (!ROLES.includes(role)) throw invalidValue(`${path}.role`, role, ROLES);
  const content = item.content;
  if (content === undefined) throw missing(`${path}.content`);
  if (typeof content === 'string') return;
  if (!Array.isArray(content)) throw invalidType(`${path}.content`, 'a string or an array', content);
  const allowed = role === 'assistant' ? ASSISTANT_PARTS : USER_PARTS;
  content.forEach((part, j) => checkPart(part, `${path}.content[${j}]`, allowed));
}

function checkToolOutput(item: Json, path: string): void {
  requireString(item, 'call_id', path);
  const output = item.output;
  if (output === undefined) throw missing(`${path}.output`);
  if (typeof output === 'string') return;
  if (!Array.isArray(output)) throw invalidType(`${path}.output`, 'a string or an array', output);
  output.forEach((part, j) => checkPart(part, `${path}.output[${j}]`, USER_PARTS));
}

function checkReasoning(item: Json, path: string): void {
  const summary = item.summary;
  if (summary === undefined) throw missing(`${path}.summary`);
  if (!Array.isArray(summary)) throw invalidType(`${path}.summary`, 'an array', summary);
  summary.forEach((s, j) => {
    const at = `${path}.summary[${j}]`;
    if (!isObj(s)) throw invalidType(at, 'an object', s);
    const type = requireString(s, 'type', at);
    if (type !== 'summary_text') throw invalidValue(`${at}.type`, type, ['summary_text']);
    requireString(s, 'text', at);
    onlyKeys(s, new Set(['type', 'text']), at);
  });
  requireString(item, 'encrypted_content', path);
  if (item.content !== undefined && item.content !== null && !Array.isArray(item.content)) {
    throw invalidType(`${path}.content`, 'an array', item.content);
  }
}

function checkItem(item: unknown, i: number): void {
  const path = `input[${i}]`;
  if (!isObj(item)) throw invalidType(path, 'an object', item);
  // `{role, content}` without a type is the Responses API's shorthand for a message.
  const type = item.type ?? (item.role !== undefined ? 'message' : undefined);
  if (type === undefined) throw missing(`${path}.type`);
  if (typeof type !== 'string' || !ITEM_TYPES.includes(type)) throw invalidValue(`${path}.type`, type, ITEM_TYPES);
  if (item.id !== undefined && item.id !== null) {
    // With store:false nothing is persisted, so any item id is looked up and not found (404).
    throw apiError(
      `Item with id '${String(item.id)}' not found. Items are not persisted when \`store\` is set to false. Try again with \`store\` set to true, or remove this item from your input.`,
      'input',
      null,
      404,
    );
  }
  onlyKeys(item, ITEM_KEYS[type], path);
  switch (type) {
    case 'message':
      return checkMessage(item, path);
    case 'function_call':
      requireString(item, 'call_id', path);
      requireString(item, 'name', path);
      requireString(item, 'arguments', path);
      return;
    case 'custom_tool_call':
      requireString(item, 'call_id', path);
      requireString(item, 'name', path);
      requireString(item, 'input', path);
      return;
    case 'function_call_output':
    case 'custom_tool_call_output':
      return checkToolOutput(item, path);
    case 'reasoning':
      return checkReasoning(item, path);
    case 'compaction':
      requireString(item, 'encrypted_content', path);
      return;
    case 'web_search_call': {
      const action = item.action;
      if (action === undefined) return;
      if (!isObj(action)) throw invalidType(`${path}.action`, 'an object', action);
      if (!SEARCH_ACTIONS.includes(String(action.type)))
        throw invalidValue(`${path}.action.type`, action.type, SEARCH_ACTIONS);
    }
  }
}

const OUTPUT_OF: Record<string, string> = {
  function_call_output: 'function_call',
  custom_tool_call_output: 'custom_tool_call',
};

/** Every output follows its call (same call_id), and every call gets an output later on. */
function checkPairing(items: Json[]): void {
  const open = new Map<string, string>();
  const seen = new Set<string>();
  for (const item of items) {
    const type = String(item.type ?? 'message');
    const callId = String(item.call_id);
    if (type === 'function_call' || type === 'custom_tool_call') {
      open.set(`${type}:${callId}`, callId);
      seen.add(`${type}:${callId}`);
    } else if (OUTPUT_OF[type]) {
      const key = `${OUTPUT_OF[type]}:${callId}`;
      if (!seen.has(key)) {
        const what = type === 'function_call_output' ? 'function call output' : 'custom tool call output';
        throw apiError(`No tool call found for ${what} with call_id ${callId}.`, 'input', null);
      }
      open.delete(key);
    }
  }
  for (const [key, callId] of open) {
    const what = key.startsWith('function_call:') ? 'function call' : 'custom tool call';
    throw apiError(`No tool output found for ${what} ${callId}.`, 'input', null);
  }
}

// ---- tools ------------------------------------------------------------------------------------

const TOOL_KEYS: Record<string, ReadonlySet<string>> = {
  function: new Set(['type', 'name', 'description', 'parameters', 'strict']),
  custom: new Set(['type', 'name', 'description', 'format']),
  web_search: new Set([
    'type',
    'filters',
    'user_location',
    'external_web_access',
    'search_context_size',
    'search_content_types',
  ]),
  namespace: new Set(['type', 'name', 'description', 'tools']),
  tool_search: new Set(['type', 'execution', 'description', 'parameters']),
  image_generation: new Set(['type', 'output_format', 'size', 'quality', 'background', 'partial_images']),
  local_shell: new Set(['type']),
};
const TOOL_TYPES = Object.keys(TOOL_KEYS);
// `defer_loading` is only understood alongside a tool_search tool (the CLI sends both together).
const DEFERRABLE = new Set(['function', 'custom', 'namespace']);
const TOOL_NAME = /^[a-zA-Z0-9_-]+$/;
const MAX_TOOL_NAME = 64;

function checkToolName(tool: Json, path: string): string {
  const name = requireString(tool, 'name', path);
  const param = `${path}.name`;
  if (!TOOL_NAME.test(name)) {
    throw apiError(
      `Invalid '${param}': string does not match pattern. Expected a string that matches the pattern '^[a-zA-Z0-9_-]+$'.`,
      param,
      'invalid_value',
    );
  }
  if (name.length > MAX_TOOL_NAME) {
    throw apiError(
      `Invalid '${param}': string too long. Expected a string with maximum length ${MAX_TOOL_NAME}, but got a string with length ${name.length} instead.`,
      param,
      'string_above_max_length',
    );
  }
  return name;
}

/** Returns the names of the function tools (for tool_choice). */
function checkTools(tools: unknown, path: string, hasToolSearch: boolean): string[] {
  if (!Array.isArray(tools)) throw invalidType(path, 'an array', tools);
  const names: string[] = [];
  tools.forEach((tool, i) => {
    const at = `${path}[${i}]`;
    if (!isObj(tool)) throw invalidType(at, 'an object', tool);
    const type = requireString(tool, 'type', at);
    if (!TOOL_TYPES.includes(type)) throw invalidValue(`${at}.type`, type, TOOL_TYPES);
    for (const key of Object.keys(tool)) {
      const deferOk = key === 'defer_loading' && hasToolSearch && DEFERRABLE.has(type);
      if (!deferOk && !TOOL_KEYS[type].has(key)) throw unknownParam(`${at}.${key}`);
    }
    if (tool.defer_loading !== undefined && !isBool(tool.defer_loading))
      throw invalidType(`${at}.defer_loading`, 'a boolean', tool.defer_loading);
    optional(tool, 'description', isString, 'a string', `${at}.description`);
    if (type === 'function') {
      names.push(checkToolName(tool, at));
      if (tool.parameters === undefined) throw missing(`${at}.parameters`);
      if (!isObj(tool.parameters)) throw invalidType(`${at}.parameters`, 'an object', tool.parameters);
      optional(tool, 'strict', isBool, 'a boolean', `${at}.strict`);
    } else if (type === 'custom') {
      checkToolName(tool, at);
    } else if (type === 'namespace') {
      checkToolName(tool, at);
      names.push(...checkTools(tool.tools, `${at}.tools`, hasToolSearch));
    }
  });
  return names;
}

const TOOL_CHOICE_MODES = ['none', 'auto', 'required'];

function checkToolChoice(choice: unknown, functionNames: string[]): void {
  if (choice === undefined) return;
  if (typeof choice === 'string') {
    if (!TOOL_CHOICE_MODES.includes(choice)) throw invalidValue('tool_choice', choice, TOOL_CHOICE_MODES);
    return;
  }
  if (!isObj(choice)) throw invalidType('tool_choice', 'a string or an object', choice);
  const type = requireString(choice, 'type', 'tool_choice');
  if (type === 'function') {
    const name = requireString(choice, 'name', 'tool_choice');
    if (!functionNames.includes(name))
      throw apiError(`Tool choice '${name}' not found in 'tools' parameter.`, 'tool_choice', null);
  } else if (type !== 'web_search' && type !== 'custom') {
    throw invalidValue('tool_choice.type', type, ['function', 'custom', 'web_search']);
  }
}

// ---- the rest of the body ---------------------------------------------------------------------

const EFFORTS = ['none', 'minimal', 'low', 'medium', 'high', 'xhigh', 'max', 'ultra'];
const SUMMARIES = ['auto', 'concise', 'detailed'];
const VERBOSITIES = ['low', 'medium', 'high'];
const SERVICE_TIERS = ['auto', 'default', 'flex', 'priority'];
const INCLUDABLE = [
  'reasoning.encrypted_content',
  'web_search_call.action.sources',
  'web_search_call.results',
  'message.output_text.logprobs',
  'message.input_image.image_url',
];

export function modelEfforts(model: CodexModelInfo): string[] {
  const levels = (model.supported_reasoning_levels ?? []).map((l) => (typeof l === 'string' ? l : l.effort));
  return levels.length ? levels : EFFORTS;
}

function checkReasoningParams(reasoning: unknown, model: CodexModelInfo): void {
  if (reasoning === undefined || reasoning === null) return;
  if (!isObj(reasoning)) throw invalidType('reasoning', 'an object', reasoning);
  onlyKeys(reasoning, new Set(['effort', 'summary', 'context']), 'reasoning');
  const effort = reasoning.effort;
  const levels = modelEfforts(model);
  if (effort !== undefined && effort !== null && !levels.includes(String(effort))) {
    throw apiError(
      `Unsupported value: '${String(effort)}' is not supported with the '${model.slug}' model. Supported values are: ${quoteList(levels)}.`,
      'reasoning.effort',
      'unsupported_value',
    );
  }
  const summary = reasoning.summary;
  if (summary !== undefined && summary !== null && !SUMMARIES.includes(String(summary))) {
    throw invalidValue('reasoning.summary', summary, SUMMARIES);
  }
}

function checkInclude(include: unknown): void {
  if (include === undefined) return;
  if (!Array.isArray(include)) throw invalidType('include', 'an array', include);
  include.forEach((v, i) => {
    if (typeof v !== 'string') throw invalidType(`include[${i}]`, 'a string', v);
    if (!INCLUDABLE.includes(v)) throw invalidValue(`include[${i}]`, v, INCLUDABLE);
  });
}

function checkText(text: unknown): void {
  if (text === undefined || text === null) return;
  if (!isObj(text)) throw invalidType('text', 'an object', text);
  onlyKeys(text, new Set(['verbosity', 'format']), 'text');
  if (text.verbosity !== undefined && !VERBOSITIES.includes(String(text.verbosity)))
    throw invalidValue('text.verbosity', text.verbosity, VERBOSITIES);
  if (text.format !== undefined) checkTextFormat(text.format);
}

/** Structured outputs as the Responses API checks them: `name` is required, strict needs a closed schema. */
function checkTextFormat(format: unknown): void {
  if (!isObj(format)) throw invalidType('text.format', 'an object', format);
  const type = String(format.type);
  if (!['text', 'json_object', 'json_schema'].includes(type))
    throw invalidValue('text.format.type', format.type, ['text', 'json_object', 'json_schema']);
  if (type !== 'json_schema') return;
  onlyKeys(format, new Set(['type', 'name', 'schema', 'strict', 'description']), 'text.format');
  const name = requireString(format, 'name', 'text.format');
  if (!/^[a-zA-Z0-9_-]{1,64}$/.test(name))
    throw apiError(
      `Invalid 'text.format.name': string does not match pattern. Expected a string that matches the pattern '^[a-zA-Z0-9_-]+$'.`,
      'text.format.name',
      'invalid_value',
    );
  if (!isObj(format.schema)) throw missing('text.format.schema');
  if (format.schema.type !== 'object')
    throw apiError(
      'Invalid schema for response_format: schema must be a JSON Schema of \'type: "object"\'.',
      'text.format.schema',
      'invalid_json_schema',
    );
  if (format.strict === true) checkStrictSchema(format.schema, 'text.format.schema');
}

function checkStrictSchema(schema: unknown, path: string): void {
  if (Array.isArray(schema)) return schema.forEach((s, i) => checkStrictSchema(s, `${path}[${i}]`));
  if (!isObj(schema)) return;
  if (schema.type === 'object' || isObj(schema.properties)) {
    if (schema.additionalProperties !== false)
      throw apiError(
        `Invalid schema for response_format: In context=${path}, 'additionalProperties' is required to be supplied and to be false.`,
        'text.format.schema',
        'invalid_json_schema',
      );
    const props = isObj(schema.properties) ? Object.keys(schema.properties) : [];
    const required = Array.isArray(schema.required) ? schema.required : [];
    const missingKey = props.find((p) => !required.includes(p));
    if (missingKey !== undefined)
      throw apiError(
        `Invalid schema for response_format: In context=${path}, 'required' is required to be supplied and to be an array including every key in properties. Missing '${missingKey}'.`,
        'text.format.schema',
        'invalid_json_schema',
      );
  }
  for (const [k, v] of Object.entries(schema))
    if (typeof v === 'object' && v !== null) checkStrictSchema(v, `${path}.${k}`);
}

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/**
 * Our stricter rule (the real backend would just miss its cache): the session header the backend
 * derives cache affinity from must equal prompt_cache_key, or caching silently breaks.
 */
function checkCacheKey(body: Json, headers: IncomingHttpHeaders): void {
  const key = optional(body, 'prompt_cache_key', isString, 'a string', 'prompt_cache_key');
  for (const name of ['session-id', 'session_id']) {
    const session = headerValue(headers, name);
    if (session !== undefined && session !== key) {
      throw detail(
        `[fake backend] the ${name} header (${session}) differs from prompt_cache_key (${key ?? 'absent'}); prompt caching would break`,
      );
    }
  }
}

const ACCEPTED_KEYS: ReadonlySet<string> = new Set(CODEX_REQUEST_KEYS);

function checkBody(body: unknown, headers: IncomingHttpHeaders, catalog: readonly CodexModelInfo[]): void {
  if (!isObj(body)) throw invalidType('body', 'an object', body);
  // The gateway rejects every top-level key outside its allow-list with this one message, known
  // Responses parameters (max_output_tokens, temperature, previous_response_id…) included.
  for (const key of Object.keys(body)) if (!ACCEPTED_KEYS.has(key)) throw detail(`Unsupported parameter: ${key}`);
  // Only a missing (or non-string) field is refused: "" is accepted (docs/FACTS.md).
  if (typeof body.instructions !== 'string') throw detail('Instructions are required');
  if (body.store !== false) throw detail('Store must be set to false');
  if (body.stream !== true) throw detail('Stream must be set to true');
  const slug = typeof body.model === 'string' ? body.model : '';
  const model = catalog.find((m) => m.slug === slug);
  if (!model) throw detail(`The '${slug}' model is not supported when using Codex with a ChatGPT account.`);

  if (body.input === undefined) throw missing('input');
  if (!Array.isArray(body.input)) throw invalidType('input', 'an array', body.input);
  body.input.forEach(checkItem);
  checkPairing(body.input as Json[]);

  const hasToolSearch = Array.isArray(body.tools) && body.tools.some((t) => isObj(t) && t.type === 'tool_search');
  const functionNames = body.tools === undefined ? [] : checkTools(body.tools, 'tools', hasToolSearch);
  checkToolChoice(body.tool_choice, functionNames);
  optional(body, 'parallel_tool_calls', isBool, 'a boolean', 'parallel_tool_calls');
  checkReasoningParams(body.reasoning, model);
  checkInclude(body.include);
  checkText(body.text);
  checkCacheKey(body, headers);
  const tier = optional(body, 'service_tier', isString, 'a string', 'service_tier');
  if (tier !== undefined && !SERVICE_TIERS.includes(tier)) throw invalidValue('service_tier', tier, SERVICE_TIERS);
  optional(body, 'stream_options', isObj, 'an object', 'stream_options');
  const meta = optional(body, 'client_metadata', isObj, 'an object', 'client_metadata');
  for (const [k, v] of Object.entries(meta ?? {}))
    if (typeof v !== 'string') throw invalidType(`client_metadata.${k}`, 'a string', v);
}

/** The OpenAI answer to a body that is not JSON at all. */
export function invalidJsonRejection(): Rejection {
  return apiError(
    "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON.)",
    null,
    null,
  ).rejection;
}

/** Null when the backend would accept the request; otherwise the exact answer it would give. */
export function validateResponsesRequest(
  body: unknown,
  headers: IncomingHttpHeaders,
  catalog: readonly CodexModelInfo[],
): Rejection | null {
  try {
    checkBody(body, headers, catalog);
    return null;
  } catch (err) {
    if (err instanceof Rejected) return err.rejection;
    throw err;
  }
}
