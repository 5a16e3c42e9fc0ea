// The test-prompt view's model: fold Anthropic stream events into what the view shows.
import type { MessagesRequest, StopReason, StreamEvent, Usage } from '../../../shared/anthropic.js';
import { apiErrorFrom, errorText } from './errors.js';
import { readSse } from './sse.js';

export interface PromptUsage {
  input: number;
  cached: number;
  output: number;
}

export interface PromptResult {
  model: string | null;
  text: string;
  thinking: string;
  stopReason: StopReason | null;
  usage: PromptUsage | null;
  error: string | null;
  /** message_stop (or a terminal error) was seen. */
  finished: boolean;
}

export const EMPTY_RESULT: PromptResult = {
  model: null,
  text: '',
  thinking: '',
  stopReason: null,
  usage: null,
  error: null,
  finished: false,
};

function mergeUsage(current: PromptUsage | null, usage: Partial<Usage>): PromptUsage {
  const base = current ?? { input: 0, cached: 0, output: 0 };
  return {
    input: usage.input_tokens ?? base.input,
    cached: usage.cache_read_input_tokens ?? base.cached,
    output: usage.output_tokens ?? base.output,
  };
}

/** Pure reducer: the result after one more stream event. */
export function applyStreamEvent(result: PromptResult, event: StreamEvent): PromptResult {
  switch (event.type) {
    case 'message_start':
      return { ...result, model: event.message.model, usage: mergeUsage(result.usage, event.message.usage) };
    case 'content_block_delta':
      if (event.delta.type === 'text_delta') return { ...result, text: result.text + event.delta.text };
      if (event.delta.type === 'thinking_delta') return { ...result, thinking: result.thinking + event.delta.thinking };
      return result;
    case 'message_delta':
      return { ...result, stopReason: event.delta.stop_reason, usage: mergeUsage(result.usage, event.usage) };
    case 'message_stop':
      return { ...result, finished: true };
    case 'error':
      return { ...result, error: event.error.message, finished: true };
    default:
      return result;
  }
}

/**
 * Read a `/v1/messages` response to the end, reporting every intermediate result. Error answers
 * (4xx/5xx with the Anthropic error body) and a stream that ends early become `error`.
 */
export async function readMessageStream(response: Response, onUpdate: (result: PromptResult) => void): Promise<PromptResult> {
  let result = EMPTY_RESULT;
  const update = (next: PromptResult): void => {
    result = next;
    onUpdate(result);
  };
  if (!response.ok || !response.body) {
    const error = apiErrorFrom(response.status, response.statusText, await response.text());
    update({ ...result, error: error.message, finished: true });
    return result;
  }
  try {
    for await (const message of readSse(response.body)) {
      if (message.event === 'ping') continue;
      update(applyStreamEvent(result, JSON.parse(message.data) as StreamEvent));
    }
    if (!result.finished) update({ ...result, error: 'The stream ended before message_stop.', finished: true });
  } catch (error) {
    update({ ...result, error: errorText(error), finished: true });
  }
  return result;
}

/** Answer budget for a dashboard test prompt: enough for a real reply, small enough to stay quick. */
export const TEST_PROMPT_MAX_TOKENS = 4096;

/** The body the test-prompt view sends: one user turn, streamed, with thinking shown if asked for. */
export function buildPromptRequest(model: string, prompt: string, thinking: boolean): MessagesRequest {
  const request: MessagesRequest = {
    model,
    max_tokens: TEST_PROMPT_MAX_TOKENS,
    stream: true,
    messages: [{ role: 'user', content: prompt }],
  };
  if (thinking) request.thinking = { type: 'adaptive', display: 'updates' };
  return request;
}
