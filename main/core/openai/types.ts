// The OpenAI Chat Completions wire subset we speak, in both roles: as a server
// (/v1/chat/completions) and as a client (the OpenRouter lane). Our own minimal types on purpose:
// the core must not depend on the `openai` package. Requests stay loose (unknown keys allowed).

export interface ChatTextPart {
  type: 'text';
  text: string;
}

export interface ChatImagePart {
  type: 'image_url';
  image_url: { url: string; detail?: string };
}

/** PDF and other files as data URLs (OpenAI and OpenRouter accept this part in user turns). */
export interface ChatFilePart {
  type: 'file';
  file: { filename?: string; file_data?: string; file_id?: string };
}

export type ChatContentPart = ChatTextPart | ChatImagePart | ChatFilePart | { type: string; [k: string]: unknown };

export interface ChatToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

export type ChatMessage =
  | { role: 'system' | 'developer'; content: string | ChatContentPart[]; name?: string }
  | { role: 'user'; content: string | ChatContentPart[]; name?: string }
  | {
      role: 'assistant';
      content?: string | ChatContentPart[] | null;
      tool_calls?: ChatToolCall[];
      refusal?: string | null;
      reasoning_content?: string | null;
      name?: string;
    }
  | { role: 'tool'; tool_call_id: string; content: string | ChatContentPart[] };

export interface ChatFunctionTool {
  type: 'function';
  function: { name: string; description?: string; parameters?: Record<string, unknown>; strict?: boolean | null };
}

export type ChatToolChoice = 'auto' | 'none' | 'required' | { type: 'function'; function: { name: string } };

export interface ChatCompletionRequest {
  model: string;
  messages: ChatMessage[];
  tools?: ChatFunctionTool[];
  tool_choice?: ChatToolChoice;
  parallel_tool_calls?: boolean;
  reasoning_effort?: string;
  response_format?:
    | { type: 'text' }
    | { type: 'json_object' }
    | {
        type: 'json_schema';
        json_schema: { name?: string; schema?: Record<string, unknown>; strict?: boolean | null };
      };
  max_tokens?: number;
  max_completion_tokens?: number;
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
  temperature?: number;
  top_p?: number;
  stop?: string | string[];
  /** OpenRouter extensions. */
  top_k?: number;
  reasoning?: { effort?: 'low' | 'medium' | 'high'; max_tokens?: number; exclude?: boolean };
  [key: string]: unknown;
}

// ---- responses ----

export type FinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter';

export interface ChatUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details?: { cached_tokens?: number } | null;
  completion_tokens_details?: { reasoning_tokens?: number } | null;
}

export interface ChatToolCallDelta {
  index: number;
  id?: string;
  type?: 'function';
  function?: { name?: string; arguments?: string };
}

export interface ChatDelta {
  role?: 'assistant';
  content?: string | null;
  /** Thinking text, in the DeepSeek/OpenRouter convention; OpenAI's own API never sends it. */
  reasoning_content?: string | null;
  /** OpenRouter's name for the same thing. */
  reasoning?: string | null;
  refusal?: string | null;
  tool_calls?: ChatToolCallDelta[];
}

export interface ChatChunkChoice {
  index: number;
  delta: ChatDelta;
  finish_reason: FinishReason | 'error' | string | null;
  logprobs?: null;
}

export interface ChatCompletionChunk {
  id: string;
  object: 'chat.completion.chunk';
  created: number;
  model: string;
  choices: ChatChunkChoice[];
  usage?: ChatUsage | null;
  /** OpenRouter reports failures that happen after the 200 in the chunk itself. */
  error?: { code?: number | string | null; message?: string; [k: string]: unknown };
}

export interface ChatCompletionMessage {
  role: 'assistant';
  content: string | null;
  refusal: string | null;
  tool_calls?: ChatToolCall[];
  reasoning_content?: string;
}

export interface ChatCompletion {
  id: string;
  object: 'chat.completion';
  created: number;
  model: string;
  choices: Array<{ index: number; message: ChatCompletionMessage; finish_reason: FinishReason; logprobs: null }>;
  usage: ChatUsage;
}

/** OpenAI's error envelope, for HTTP error bodies and for the error event of a failed stream. */
export interface ChatErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}
