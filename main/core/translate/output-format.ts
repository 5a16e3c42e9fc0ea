// Anthropic structured outputs (`output_config.format: {type:"json_schema", schema}`) → the
// Responses API's `text.format`. Claude Code relies on it for prompt and agent hooks and session
// titles: without it the model answers prose and the hook fails "JSON validation failed".
import { createHash } from 'node:crypto';
import type { CodexTextFormat } from '../../../shared/codex.js';
import { isRecord } from '../util/guards.js';
import { cleanSchema } from './tools.js';

const NAME = /^[a-zA-Z0-9_-]{1,64}$/;

/**
 * The backend requires a name; Anthropic's format has none. A schema's own `title` is used when it
 * is a valid name, else one derived from the schema itself, so the same schema always gets the
 * same name (the request prefix stays cacheable).
 */
function formatName(schema: Record<string, unknown>, given: unknown): string {
  if (typeof given === 'string' && NAME.test(given)) return given;
  const title = typeof schema.title === 'string' ? schema.title.trim().replace(/\s+/g, '_') : '';
  if (NAME.test(title)) return title;
  return `output_${createHash('sha256').update(JSON.stringify(schema)).digest('hex').slice(0, 12)}`;
}

/**
 * Strict mode guarantees the schema like Anthropic's constrained decoding does, but the backend
 * accepts it only when every object closes its properties and requires all of them.
 */
function strictCompatible(schema: unknown, depth = 0): boolean {
  if (depth > 64) return false;
  if (Array.isArray(schema)) return schema.every((s) => strictCompatible(s, depth + 1));
  if (!isRecord(schema)) return true;
  if (schema.type === 'object' || isRecord(schema.properties)) {
    const props = isRecord(schema.properties) ? Object.keys(schema.properties) : [];
    const required = Array.isArray(schema.required) ? schema.required : [];
    if (schema.additionalProperties !== false) return false;
    if (!props.every((p) => required.includes(p))) return false;
  }
  return Object.values(schema).every((v) => typeof v !== 'object' || v === null || strictCompatible(v, depth + 1));
}

/**
 * The upstream `text.format` for a client's `output_config.format`, or undefined for none. A
 * `name` (from the OpenAI front end's response_format) and `json_object` are our extensions.
 */
export function textFormatOf(outputConfig: unknown): CodexTextFormat | undefined {
  const format = isRecord(outputConfig) ? outputConfig.format : undefined;
  if (isRecord(format) && format.type === 'json_object') return { type: 'json_object' };
  if (!isRecord(format) || format.type !== 'json_schema' || !isRecord(format.schema)) return undefined;
  const schema = cleanSchema(format.schema);
  return { type: 'json_schema', name: formatName(schema, format.name), schema, strict: strictCompatible(schema) };
}
