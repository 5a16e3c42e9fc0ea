// Minimal cases the fuzzers found, each pinned on its own so a fix is visible one by one.
import { describe, expect, it } from 'vitest';
import type { StreamEvent } from '../../shared/anthropic.js';
import { MessageAccumulator } from '../../main/core/translate/aggregate.js';
import { RequestError } from '../../main/core/translate/request-error.js';
import { toCodexRequest } from '../../main/core/translate/request.js';
import { validateMessagesRequest } from '../../main/core/translate/validate.js';
import { sessionKeyOf } from '../../main/core/proxy/session-key.js';
import { ResponseTranslator } from '../../main/core/translate/stream.js';
import { DEFAULT_CODEX_MODELS } from '../fakes/codex-backend.js';
import { ev } from '../fakes/codex-events.js';
import { validateResponsesRequest } from '../fakes/codex-validate.js';
import { validateAnthropicStream } from '../support/stream-validator.js';

/** Our 400, or a body the strict backend accepts; anything thrown besides a RequestError is a 500. */
function upstreamRejection(body: unknown): unknown {
  let request;
  try {
    request = validateMessagesRequest(body);
  } catch (err) {
    if (err instanceof RequestError && err.errorType === 'invalid_request_error') return null;
    throw err;
  }
  return (
    validateResponsesRequest(toCodexRequest(request, { model: 'gpt-5.5' }).body, {}, DEFAULT_CODEX_MODELS)?.body ?? null
  );
}

const hello = [{ role: 'user', content: 'hi' }];

describe('request translation: cases found by fuzzing', () => {
  it('a non-array `tools` is a 400 or ignored, not a TypeError', () => {
    for (const tools of [{}, 'Bash', 0, true]) {
      expect(() => upstreamRejection({ model: 'claude-sonnet-5-5', messages: hello, tools })).not.toThrow();
    }
  });

  it('a tool_choice naming a tool with a non-string name degrades, not a TypeError', () => {
    const body = {
      model: 'claude-sonnet-5-5',
      messages: hello,
      tools: [{ name: 'Bash', input_schema: { type: 'object' } }],
      tool_choice: { type: 'tool', name: { not: 'a string' } },
    };
    expect(() => upstreamRejection(body)).not.toThrow();
  });

  it('a tool_use id reused after its result still gets an output for the second call', () => {
    const use = { type: 'tool_use', id: 'call_0', name: 'Bash', input: {} };
    const result = { type: 'tool_result', tool_use_id: 'call_0', content: 'done' };
    const body = {
      model: 'claude-sonnet-5-5',
      messages: [
        { role: 'user', content: 'run it twice' },
        { role: 'assistant', content: [use] },
        { role: 'user', content: [result] },
        { role: 'assistant', content: [use] },
      ],
    };
    expect(upstreamRejection(body)).toBeNull();
  });

  it('a session id taken from metadata.user_id is always a sendable header value', () => {
    for (const session of ['naïve ☃ session', 'line\nbreak', ' padded ', '\u0000']) {
      const request = validateMessagesRequest({
        model: 'claude-sonnet-5-5',
        messages: hello,
        metadata: { user_id: JSON.stringify({ session_id: session }) },
      });
      const key = sessionKeyOf(request, {});
      if (key !== undefined) expect(() => new Headers({ 'session-id': key }), JSON.stringify(key)).not.toThrow();
    }
  });
});

describe('response translation: cases found by fuzzing', () => {
  const broken: Array<[string, Record<string, unknown>]> = [
    ['an output_item.added without its item', { type: 'response.output_item.added', output_index: 0 }],
    ['an output_item.done without its item', { type: 'response.output_item.done', output_index: 0 }],
    [
      'a reasoning item whose summary is not an array',
      { type: 'response.output_item.done', output_index: 0, item: { type: 'reasoning', summary: 'x' } },
    ],
    [
      'a web search whose sources are not an array',
      {
        type: 'response.output_item.done',
        output_index: 0,
        item: { type: 'web_search_call', action: { sources: 'x' } },
      },
    ],
  ];

  it.each(broken)('%s still yields a valid Anthropic stream', (_name, event) => {
    const t = new ResponseTranslator({
      model: 'claude-sonnet-5-5',
      toolNames: { toUpstream: (n) => n, fromUpstream: (n) => n },
      thinkingDisplay: 'summarized',
    });
    const out: StreamEvent[] = [...t.start()];
    expect(() => {
      out.push(...t.push({ type: 'response.created', response: {} }), ...t.push(event as { type: string }));
      out.push(...t.push(ev.completed()), ...t.end());
    }).not.toThrow();
    expect(validateAnthropicStream(out)).toEqual([]);
    const acc = new MessageAccumulator();
    for (const e of out) acc.push(e);
  });
});
