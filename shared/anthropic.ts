// Anthropic Messages API wire types, as Claude Code and the official SDK speak them.
// Request types are deliberately loose (unknown keys allowed): we must never reject a field
// we do not understand, because a 400 sends Claude Code into a feature-stripping retry ladder.

export type CacheControl = { type: 'ephemeral'; ttl?: string };

export interface TextBlock {
  type: 'text';
  text: string;
  cache_control?: CacheControl;
  citations?: unknown;
}

export type ImageSource = { type: 'base64'; media_type: string; data: string } | { type: 'url'; url: string };

export interface ImageBlock {
  type: 'image';
  source: ImageSource;
  cache_control?: CacheControl;
}

export type DocumentSource =
  | { type: 'base64'; media_type: string; data: string }
  | { type: 'url'; url: string }
  | { type: 'text'; media_type?: string; data: string }
  | { type: 'content'; content: string | Array<TextBlock | ImageBlock> };

export interface DocumentBlock {
  type: 'document';
  source: DocumentSource;
  title?: string;
  cache_control?: CacheControl;
}

export interface ToolUseBlock {
  type: 'tool_use';
  id: string;
  name: string;
  input: unknown;
  cache_control?: CacheControl;
}

export interface ToolReferenceBlock {
  type: 'tool_reference';
  tool_name: string;
}

export type ToolResultContent = string | Array<TextBlock | ImageBlock | DocumentBlock | ToolReferenceBlock>;

export interface ToolResultBlock {
  type: 'tool_result';
  tool_use_id: string;
  content?: ToolResultContent;
  is_error?: boolean;
  cache_control?: CacheControl;
}

export interface ThinkingBlock {
  type: 'thinking';
  thinking: string;
  signature: string;
}

export interface RedactedThinkingBlock {
  type: 'redacted_thinking';
  data: string;
}

export interface ServerToolUseBlock {
  type: 'server_tool_use';
  id: string;
  name: string;
  input: unknown;
}

export interface WebSearchResult {
  type: 'web_search_result';
  url: string;
  title: string;
  encrypted_content?: string;
  page_age?: string | null;
}

export interface WebSearchToolResultBlock {
  type: 'web_search_tool_result';
  tool_use_id: string;
  content: WebSearchResult[] | { type: 'web_search_tool_result_error'; error_code: string };
}

export type RequestContentBlock =
  | TextBlock
  | ImageBlock
  | DocumentBlock
  | ToolUseBlock
  | ToolResultBlock
  | ThinkingBlock
  | RedactedThinkingBlock
  | ServerToolUseBlock
  | WebSearchToolResultBlock
  | ToolReferenceBlock;

export interface MessageParam {
  role: 'user' | 'assistant' | 'system';
  content: string | RequestContentBlock[];
}

export interface CustomTool {
  type?: 'custom';
  name: string;
  description?: string;
  input_schema: Record<string, unknown>;
  cache_control?: CacheControl;
  defer_loading?: boolean;
}

export interface ServerTool {
  type: string; // e.g. web_search_20250305
  name: string;
  max_uses?: number;
  allowed_domains?: string[];
  blocked_domains?: string[];
  user_location?: Record<string, unknown>;
}

export type ToolDefinition = CustomTool | ServerTool;

export type ToolChoice =
  | { type: 'auto'; disable_parallel_tool_use?: boolean }
  | { type: 'any'; disable_parallel_tool_use?: boolean }
  | { type: 'tool'; name: string; disable_parallel_tool_use?: boolean }
  | { type: 'none' };

export type ThinkingConfig =
  | { type: 'enabled'; budget_tokens?: number; display?: string }
  | { type: 'adaptive'; display?: 'omitted' | 'updates' | string }
  | { type: 'disabled' };

export interface MessagesRequest {
  model: string;
  messages: MessageParam[];
  system?: string | TextBlock[];
  max_tokens?: number;
  tools?: ToolDefinition[];
  tool_choice?: ToolChoice;
  thinking?: ThinkingConfig;
  output_config?: { effort?: string; [k: string]: unknown };
  metadata?: { user_id?: string; [k: string]: unknown };
  stream?: boolean;
  stop_sequences?: string[];
  temperature?: number;
  top_p?: number;
  top_k?: number;
  context_management?: unknown;
  [key: string]: unknown;
}

// ---- responses ----

export type StopReason = 'end_turn' | 'max_tokens' | 'stop_sequence' | 'tool_use' | 'pause_turn' | 'refusal';

export interface Usage {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
  server_tool_use?: { web_search_requests: number };
  /** Of output_tokens, those spent on reasoning (the SDK's OutputTokensDetails; Claude Code's thinking_tokens). */
  output_tokens_details?: { thinking_tokens: number } | null;
  /** `priority` when fast mode ran on the priority tier. */
  service_tier?: 'standard' | 'priority' | 'batch' | null;
  speed?: 'standard' | 'fast' | null;
}

export type ResponseContentBlock =
  | { type: 'text'; text: string; citations?: unknown[] | null }
  | { type: 'thinking'; thinking: string; signature: string }
  | { type: 'redacted_thinking'; data: string }
  | { type: 'tool_use'; id: string; name: string; input: unknown }
  | { type: 'server_tool_use'; id: string; name: string; input: unknown }
  | WebSearchToolResultBlock;

export interface Message {
  id: string;
  type: 'message';
  role: 'assistant';
  model: string;
  content: ResponseContentBlock[];
  stop_reason: StopReason | null;
  stop_sequence: string | null;
  usage: Usage;
}

export type ContentDelta =
  | { type: 'text_delta'; text: string }
  | { type: 'thinking_delta'; thinking: string }
  | { type: 'signature_delta'; signature: string }
  | { type: 'input_json_delta'; partial_json: string }
  | { type: 'citations_delta'; citation: unknown };

export type ErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'permission_error'
  | 'not_found_error'
  | 'request_too_large'
  | 'rate_limit_error'
  | 'api_error'
  | 'overloaded_error';

export interface ErrorBody {
  type: 'error';
  error: { type: ErrorType; message: string };
  request_id?: string;
}

export type StreamEvent =
  | { type: 'message_start'; message: Message }
  | { type: 'ping' }
  | { type: 'content_block_start'; index: number; content_block: ResponseContentBlock }
  | { type: 'content_block_delta'; index: number; delta: ContentDelta }
  | { type: 'content_block_stop'; index: number }
  | {
      type: 'message_delta';
      delta: { stop_reason: StopReason | null; stop_sequence: string | null };
      usage: Partial<Usage> & { output_tokens: number };
    }
  | { type: 'message_stop' }
  | { type: 'error'; error: { type: ErrorType; message: string } };

export const ERROR_STATUS: Record<ErrorType, number> = {
  invalid_request_error: 400,
  authentication_error: 401,
  permission_error: 403,
  not_found_error: 404,
  request_too_large: 413,
  rate_limit_error: 429,
  api_error: 500,
  overloaded_error: 529,
};
