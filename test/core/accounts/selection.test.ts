import { describe, expect, it } from 'vitest';
import { chooseAccount, type Candidate, type SelectionInput } from '../../../main/core/accounts/selection.js';

const a: Candidate = { id: 'a', headroom: 20, nextReset: 500, lastUsed: 1 };
const b: Candidate = { id: 'b', headroom: 90, nextReset: null, lastUsed: 2 };
const c: Candidate = { id: 'c', headroom: 90, nextReset: 100, lastUsed: 3 };
const base: SelectionInput = { strategy: 'sticky', preferred: null, sessionAccount: null, lastRoundRobin: null, order: ['a', 'b', 'c'] };

describe('account selection', () => {
  it('sticky keeps a session on its account while usable, new sessions go where there is room', () => {
    expect(chooseAccount([a, b, c], { ...base, sessionAccount: 'a' })?.id).toBe('a');
    expect(chooseAccount([b, c], { ...base, sessionAccount: 'a' })?.id).toBe('c');
  });

  it('least-used ranks by headroom, then the soonest reset, then least recently used', () => {
    expect(chooseAccount([a, b, c], { ...base, strategy: 'least-used' })?.id).toBe('c');
    expect(chooseAccount([a, { ...b, nextReset: 100 }, c], { ...base, strategy: 'least-used' })?.id).toBe('b');
  });

  it('round-robin walks the ring, skipping accounts that are not usable', () => {
    const rr = { ...base, strategy: 'round-robin' as const };
    expect(chooseAccount([a, b, c], rr)?.id).toBe('a');
    expect(chooseAccount([a, b, c], { ...rr, lastRoundRobin: 'a' })?.id).toBe('b');
    expect(chooseAccount([a, b, c], { ...rr, lastRoundRobin: 'c' })?.id).toBe('a');
    expect(chooseAccount([a, c], { ...rr, lastRoundRobin: 'a' })?.id).toBe('c');
  });

  it('a usable preferred account wins over every strategy', () => {
    for (const strategy of ['sticky', 'round-robin', 'least-used'] as const) {
      expect(chooseAccount([a, b, c], { ...base, strategy, preferred: 'a', sessionAccount: 'b' })?.id).toBe('a');
    }
    expect(chooseAccount([b, c], { ...base, preferred: 'a' })?.id).toBe('c');
    expect(chooseAccount([], base)).toBeNull();
  });
});
