// Field-level Anthropic ⇄ OpenAI Chat conversions, each in both directions, shared by the
// /v1/chat/completions front end and the OpenRouter lane so the two can never disagree.
import type { ImageSource, StopReason, ToolChoice, Usage } from '../../../shared/anthropic.js';
import type { ChatToolChoice, ChatUsage, FinishReason } from './types.js';

// ---- images ----

const DATA_URL = /^data:([^;,]+)(?:;[^,]*)?;base64,(.*)$/s;

export function imageSourceFromUrl(url: string): ImageSource {
  const m = DATA_URL.exec(url);
  return m ? { type: 'base64', media_type: m[1], data: m[2] } : { type: 'url', url };
}

export function imageUrlFromSource(source: ImageSource): string {
  return source.type === 'base64' ? `data:${source.media_type};base64,${source.data}` : source.url;
}

// ---- stop / finish reasons ----

export function finishReasonFromStop(stop: StopReason | null): FinishReason {
  switch (stop) {
    case 'max_tokens':
      return 'length';
    case 'tool_use':
      return 'tool_calls';
    case 'refusal':
      return 'content_filter';
    default:
      // end_turn, stop_sequence, pause_turn: the turn ended normally as far as a chat client knows.
      return 'stop';
  }
}

/** `null` for reasons that are not a normal end (OpenRouter's `error`), which the caller handles. */
export function stopReasonFromFinish(finish: string | null | undefined, sawToolCall: boolean): StopReason | null {
  switch (finish) {
    case 'length':
      return 'max_tokens';
    case 'tool_calls':
    case 'function_call':
      // Without a usable call there is nothing for the client to run.
      return sawToolCall ? 'tool_use' : 'end_turn';
    case 'content_filter':
      return 'refusal';
    case 'error':
      return null;
    default:
      // Several providers say `stop` after tool calls; the calls are what the client must act on.
      return sawToolCall ? 'tool_use' : 'end_turn';
  }
}

// ---- usage ----

/** Anthropic counts cached input apart; OpenAI's prompt_tokens include it. */
export function chatUsageFromAnthropic(usage: Partial<Usage>): ChatUsage {
  const cached = usage.cache_read_input_tokens ?? 0;
  const prompt = (usage.input_tokens ?? 0) + cached + (usage.cache_creation_input_tokens ?? 0);
  const completion = usage.output_tokens ?? 0;
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: { cached_tokens: cached },
  };
}

export function anthropicUsageFromChat(usage: ChatUsage): Usage {
  const cached = usage.prompt_tokens_details?.cached_tokens ?? 0;
  return {
    input_tokens: Math.max(0, (usage.prompt_tokens ?? 0) - cached),
    output_tokens: usage.completion_tokens ?? 0,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: cached,
  };
}

// ---- tool choice ----

/** `parallelToolCalls:false` is carried by Anthropic inside tool_choice. */
export function anthropicToolChoiceFromChat(choice: ChatToolChoice | undefined, parallelToolCalls: boolean | undefined): ToolChoice | undefined {
  const disable = parallelToolCalls === false ? { disable_parallel_tool_use: true } : {};
  if (choice === 'none') return { type: 'none' };
  if (choice === 'required') return { type: 'any', ...disable };
  if (typeof choice === 'object' && choice?.function?.name) return { type: 'tool', name: choice.function.name, ...disable };
  if (choice === 'auto' || parallelToolCalls === false) return { type: 'auto', ...disable };
  return undefined;
}

export function chatToolChoiceFromAnthropic(
  choice: ToolChoice | undefined,
  upstreamName: (name: string) => string = (n) => n,
): { tool_choice?: ChatToolChoice; parallel_tool_calls?: boolean } {
  if (!choice) return {};
  const parallel = 'disable_parallel_tool_use' in choice && choice.disable_parallel_tool_use ? { parallel_tool_calls: false } : {};
  switch (choice.type) {
    case 'none':
      return { tool_choice: 'none' };
    case 'any':
      return { tool_choice: 'required', ...parallel };
    case 'tool':
      return { tool_choice: { type: 'function', function: { name: upstreamName(choice.name) } }, ...parallel };
    default:
      return { tool_choice: 'auto', ...parallel };
  }
}
