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
    states.remember('s1', 'ts_a');
    expect(states.forRequest('s1', req([result]))).toBe('ts_a');
    expect(states.forRequest('s1', req('next question'))).toBeUndefined();
    expect(states.forRequest('s1', req([result]))).toBeUndefined();
    expect(states.forRequest(undefined, req([result]))).toBeUndefined();
  });
});
