// The backend pairs every function_call with exactly one later function_call_output of the same
// call_id and rejects the whole request otherwise. Client histories do not always keep to that
// (orphaned results, calls never answered, an id used again later), so the input is repaired here.
import type { InputItem } from '../../../shared/codex.js';
import { MAX_IDENTIFIER_LENGTH } from './ids.js';

type FunctionCallOutput = Extract<InputItem, { type: 'function_call_output' }>;

const MISSING_RESULT_OUTPUT = 'No result was returned for this call.';

/**
 * A call id not issued yet for the n-th call reusing `id`. It only ever goes upstream inside
 * history, never back to the client, so it need not map back; it is derived from what came
 * before alone, so the upstream prefix stays the same as the conversation grows (prompt caching).
 */
function repeatedCallId(id: string, issued: ReadonlySet<string>): string {
  for (let n = 2; ; n++) {
    const suffix = `_${n}`;
    const candidate = `${id.slice(0, MAX_IDENTIFIER_LENGTH - suffix.length)}${suffix}`;
    if (!issued.has(candidate)) return candidate;
  }
}

/**
 * Gives each call its own id: a reused id gets a distinct stand-in, and each output goes to the
 * oldest call of its id still waiting for one. Outputs with no waiting call keep their id.
 */
function distinctCallIds(items: readonly InputItem[]): InputItem[] {
  const issued = new Set<string>();
  const waiting = new Map<string, string[]>();
  return items.map((item) => {
    if (item.type === 'function_call') {
      const callId = issued.has(item.call_id) ? repeatedCallId(item.call_id, issued) : item.call_id;
      issued.add(callId);
      waiting.set(item.call_id, [...(waiting.get(item.call_id) ?? []), callId]);
      return callId === item.call_id ? item : { ...item, call_id: callId };
    }
    if (item.type === 'function_call_output') {
      const callId = waiting.get(item.call_id)?.shift() ?? item.call_id;
      return callId === item.call_id ? item : { ...item, call_id: callId };
    }
    return item;
  });
}

function orphanOutputNote(output: FunctionCallOutput): InputItem {
  const heading = `Result of tool call ${output.call_id} (its call is no longer in this conversation):`;
  const parts =
    typeof output.output === 'string'
      ? [{ type: 'input_text' as const, text: `${heading}\n${output.output}` }]
      : [{ type: 'input_text' as const, text: heading }, ...output.output];
  return { type: 'message', role: 'user', content: parts };
}

/**
 * Orphan outputs become user notes; unanswered calls get a stand-in output where the
 * assistant's turn ends (before the next user or developer message).
 */
function answerEveryCall(items: readonly InputItem[]): InputItem[] {
  const called = new Set<string>();
  const answered = new Set<string>();
  const validOutputs = new Set<InputItem>();
  for (const item of items) {
    if (item.type === 'function_call') called.add(item.call_id);
    if (item.type === 'function_call_output' && called.has(item.call_id) && !answered.has(item.call_id)) {
      answered.add(item.call_id);
      validOutputs.add(item);
    }
  }
  const repaired: InputItem[] = [];
  let unanswered: string[] = [];
  const answerPending = () => {
    for (const callId of unanswered)
      repaired.push({ type: 'function_call_output', call_id: callId, output: MISSING_RESULT_OUTPUT });
    unanswered = [];
  };
  for (const item of items) {
    if (item.type === 'message' && item.role !== 'assistant') answerPending();
    if (item.type === 'function_call' && !answered.has(item.call_id)) unanswered.push(item.call_id);
    if (item.type === 'function_call_output' && !validOutputs.has(item)) repaired.push(orphanOutputNote(item));
    else repaired.push(item);
  }
  answerPending();
  return repaired;
}

/** Input the backend accepts: every call has a unique id and exactly one output after it. */
export function pairToolCalls(items: readonly InputItem[]): InputItem[] {
  return answerEveryCall(distinctCallIds(items));
}
