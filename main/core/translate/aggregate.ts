// Builds the non-streaming Anthropic `Message` from the same StreamEvents the streaming path sends,
// so Claude Code's non-streaming fallback gets exactly the answer a stream would have produced.
// Accumulation follows the official SDK's MessageStream: deltas extend the block at their index,
// a signature_delta replaces the signature, message_delta usage replaces the start values.
import type { ErrorType, Message, ResponseContentBlock, StreamEvent } from '../../../shared/anthropic.js';

type ToolBlock = Extract<ResponseContentBlock, { type: 'tool_use' | 'server_tool_use' }>;

function isToolBlock(block: ResponseContentBlock | undefined): block is ToolBlock {
  return block?.type === 'tool_use' || block?.type === 'server_tool_use';
}

/** Tool input arrives as JSON text in pieces; a piece list that does not parse to an object yields `{}`. */
function parseToolInput(json: string): unknown {
  if (!json.trim()) return {};
  try {
    const value: unknown = JSON.parse(json);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : {};
  } catch {
    return {};
  }
}

export class MessageAccumulator {
  private snapshot: Message | null = null;
  private readonly toolJson = new Map<number, string>();
  private failure: { type: ErrorType; message: string } | null = null;

  /** Set when the stream carried an `error` event; the message is then incomplete. */
  get error(): { type: ErrorType; message: string } | null {
    return this.failure;
  }

  push(ev: StreamEvent): void {
    switch (ev.type) {
      case 'message_start':
        this.snapshot = structuredClone(ev.message);
        return;
      case 'content_block_start':
        this.content()[ev.index] = structuredClone(ev.content_block);
        if (isToolBlock(ev.content_block)) this.toolJson.set(ev.index, '');
        return;
      case 'content_block_delta':
        this.applyDelta(ev.index, ev.delta);
        return;
      case 'content_block_stop': {
        const block = this.content()[ev.index];
        if (isToolBlock(block)) block.input = parseToolInput(this.toolJson.get(ev.index) ?? '');
        return;
      }
      case 'message_delta': {
        const message = this.require();
        message.stop_reason = ev.delta.stop_reason;
        message.stop_sequence = ev.delta.stop_sequence;
        message.usage = { ...message.usage, ...ev.usage };
        return;
      }
      case 'error':
        this.failure = { ...ev.error };
        return;
      default:
      // ping and message_stop change nothing.
    }
  }

  message(): Message {
    return structuredClone(this.require());
  }

  private applyDelta(index: number, delta: Extract<StreamEvent, { type: 'content_block_delta' }>['delta']): void {
    const block = this.content()[index];
    if (!block) return;
    if (delta.type === 'text_delta' && block.type === 'text') block.text += delta.text;
    else if (delta.type === 'thinking_delta' && block.type === 'thinking') block.thinking += delta.thinking;
    else if (delta.type === 'signature_delta' && block.type === 'thinking') block.signature = delta.signature;
    else if (delta.type === 'input_json_delta' && isToolBlock(block))
      this.toolJson.set(index, (this.toolJson.get(index) ?? '') + delta.partial_json);
    else if (delta.type === 'citations_delta' && block.type === 'text')
      block.citations = [...(block.citations ?? []), delta.citation];
  }

  private content(): ResponseContentBlock[] {
    return this.require().content;
  }

  private require(): Message {
    if (!this.snapshot) throw new Error('MessageAccumulator: no message_start received');
    return this.snapshot;
  }
}
