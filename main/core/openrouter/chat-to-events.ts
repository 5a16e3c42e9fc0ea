// OpenAI chat.completion.chunk objects (as OpenRouter streams them) → Anthropic StreamEvents.
// Text streams live. Tool calls are collected and emitted, complete, when the turn finishes:
// providers behind OpenRouter do not all send one call after the other, and the Anthropic
// grammar allows one open block at a time, so buffering is what keeps every stream valid.
import type { StopReason, StreamEvent, Usage } from '../../../shared/anthropic.js';
import type { UpstreamFailure } from '../upstream/failure.js';
import type { ToolNameMap } from '../translate/tools.js';
import { messageStart } from '../translate/message-start.js';
import { anthropicUsageFromChat, stopReasonFromFinish } from '../openai/mapping.js';
import type { ChatCompletionChunk, ChatUsage } from '../openai/types.js';
import { failureFromChunkError, openRouterFailure } from './errors.js';

export interface ChatEventsOptions {
  /** The model id the client asked for, reported back verbatim. */
  model: string;
  messageId: string;
  toolNames?: ToolNameMap;
}

interface PendingCall {
  id: string;
  name: string;
  args: string;
}

const ZERO_USAGE: Usage = {
  input_tokens: 0,
  output_tokens: 0,
  cache_creation_input_tokens: 0,
  cache_read_input_tokens: 0,
};

function argumentsJson(args: string): string {
  try {
    const parsed: unknown = JSON.parse(args);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return args;
  } catch {
    // fall through: a tool input must be an object, and a broken one cannot be repaired here
  }
  return '{}';
}

export class ChatToEventsTranslator {
  private nextIndex = 0;
  private openText: number | null = null;
  private readonly calls = new Map<number, PendingCall>();
  private finishReason: string | null = null;
  private usage: ChatUsage | null = null;
  private callsFlushed = false;
  private toolBlocks = 0;
  private terminal = false;
  private failed: UpstreamFailure | null = null;

  constructor(private readonly opts: ChatEventsOptions) {}

  /** message_stop or an error event was produced; nothing follows. */
  get done(): boolean {
    return this.terminal;
  }

  get failure(): UpstreamFailure | null {
    return this.failed;
  }

  /** Whether any content block was started (after that, a failure cannot be retried elsewhere). */
  get emittedContent(): boolean {
    return this.nextIndex > 0;
  }

  start(): StreamEvent[] {
    return [messageStart(this.opts.messageId, this.opts.model, { ...ZERO_USAGE })];
  }

  push(chunk: ChatCompletionChunk): StreamEvent[] {
    if (this.terminal) return [];
    if (chunk.error) return this.fail(failureFromChunkError(chunk.error));
    if (chunk.usage) this.usage = chunk.usage;
    const out: StreamEvent[] = [];
    for (const choice of chunk.choices ?? []) {
      if (choice.index !== 0) continue;
      const { delta } = choice;
      if (typeof delta?.content === 'string' && delta.content) out.push(...this.text(delta.content));
      for (const d of delta?.tool_calls ?? []) {
        const call = this.calls.get(d.index) ?? { id: '', name: '', args: '' };
        this.calls.set(d.index, call);
        if (d.id && !call.id) call.id = d.id;
        if (d.function?.name && !call.name) call.name = d.function.name;
        if (d.function?.arguments) call.args += d.function.arguments;
      }
      if (choice.finish_reason === 'error')
        return [...out, ...this.fail(openRouterFailure('api_error', 'the model stopped with an error'))];
      if (choice.finish_reason) {
        this.finishReason = choice.finish_reason;
        out.push(...this.closeText(), ...this.flushCalls());
      }
    }
    return out;
  }

  /**
   * The stream ended: `sawDone` for `data: [DONE]`, false for a bare EOF. A stream cut before any
   * finish_reason or [DONE] did not complete, and is reported as a failure.
   */
  end(sawDone: boolean): StreamEvent[] {
    if (this.terminal) return [];
    if (!sawDone && this.finishReason === null)
      return this.fail(openRouterFailure('api_error', 'the stream ended before the response was complete'));
    const events: StreamEvent[] = [...this.closeText(), ...this.flushCalls()];
    const stop: StopReason = stopReasonFromFinish(this.finishReason, this.toolBlocks > 0) ?? 'end_turn';
    events.push(
      {
        type: 'message_delta',
        delta: { stop_reason: stop, stop_sequence: null },
        usage: this.usage ? anthropicUsageFromChat(this.usage) : { ...ZERO_USAGE },
      },
      { type: 'message_stop' },
    );
    this.terminal = true;
    return events;
  }

  /** Closes what is open and ends the stream with an Anthropic `error` event. */
  fail(failure: UpstreamFailure): StreamEvent[] {
    if (this.terminal) return [];
    this.failed = failure;
    this.terminal = true;
    return [...this.closeText(), { type: 'error', error: { type: failure.errorType, message: failure.message } }];
  }

  private text(text: string): StreamEvent[] {
    const out: StreamEvent[] = [];
    if (this.openText === null) {
      this.openText = this.nextIndex++;
      out.push({ type: 'content_block_start', index: this.openText, content_block: { type: 'text', text: '' } });
    }
    out.push({ type: 'content_block_delta', index: this.openText, delta: { type: 'text_delta', text } });
    return out;
  }

  private closeText(): StreamEvent[] {
    if (this.openText === null) return [];
    const index = this.openText;
    this.openText = null;
    return [{ type: 'content_block_stop', index }];
  }

  private flushCalls(): StreamEvent[] {
    if (this.callsFlushed) return [];
    this.callsFlushed = true;
    const out: StreamEvent[] = [];
    for (const [position, call] of [...this.calls.entries()].sort(([a], [b]) => a - b)) {
      // A call whose name never arrived cannot be run by the client.
      if (!call.name) continue;
      const index = this.nextIndex++;
      this.toolBlocks++;
      const name = this.opts.toolNames ? this.opts.toolNames.fromUpstream(call.name) : call.name;
      out.push(
        {
          type: 'content_block_start',
          index,
          content_block: {
            type: 'tool_use',
            id: call.id || `call_${this.opts.messageId}_${position}`,
            name,
            input: {},
          },
        },
        {
          type: 'content_block_delta',
          index,
          delta: { type: 'input_json_delta', partial_json: argumentsJson(call.args) },
        },
        { type: 'content_block_stop', index },
      );
    }
    return out;
  }
}
