// One open content block at a time, whatever order upstream's output items interleave in.
import type { ContentDelta, ResponseContentBlock, StreamEvent } from '../../../shared/anthropic.js';

export type BlockOp =
  { op: 'start'; block: ResponseContentBlock } | { op: 'delta'; delta: ContentDelta } | { op: 'stop' };

/**
 * The Anthropic grammar allows one open block at a time, while upstream may interleave several
 * output items. Each item writes its own start/delta/stop sequence here; the item owning the open
 * block streams live, every other item's ops wait in arrival order until that block stops.
 */
export class BlockSequencer {
  private nextIndex = 0;
  private owner: object | null = null;
  private readonly queues = new Map<object, BlockOp[]>();

  constructor(private readonly out: (event: StreamEvent) => void) {}

  get started(): boolean {
    return this.nextIndex > 0;
  }

  get openOwner(): object | null {
    return this.owner;
  }

  write(owner: object, op: BlockOp): void {
    const queued = this.queues.get(owner);
    if (queued) queued.push(op);
    else if (this.owner !== null && this.owner !== owner) this.queues.set(owner, [op]);
    else {
      this.emit(owner, op);
      this.drain();
    }
  }

  /** Failure path: stop the open block and forget everything still waiting. */
  abort(): void {
    if (this.owner !== null) this.out({ type: 'content_block_stop', index: this.nextIndex - 1 });
    this.owner = null;
    this.queues.clear();
  }

  private emit(owner: object, op: BlockOp): void {
    switch (op.op) {
      case 'start':
        this.owner = owner;
        this.out({ type: 'content_block_start', index: this.nextIndex++, content_block: op.block });
        return;
      case 'delta':
        this.out({ type: 'content_block_delta', index: this.nextIndex - 1, delta: op.delta });
        return;
      case 'stop':
        this.out({ type: 'content_block_stop', index: this.nextIndex - 1 });
        this.owner = null;
    }
  }

  /** Flushes waiting items in arrival order; an item's ops stay contiguous, so its blocks do too. */
  private drain(): void {
    while (this.owner === null && this.queues.size > 0) {
      const [next, ops] = this.queues.entries().next().value as [object, BlockOp[]];
      this.queues.delete(next);
      for (const op of ops) this.emit(next, op);
    }
  }
}
