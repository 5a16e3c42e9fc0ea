// Anthropic StreamEvents → OpenAI chat.completion.chunk objects, and those chunks folded into one
// chat.completion for non-streaming calls, so both answers come from the same translation.
// Thinking text is exposed as `reasoning_content` (the DeepSeek/OpenRouter convention); clients
// that do not know the field ignore it. Signatures never leave the proxy on this endpoint.
import { ERROR_STATUS, type StreamEvent, type Usage } from '../../../shared/anthropic.js';
import { chatErrorBody } from './errors.js';
import { chatUsageFromAnthropic, finishReasonFromStop } from './mapping.js';
import type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatDelta,
  ChatErrorBody,
  ChatToolCall,
  ChatUsage,
  FinishReason,
} from './types.js';

export interface ChatStreamOptions {
  /** `chatcmpl-…`, the same on every chunk. */
  id: string;
  /** The model id the client asked for, reported back verbatim. */
  model: string;
  /** Unix seconds. */
  created: number;
  /** `stream_options.include_usage`: a last chunk with `choices: []` and the usage. */
  includeUsage: boolean;
}

export type ChatStreamPart =
  | { kind: 'chunk'; chunk: ChatCompletionChunk }
  /** The stream failed after it started: send `body` as the last event, then close. */
  | { kind: 'error'; status: number; body: ChatErrorBody };

/** `done` after message_stop, `failed` after an error event; either way later events are ignored. */
export type ChatStreamState = 'open' | 'done' | 'failed';

export class ChatChunkTranslator {
  private readonly toolCallOfBlock = new Map<number, number>();
  private toolCalls = 0;
  private usage: Partial<Usage> = {};
  private finished = false;
  private current: ChatStreamState = 'open';

  constructor(private readonly opts: ChatStreamOptions) {}

  get state(): ChatStreamState {
    return this.current;
  }

  push(ev: StreamEvent): ChatStreamPart[] {
    if (this.current !== 'open') return [];
    switch (ev.type) {
      case 'message_start':
        this.usage = { ...ev.message.usage };
        return [this.chunk({ role: 'assistant', content: '' })];
      case 'content_block_start':
        if (ev.content_block.type !== 'tool_use') return [];
        this.toolCallOfBlock.set(ev.index, this.toolCalls);
        return [
          this.chunk({
            tool_calls: [{ index: this.toolCalls++, id: ev.content_block.id, type: 'function', function: { name: ev.content_block.name, arguments: '' } }],
          }),
        ];
      case 'content_block_delta':
        return this.delta(ev.index, ev.delta);
      case 'message_delta':
        this.usage = { ...this.usage, ...ev.usage };
        return [this.finish(finishReasonFromStop(ev.delta.stop_reason))];
      case 'message_stop': {
        this.current = 'done';
        const parts = this.finished ? [] : [this.finish('stop')];
        if (this.opts.includeUsage) parts.push({ kind: 'chunk', chunk: { ...this.base(), choices: [], usage: chatUsageFromAnthropic(this.usage) } });
        return parts;
      }
      case 'error':
        this.current = 'failed';
        return [{ kind: 'error', status: ERROR_STATUS[ev.error.type] ?? 500, body: chatErrorBody(ev.error.type, ev.error.message) }];
      default:
        return [];
    }
  }

  private delta(index: number, delta: Extract<StreamEvent, { type: 'content_block_delta' }>['delta']): ChatStreamPart[] {
    switch (delta.type) {
      case 'text_delta':
        return delta.text ? [this.chunk({ content: delta.text })] : [];
      case 'thinking_delta':
        return delta.thinking ? [this.chunk({ reasoning_content: delta.thinking })] : [];
      case 'input_json_delta': {
        const call = this.toolCallOfBlock.get(index);
        if (call === undefined || !delta.partial_json) return [];
        return [this.chunk({ tool_calls: [{ index: call, function: { arguments: delta.partial_json } }] })];
      }
      default:
        return [];
    }
  }

  private finish(reason: FinishReason): ChatStreamPart {
    this.finished = true;
    return { kind: 'chunk', chunk: { ...this.base(), choices: [{ index: 0, delta: {}, finish_reason: reason, logprobs: null }], ...this.nullUsage() } };
  }

  private chunk(delta: ChatDelta): ChatStreamPart {
    return { kind: 'chunk', chunk: { ...this.base(), choices: [{ index: 0, delta, finish_reason: null, logprobs: null }], ...this.nullUsage() } };
  }

  private base(): Omit<ChatCompletionChunk, 'choices'> {
    return { id: this.opts.id, object: 'chat.completion.chunk', created: this.opts.created, model: this.opts.model };
  }

  /** OpenAI marks every chunk but the last with `usage: null` when usage was asked for. */
  private nullUsage(): { usage?: null } {
    return this.opts.includeUsage ? { usage: null } : {};
  }
}

/** Folds chunks into the non-streaming `chat.completion` object. */
export class ChatCompletionAccumulator {
  private content = '';
  private reasoning = '';
  private readonly calls: ChatToolCall[] = [];
  private finishReason: FinishReason = 'stop';
  private usage: ChatUsage = { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 };
  private id = '';
  private model = '';
  private created = 0;

  push(chunk: ChatCompletionChunk): void {
    ({ id: this.id, model: this.model, created: this.created } = chunk);
    if (chunk.usage) this.usage = chunk.usage;
    for (const choice of chunk.choices) {
      const { delta } = choice;
      if (delta.content) this.content += delta.content;
      if (delta.reasoning_content) this.reasoning += delta.reasoning_content;
      for (const d of delta.tool_calls ?? []) {
        const call = (this.calls[d.index] ??= { id: '', type: 'function', function: { name: '', arguments: '' } });
        if (d.id) call.id = d.id;
        if (d.function?.name) call.function.name = d.function.name;
        if (d.function?.arguments) call.function.arguments += d.function.arguments;
      }
      if (choice.finish_reason) this.finishReason = choice.finish_reason as FinishReason;
    }
  }

  completion(): ChatCompletion {
    const calls = this.calls.filter(Boolean);
    return {
      id: this.id,
      object: 'chat.completion',
      created: this.created,
      model: this.model,
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            // OpenAI answers a pure tool call with `content: null`.
            content: this.content || (calls.length ? null : ''),
            refusal: null,
            ...(calls.length ? { tool_calls: calls } : {}),
            ...(this.reasoning ? { reasoning_content: this.reasoning } : {}),
          },
          finish_reason: this.finishReason,
          logprobs: null,
        },
      ],
      usage: this.usage,
    };
  }
}
