import { describe, expect, it } from 'vitest';
import type { MessagesRequest } from '../../../shared/anthropic.js';
import { RequestError } from '../../../main/core/translate/request-error.js';
import { validateMessagesRequest } from '../../../main/core/translate/validate.js';
import { sessionKeyOf } from '../../../main/core/proxy/session-key.js';

function rejection(body: unknown): RequestError {
  try {
    validateMessagesRequest(body);
  } catch (error) {
    expect(error).toBeInstanceOf(RequestError);
    return error as RequestError;
  }
  throw new Error('expected a RequestError');
}

describe('validateMessagesRequest', () => {
  it('accepts unknown fields and unknown block types', () => {
    const body = {
      model: 'claude-opus-5-5',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'brand_new_block', x: 1 },
            { type: 'text', text: 'hi' },
          ],
          extra: true,
        },
        { role: 'system', content: 'env' },
        { role: 'assistant', content: [] },
      ],
      safeguards: [{ type: 'dangerous_tool_use' }],
      context_management: { edits: [] },
      some_future_field: { nested: true },
    };
    expect(validateMessagesRequest(body)).toBe(body);
  });

  it.each([
    [null, /JSON object/],
    ['text', /JSON object/],
    [[], /JSON object/],
    [{ messages: [{ role: 'user', content: 'hi' }] }, /^model: .*string/],
    [{ model: 7, messages: [{ role: 'user', content: 'hi' }] }, /^model: /],
    [{ model: 'claude-x' }, /^messages: .*array/],
    [{ model: 'claude-x', messages: {} }, /^messages: .*array/],
    [{ model: 'claude-x', messages: [] }, /^messages: .*at least one/],
    [{ model: 'claude-x', messages: ['hi'] }, /^messages\.0: .*object/],
    [
      {
        model: 'claude-x',
        messages: [
          { role: 'user', content: 'a' },
          { role: 'tool', content: 'b' },
        ],
      },
      /^messages\.1\.role: .*"user", "assistant" or "system" \(got "tool"\)/,
    ],
    [{ model: 'claude-x', messages: [{ content: 'b' }] }, /^messages\.0\.role: .*got nothing/],
    [{ model: 'claude-x', messages: [{ role: 'user' }] }, /^messages\.0\.content: .*string or an array/],
    [{ model: 'claude-x', messages: [{ role: 'user', content: 5 }] }, /^messages\.0\.content: /],
  ])('rejects %j with an actionable message', (body, message) => {
    const error = rejection(body);
    expect(error.errorType).toBe('invalid_request_error');
    expect(error.message).toMatch(message);
  });
});

describe('sessionKeyOf', () => {
  const req = (user_id?: string): MessagesRequest => ({
    model: 'm',
    messages: [{ role: 'user', content: 'x' }],
    ...(user_id === undefined ? {} : { metadata: { user_id } }),
  });
  const jsonUserId = JSON.stringify({
    device_id: 'abc',
    account_uuid: '',
    session_id: '3ea5d7eb-2f5b-4da2-8a8a-acbdc21fc890',
  });

  it('prefers the x-claude-code-session-id header', () => {
    expect(sessionKeyOf(req(jsonUserId), { 'x-claude-code-session-id': 'from-header' })).toBe('from-header');
    expect(sessionKeyOf(req(), { 'X-Claude-Code-Session-Id': 'mixed-case' })).toBe('mixed-case');
  });

  it('reads session_id from the metadata.user_id JSON string', () => {
    expect(sessionKeyOf(req(jsonUserId), {})).toBe('3ea5d7eb-2f5b-4da2-8a8a-acbdc21fc890');
    expect(sessionKeyOf(req(jsonUserId), { 'x-claude-code-session-id': '' })).toBe(
      '3ea5d7eb-2f5b-4da2-8a8a-acbdc21fc890',
    );
  });

  it('tolerates the older plain user id form', () => {
    expect(sessionKeyOf(req('user_0a1b_account_1234_session_9f8e7d6c-0000-1111-2222-333344445555'), {})).toBe(
      '9f8e7d6c-0000-1111-2222-333344445555',
    );
  });

  it('keeps only what a header value may carry, since it is sent as the session-id header', () => {
    const fromMetadata = (session: string) => sessionKeyOf(req(JSON.stringify({ session_id: session })), {});
    expect(fromMetadata('naïve ☃ session')).toBe('nave  session');
    expect(fromMetadata('line\nbreak')).toBe('linebreak');
    expect(fromMetadata(' padded ')).toBe('padded');
    expect(fromMetadata('\u0000')).toBeUndefined();
    expect(fromMetadata('☃')).toBeUndefined();
    expect(sessionKeyOf(req(), { 'x-claude-code-session-id': ' sess\t1\u00e9 ' })).toBe('sess1');
    // A header with nothing usable left falls back to the metadata.
    expect(sessionKeyOf(req(jsonUserId), { 'x-claude-code-session-id': '\u00e9' })).toBe(
      '3ea5d7eb-2f5b-4da2-8a8a-acbdc21fc890',
    );
  });

  it('returns undefined when there is no session', () => {
    expect(sessionKeyOf(req(), {})).toBeUndefined();
    expect(sessionKeyOf(req('someone'), {})).toBeUndefined();
    expect(sessionKeyOf(req(JSON.stringify({ device_id: 'x' })), {})).toBeUndefined();
    expect(sessionKeyOf(req('user_x_session_'), {})).toBeUndefined();
  });
});
