// The JSON Claude Code pipes to a statusLine command (measured on 2.1.332: session_id, model
// {id, display_name}, context_window {context_window_size, current_usage{input_tokens,
// cache_creation_input_tokens, cache_read_input_tokens, output_tokens}}, cost, workspace, …).
// Read defensively: a field that is missing or of another type is simply unknown.
import { isRecord } from '../util/guards.js';

export interface StatusLineInput {
  sessionId: string;
  modelId: string;
  modelName: string;
  /** Tokens in the context as of the last request (input + cache writes + cache reads); null before it. */
  contextTokens: number | null;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const count = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : 0);

export function parseStatusLineInput(text: string): StatusLineInput {
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    // Not JSON (or nothing on stdin): everything stays unknown.
  }
  const root = isRecord(json) ? json : {};
  const model = isRecord(root.model) ? root.model : {};
  const window = isRecord(root.context_window) ? root.context_window : {};
  const usage = isRecord(window.current_usage) ? window.current_usage : null;
  return {
    sessionId: str(root.session_id),
    modelId: str(model.id),
    modelName: str(model.display_name) || str(model.id),
    contextTokens: usage
      ? count(usage.input_tokens) + count(usage.cache_creation_input_tokens) + count(usage.cache_read_input_tokens)
      : null,
  };
}
