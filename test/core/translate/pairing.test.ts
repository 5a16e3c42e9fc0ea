import { describe, expect, it } from 'vitest';
import type { InputItem } from '../../../shared/codex.js';
import { pairToolCalls } from '../../../main/core/translate/pairing.js';

const call = (call_id: string): InputItem => ({ type: 'function_call', call_id, name: 'Bash', arguments: '{}' });
const output = (call_id: string, text: string): InputItem => ({ type: 'function_call_output', call_id, output: text });
const user = (text: string): InputItem => ({ type: 'message', role: 'user', content: [{ type: 'input_text', text }] });
const standIn = (call_id: string) => output(call_id, 'No result was returned for this call.');

describe('pairToolCalls', () => {
  it('leaves a well-paired history alone', () => {
    const items = [user('go'), call('a'), call('b'), output('a', '1'), output('b', '2')];
    expect(pairToolCalls(items)).toEqual(items);
  });

  it('gives a call id reused after its output a distinct id, and a stand-in output when unanswered', () => {
    expect(pairToolCalls([user('twice'), call('call_0'), output('call_0', 'done'), call('call_0')])).toEqual([
      user('twice'),
      call('call_0'),
      output('call_0', 'done'),
      call('call_0_2'),
      standIn('call_0_2'),
    ]);
  });

  it('sends each output of a reused id to the oldest call still waiting for one', () => {
    expect(pairToolCalls([call('x'), call('x'), output('x', 'first'), output('x', 'second'), call('x')])).toEqual([
      call('x'),
      call('x_2'),
      output('x', 'first'),
      output('x_2', 'second'),
      call('x_3'),
      standIn('x_3'),
    ]);
  });

  it('never issues an id already taken, and keeps ids within 64 characters', () => {
    const long = 'c'.repeat(64);
    const paired = pairToolCalls([
      call('a_2'),
      output('a_2', ''),
      call('a'),
      output('a', ''),
      call('a'),
      call(long),
      call(long),
    ]);
    const ids = paired.flatMap((i) => (i.type === 'function_call' ? [i.call_id] : []));
    expect(ids).toEqual(['a_2', 'a', 'a_3', long, `${'c'.repeat(62)}_2`]);
  });

  it('depends only on what came before, so a growing conversation keeps its prefix', () => {
    const first = [call('k'), output('k', '1'), call('k'), output('k', '2')];
    const later = [...first, user('again'), call('k_2'), output('k_2', '3')];
    expect(pairToolCalls(later).slice(0, first.length)).toEqual(pairToolCalls(first));
  });

  it('turns outputs without a waiting call into user notes', () => {
    const paired = pairToolCalls([
      output('early', 'text'),
      call('early'),
      output('early', 'ok'),
      output('early', 'again'),
    ]);
    expect(paired.map((i) => i.type)).toEqual(['message', 'function_call', 'function_call_output', 'message']);
    expect(JSON.stringify(paired[3])).toContain('again');
  });
});
