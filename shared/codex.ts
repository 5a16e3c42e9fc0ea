// The ChatGPT Codex backend's Responses API subset (POST {backend}/codex/responses, SSE).
// The shapes follow the open-source Codex CLI; docs/FACTS.md names the sources.

/** Codex reasoning efforts, weakest first (each model lists the ones it takes). */
export const REASONING_EFFORTS = ['none', 'minimal', 'low', 'medium', 'high', 'xhigh', 'max', 'ultra'] as const;
export type ReasoningEffort = (typeof REASONING_EFFORTS)[number];

export function isReasoningEffort(value: unknown): value is ReasoningEffort {
  return (REASONING_EFFORTS as readonly unknown[]).includes(value);
}

export type InputContentPart =
  | { type: 'input_text'; text: string }
  | { type: 'input_image'; image_url: string; detail?: string }
  | { type: 'input_file'; filename: string; file_data: string }
  | { type: 'output_text'; text: string };

export type InputItem =
  | { type: 'message'; role: 'user' | 'assistant' | 'developer'; content: InputContentPart[] }
  | { type: 'function_call'; call_id: string; name: string; arguments: string }
  | {
      type: 'function_call_output';
      call_id: string;
      output: string | Array<Extract<InputContentPart, { type: 'input_text' | 'input_image' }>>;
    }
  | {
      type: 'reasoning';
      summary: Array<{ type: 'summary_text'; text: string }>;
      encrypted_content: string;
      content?: null;
    }
  | { type: 'web_search_call'; status: string; action?: { type: 'search'; query?: string } };

export type CodexTool =
  | { type: 'function'; name: string; description?: string; parameters: Record<string, unknown>; strict: boolean }
  | {
      type: 'web_search';
      filters?: { allowed_domains?: string[] };
      user_location?: Record<string, unknown>;
      external_web_access?: boolean;
    };

export type CodexToolChoice =
  'auto' | 'none' | 'required' | { type: 'function'; name: string } | { type: 'web_search' };

export interface CodexRequest {
  model: string;
  instructions: string;
  input: InputItem[];
  tools?: CodexTool[];
  tool_choice: CodexToolChoice;
  parallel_tool_calls: boolean;
  reasoning?: { effort: ReasoningEffort; summary: 'auto' | 'concise' | 'detailed' };
  store: false;
  stream: true;
  include: string[];
  prompt_cache_key?: string;
  text?: { verbosity?: 'low' | 'medium' | 'high'; format?: CodexTextFormat };
  /** `priority` is the "Fast" tier (more usage), for Claude's `speed: "fast"`. */
  service_tier?: string;
}

/** Structured output of the Responses API; the backend requires `name`. */
export type CodexTextFormat =
  { type: 'json_schema'; name: string; schema: Record<string, unknown>; strict: boolean } | { type: 'json_object' };

/** Top-level keys the backend accepts from us; anything else is a bug in the translator. */
export const CODEX_REQUEST_KEYS = [
  'model',
  'instructions',
  'input',
  'tools',
  'tool_choice',
  'parallel_tool_calls',
  'reasoning',
  'store',
  'stream',
  'include',
  'prompt_cache_key',
  'text',
  'service_tier',
  'stream_options',
  'client_metadata',
] as const;

export interface CodexUsage {
  input_tokens: number;
  input_tokens_details?: { cached_tokens?: number; cache_write_tokens?: number } | null;
  output_tokens: number;
  output_tokens_details?: { reasoning_tokens?: number } | null;
  total_tokens?: number;
}

export type OutputItem =
  | {
      type: 'message';
      id?: string;
      role: 'assistant';
      content: Array<{ type: 'output_text' | 'refusal'; text?: string; refusal?: string }>;
      phase?: string;
    }
  | { type: 'function_call'; id?: string; call_id: string; name: string; arguments: string; status?: string }
  | {
      type: 'reasoning';
      id?: string;
      summary?: Array<{ type: 'summary_text'; text: string }>;
      encrypted_content?: string | null;
      content?: Array<{ type: string; text: string }> | null;
    }
  | {
      type: 'web_search_call';
      id?: string;
      status?: string;
      action?: { type: string; query?: string; url?: string; sources?: Array<{ url: string; title?: string }> };
    }
  | { type: string; id?: string; [k: string]: unknown };

export interface CodexResponseObject {
  id?: string;
  model?: string;
  status?: string;
  usage?: CodexUsage | null;
  error?: { code?: string; message?: string } | null;
  incomplete_details?: { reason?: string } | null;
  output?: OutputItem[];
  end_turn?: boolean;
}

/** The SSE events we act on. Anything else is ignored by the translator (never fatal). */
export type CodexEvent =
  | { type: 'response.created'; response: CodexResponseObject }
  | { type: 'response.in_progress'; response: CodexResponseObject }
  | { type: 'response.output_item.added'; output_index: number; item: OutputItem }
  | { type: 'response.output_item.done'; output_index: number; item: OutputItem }
  | {
      type: 'response.output_text.delta';
      item_id?: string;
      output_index: number;
      content_index?: number;
      delta: string;
    }
  | { type: 'response.output_text.done'; item_id?: string; output_index: number; content_index?: number; text: string }
  | { type: 'response.refusal.delta'; item_id?: string; output_index: number; delta: string }
  | { type: 'response.function_call_arguments.delta'; item_id?: string; output_index: number; delta: string }
  | { type: 'response.function_call_arguments.done'; item_id?: string; output_index: number; arguments: string }
  | { type: 'response.reasoning_summary_part.added'; item_id?: string; output_index: number; summary_index: number }
  | {
      type: 'response.reasoning_summary_text.delta';
      item_id?: string;
      output_index: number;
      summary_index: number;
      delta: string;
    }
  | {
      type: 'response.reasoning_summary_text.done';
      item_id?: string;
      output_index: number;
      summary_index: number;
      text: string;
    }
  | {
      type: 'response.reasoning_text.delta';
      item_id?: string;
      output_index: number;
      content_index?: number;
      delta: string;
    }
  | { type: 'response.completed'; response: CodexResponseObject }
  | { type: 'response.incomplete'; response: CodexResponseObject }
  | { type: 'response.failed'; response: CodexResponseObject }
  | {
      type: 'error';
      code?: string;
      message?: string;
      param?: string;
      error?: { code?: string; message?: string; type?: string };
    }
  | { type: 'codex.rate_limits'; [k: string]: unknown };

/** One entry of GET {backend}/codex/models. `supported_reasoning_levels` comes as strings or {effort}. */
export interface CodexModelInfo {
  slug: string;
  display_name?: string;
  visibility?: 'list' | 'hide' | string;
  context_window?: number | null;
  max_context_window?: number | null;
  auto_compact_token_limit?: number | null;
  default_reasoning_level?: string;
  supported_reasoning_levels?: Array<string | { effort: string; description?: string }>;
  input_modalities?: string[];
  supports_parallel_tool_calls?: boolean;
  supports_reasoning_summary_parameter?: boolean;
  description?: string;
  /** Lower is more prominent; the backend's own ordering of its catalog. */
  priority?: number;
  /** The list hides the model from clients older than this (`?client_version=`). */
  minimal_client_version?: string;
  /** Tiers a request may ask for with `service_tier` (e.g. `priority`, shown as "Fast"). */
  service_tiers?: Array<{ id: string; name?: string; description?: string }>;
  available_in_plans?: string[];
}
