// Which usable account serves the next request. Pure: the pool supplies the usable candidates
// (in the store's order) and remembers what is returned.
import type { SelectionStrategy } from '../../../shared/api.js';

export interface Candidate {
  id: string;
  /** Percent left in the account's tightest quota window. */
  headroom: number;
  /** Unix seconds of its soonest quota reset, if known. */
  nextReset: number | null;
  /** Unix ms when it was last handed out (0 = never). */
  lastUsed: number;
}

export interface SelectionInput {
  strategy: SelectionStrategy;
  /** Set with `accounts switch`: wins whenever it is usable. */
  preferred: string | null;
  /** The account this session used last (sticky). */
  sessionAccount: string | null;
  /** The account round-robin handed out last. */
  lastRoundRobin: string | null;
  /** Every account id in store order, usable or not (round-robin walks this ring). */
  order: readonly string[];
}

/** Most headroom first, then the soonest reset (its quota comes back first), then least recently used. */
export function byLeastUsed(a: Candidate, b: Candidate): number {
  if (a.headroom !== b.headroom) return b.headroom - a.headroom;
  const ra = a.nextReset ?? Number.POSITIVE_INFINITY;
  const rb = b.nextReset ?? Number.POSITIVE_INFINITY;
  if (ra !== rb) return ra - rb;
  return a.lastUsed - b.lastUsed;
}

function nextInRing(candidates: Candidate[], input: SelectionInput): Candidate {
  const position = (id: string | null): number => (id === null ? -1 : input.order.indexOf(id));
  const after = position(input.lastRoundRobin);
  const ranked = [...candidates].sort((a, b) => {
    const pa = (position(a.id) - after - 1 + input.order.length) % input.order.length;
    const pb = (position(b.id) - after - 1 + input.order.length) % input.order.length;
    return pa - pb;
  });
  return ranked[0];
}

export function chooseAccount(candidates: Candidate[], input: SelectionInput): Candidate | null {
  if (!candidates.length) return null;
  const usable = (id: string | null): Candidate | undefined => (id ? candidates.find((c) => c.id === id) : undefined);
  const preferred = usable(input.preferred);
  if (preferred) return preferred;
  switch (input.strategy) {
    case 'round-robin':
      return nextInRing(candidates, input);
    case 'least-used':
      return [...candidates].sort(byLeastUsed)[0];
    case 'sticky':
      // A new (or displaced) session goes where there is most room, then stays there.
      return usable(input.sessionAccount) ?? [...candidates].sort(byLeastUsed)[0];
  }
}
