// The backend asks clients to echo `x-codex-turn-state` on every request of the same turn (the
// tool-result follow-ups) and to drop it when a new user turn starts.
import type { MessagesRequest } from '../../../shared/anthropic.js';
import { isRecord } from '../translate/guards.js';

const MAX_SESSIONS = 1000;

/** A request continues the current turn when its last message only carries tool results. */
export function continuesTurn(req: MessagesRequest): boolean {
  const last = req.messages.at(-1);
  if (!last || last.role !== 'user' || typeof last.content === 'string') return false;
  // Client content is untrusted: a null or non-object entry simply does not count as a block.
  const types = last.content.map((b) => (isRecord(b) ? b.type : undefined));
  return types.includes('tool_result') && types.every((t) => t === 'tool_result' || t === 'text');
}

export class TurnStates {
  private readonly bySession = new Map<string, string>();

  forRequest(sessionId: string | undefined, req: MessagesRequest): string | undefined {
    if (!sessionId) return undefined;
    if (!continuesTurn(req)) {
      this.bySession.delete(sessionId);
      return undefined;
    }
    return this.bySession.get(sessionId);
  }

  remember(sessionId: string | undefined, value: string | null): void {
    if (!sessionId || !value) return;
    this.bySession.delete(sessionId);
    this.bySession.set(sessionId, value);
    if (this.bySession.size > MAX_SESSIONS) this.bySession.delete(this.bySession.keys().next().value as string);
  }
}
