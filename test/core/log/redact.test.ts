import { describe, expect, it } from 'vitest';
import { REDACTED, isSensitiveKey, redactSecrets, scrubSecretText } from '../../../main/core/log/redact.js';

const JWT = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1c2VyLTEyMyJ9.c2lnbmF0dXJlLXBhcnQ';

describe('isSensitiveKey', () => {
  it.each(['authorization', 'Authorization', 'x-api-key', 'X-Api-Key', 'cookie', 'set-cookie', 'access_token', 'refresh_token', 'id_token', 'token', 'authToken', 'code_verifier', 'chatgpt-account-id'])(
    '%s is sensitive',
    (key) => expect(isSensitiveKey(key)).toBe(true),
  );
  it.each(['input_tokens', 'output_tokens', 'max_tokens', 'model', 'status', 'code'])('%s is not', (key) =>
    expect(isSensitiveKey(key)).toBe(false),
  );
});

describe('scrubSecretText', () => {
  it('removes JWTs, bearer credentials and API keys from free text', () => {
    const text = `refresh failed for ${JWT}; header was Bearer abc.def-123 and key sk-ant-api03-abcdefghijklmnopqrstuvwx`;
    const out = scrubSecretText(text);
    expect(out).not.toContain(JWT);
    expect(out).not.toContain('abc.def-123');
    expect(out).not.toContain('sk-ant-api03');
    expect(out).toContain('Bearer [redacted]');
    expect(out).toContain('refresh failed for');
  });

  it('leaves ordinary words alone', () => {
    expect(scrubSecretText('Bearer token missing; ask-for-help; basic auth')).toBe('Bearer token missing; ask-for-help; basic auth');
  });

  it('finds tokens after a newline', () => {
    expect(scrubSecretText(`headers:\nBearer abcdefgh12345\n${JWT}`)).toBe('headers:\nBearer [redacted]\n[redacted-jwt]');
  });
});

describe('redactSecrets', () => {
  it('replaces sensitive keys at any depth without touching the input', () => {
    const input = {
      request: { headers: { Authorization: 'Bearer x', 'x-api-key': 'k', accept: '*/*' }, input_tokens: 5 },
      deep: [{ a: { b: { tokens: { access_token: 'at', refresh_token: 'rt', account_id: 'acc' } } } }],
    };
    const snapshot = structuredClone(input);
    const out = redactSecrets(input) as typeof input;
    expect(input).toEqual(snapshot);
    expect(out.request.headers).toEqual({ Authorization: REDACTED, 'x-api-key': REDACTED, accept: '*/*' });
    expect(out.request.input_tokens).toBe(5);
    expect(out.deep[0].a.b.tokens).toEqual({ access_token: REDACTED, refresh_token: REDACTED, account_id: 'acc' });
  });

  it('scrubs strings at any depth and leaves other values alone', () => {
    expect(redactSecrets({ token: null, n: 1, s: 'x', list: [1, 'a', `id ${JWT}`], deep: { msg: 'Bearer abcdefgh1234' } })).toEqual({
      token: null,
      n: 1,
      s: 'x',
      list: [1, 'a', 'id [redacted-jwt]'],
      deep: { msg: 'Bearer [redacted]' },
    });
  });
});
