import { describe, expect, it } from 'vitest';
import { continuesTurn, TurnStates } from '../../../main/core/upstream/turn-state.js';
import type { MessagesRequest } from '../../../shared/anthropic.js';

const req = (content: unknown): MessagesRequest => ({
  model: 'm',
  messages: [{ role: 'user', content: content as never }],
});
const result = { type: 'tool_result', tool_use_id: 'call_1', content: 'ok' };

describe('turn state', () => {
  it('continues a turn only when the last user message carries tool results', () => {
    expect(continuesTurn(req([result]))).toBe(true);
    expect(continuesTurn(req([result, { type: 'text', text: 'Tool loaded.' }]))).toBe(true);
    expect(continuesTurn(req('a new question'))).toBe(false);
    expect(continuesTurn(req([{ type: 'text', text: 'a new question' }]))).toBe(false);
  });

  it('treats malformed blocks as not a tool result instead of throwing', () => {
    expect(continuesTurn(req([null]))).toBe(false);
    expect(continuesTurn(req([result, null, 7]))).toBe(false);
  });

  it('replays within a turn and forgets at a new one', () => {
    const states = new TurnStates();
    states.remember('s1', 'acct-a', 'ts_a');
    expect(states.get('s1', 'acct-a')).toBe('ts_a');
    states.startTurn('s1');
    expect(states.get('s1', 'acct-a')).toBeUndefined();
    expect(states.get(undefined, 'acct-a')).toBeUndefined();
  });

  it('keeps the first value of a turn and belongs to the account that issued it', () => {
    const states = new TurnStates();
    states.remember('s1', 'acct-a', 'ts_first');
    states.remember('s1', 'acct-a', 'ts_second');
    expect(states.get('s1', 'acct-a')).toBe('ts_first');
    expect(states.get('s1', 'acct-b')).toBeUndefined();
    states.remember('s1', 'acct-b', 'ts_b');
    expect(states.get('s1', 'acct-b')).toBe('ts_b');
  });
});
