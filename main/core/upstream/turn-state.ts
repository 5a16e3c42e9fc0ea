// The backend asks clients to echo `x-codex-turn-state` on every request of the same turn (the
// tool-result follow-ups) and to drop it when a new user turn starts. The value belongs to the
// account that issued it and is set once, from the first response of the turn (docs/FACTS.md,
// "Turn state is set once per turn"): so it is kept per session and account, and a later response
// does not replace it.
import type { MessagesRequest } from '../../../shared/anthropic.js';
import { isRecord } from '../util/guards.js';

const MAX_ENTRIES = 2000;

/** A request continues the current turn when its last message only carries tool results. */
export function continuesTurn(req: MessagesRequest): boolean {
  const last = req.messages.at(-1);
  if (!last || last.role !== 'user' || typeof last.content === 'string') return false;
  // Client content is untrusted: a null or non-object entry simply does not count as a block.
  const types = last.content.map((b) => (isRecord(b) ? b.type : undefined));
  return types.includes('tool_result') && types.every((t) => t === 'tool_result' || t === 'text');
}

export class TurnStates {
  /** session → account tag → turn state. */
  private readonly bySession = new Map<string, Map<string, string>>();

  /** A new user turn forgets what every account issued for the session. */
  startTurn(sessionId: string | undefined): void {
    if (sessionId) this.bySession.delete(sessionId);
  }

  /** The value to echo within a turn: only what this account issued. */
  get(sessionId: string | undefined, account: string): string | undefined {
    return sessionId ? this.bySession.get(sessionId)?.get(account) : undefined;
  }

  remember(sessionId: string | undefined, account: string, value: string | null): void {
    if (!sessionId || !value) return;
    const accounts = this.bySession.get(sessionId) ?? new Map<string, string>();
    if (accounts.has(account)) return;
    accounts.set(account, value);
    // Most recently used last, so the oldest session goes first when the map is full.
    this.bySession.delete(sessionId);
    this.bySession.set(sessionId, accounts);
    if (this.bySession.size > MAX_ENTRIES) this.bySession.delete(this.bySession.keys().next().value as string);
  }
}
