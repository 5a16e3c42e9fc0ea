import { afterEach, describe, expect, it, vi } from 'vitest';
import { classifyHttp, classifyStream } from '../../../main/core/upstream/failure.js';
import { streamErrorFields as streamErrorOf } from '../../../main/core/upstream/error-body.js';

const failureFromStreamError = (raw: unknown) => classifyStream(raw, Date.now()).failure;
const failureFromHttp = (status: number, body: string, headers?: Headers) =>
  classifyHttp(status, body, headers, Date.now()).failure;

afterEach(() => {
  vi.useRealTimers();
});

describe('failureFromStreamError', () => {
  it.each([
    ['context_length_exceeded', 'invalid_request_error', 400],
    ['invalid_prompt', 'invalid_request_error', 400],
    ['cyber_policy', 'invalid_request_error', 400],
    ['server_is_overloaded', 'overloaded_error', 529],
    ['slow_down', 'overloaded_error', 529],
    ['rate_limit_exceeded', 'rate_limit_error', 429],
    ['usage_limit_reached', 'rate_limit_error', 429],
    ['insufficient_quota', 'rate_limit_error', 429],
    ['usage_not_included', 'permission_error', 403],
    ['server_error', 'api_error', 500],
    ['stream_closed', 'api_error', 500],
    ['constructor', 'api_error', 500],
  ])('%s → %s %i', (code, errorType, status) => {
    const f = failureFromStreamError({ code, message: 'Something upstream.' });
    expect(f).toMatchObject({ errorType, status, code });
    expect(f.message).toContain('Something upstream.');
  });

  it('words context overflow the way Claude Code recognises', () => {
    const f = failureFromStreamError({
      code: 'context_length_exceeded',
      message: 'Your input exceeds the context window of this model. Please adjust your input and try again.',
    });
    expect(f.message).toMatch(/^prompt is too long: /);
    expect(f.message).toContain('Codex backend');
    expect(f.message).toContain('Your input exceeds the context window of this model.');
  });

  it('says where other errors came from', () => {
    expect(failureFromStreamError({ code: 'server_is_overloaded', message: 'Try later.' }).message).toBe(
      'Codex backend error (server_is_overloaded): Try later.',
    );
  });

  it('reads the retry hint of rate_limit_exceeded messages', () => {
    expect(
      failureFromStreamError({
        code: 'rate_limit_exceeded',
        message: 'Rate limit reached for gpt. Please try again in 11.054s.',
      }).retryAfterSeconds,
    ).toBe(12);
    expect(
      failureFromStreamError({ code: 'rate_limit_exceeded', message: 'Please try again in 300ms.' }).retryAfterSeconds,
    ).toBe(1);
    expect(
      failureFromStreamError({ code: 'rate_limit_exceeded', message: 'Slow down.' }).retryAfterSeconds,
    ).toBeUndefined();
    expect(
      failureFromStreamError({ code: 'server_error', message: 'try again in 5s' }).retryAfterSeconds,
    ).toBeUndefined();
  });

  it('treats mistyped fields as absent', () => {
    for (const err of ['boom', 42, [], { code: 7, message: { text: 'x' } }]) {
      const f = failureFromStreamError(err);
      expect(f).toMatchObject({ errorType: 'api_error', status: 500 });
      expect(f.message).toBe('Codex backend error: the response failed without an explanation');
    }
  });

  it('copes with a missing or empty error', () => {
    for (const err of [null, undefined, {}, { code: '', message: '  ' }]) {
      const f = failureFromStreamError(err);
      expect(f).toMatchObject({ errorType: 'api_error', status: 500 });
      expect(f.code).toBeUndefined();
      expect(f.message).toMatch(/^Codex backend error: /);
    }
  });
});

function headers(init: Record<string, string>): Headers {
  return new Headers(init);
}

describe('failureFromHttp: status mapping', () => {
  it.each([
    [400, 'invalid_request_error', 400],
    [401, 'authentication_error', 401],
    [403, 'permission_error', 403],
    [404, 'not_found_error', 404],
    [413, 'request_too_large', 413],
    [429, 'rate_limit_error', 429],
    [500, 'api_error', 500],
    [502, 'api_error', 502],
    [504, 'api_error', 504],
    [503, 'overloaded_error', 529],
    [529, 'overloaded_error', 529],
    [422, 'invalid_request_error', 422],
    [507, 'api_error', 507],
    [302, 'api_error', 500],
  ])('HTTP %i → %s %i', (status, errorType, clientStatus) => {
    const f = failureFromHttp(status, '{"detail":"nope"}');
    expect(f).toMatchObject({ errorType, status: clientStatus });
    expect(f.message).toBe(`Codex backend (HTTP ${status}): nope`);
  });
});

describe('failureFromHttp: bodies', () => {
  it('reads the gateway envelope {"detail": …}', () => {
    const f = failureFromHttp(400, '{"detail":"Unsupported parameter: max_output_tokens"}');
    expect(f).toEqual({
      errorType: 'invalid_request_error',
      status: 400,
      message: 'Codex backend (HTTP 400): Unsupported parameter: max_output_tokens',
    });
    expect(failureFromHttp(401, '{"detail":"Unauthorized"}')).toMatchObject({
      errorType: 'authentication_error',
      message: 'Codex backend (HTTP 401): Unauthorized',
    });
  });

  it('reads a structured detail without dumping more than a line', () => {
    const f = failureFromHttp(
      422,
      JSON.stringify({ detail: [{ loc: ['body', 'input'], msg: 'field required', type: 'value_error.missing' }] }),
    );
    expect(f.message).toContain('field required');
  });

  it('reads the schema envelope {"error": {message, type, param, code}}', () => {
    const body = JSON.stringify({
      error: {
        message: "Invalid 'tools[3].name': string does not match pattern.",
        type: 'invalid_request_error',
        param: 'tools[3].name',
        code: 'invalid_value',
      },
    });
    expect(failureFromHttp(400, body)).toEqual({
      errorType: 'invalid_request_error',
      status: 400,
      code: 'invalid_value',
      message: "Codex backend (HTTP 400, invalid_value): Invalid 'tools[3].name': string does not match pattern.",
    });
  });

  it('words context overflow in an HTTP error as prompt is too long', () => {
    const body = JSON.stringify({
      error: {
        message: 'Your input exceeds the context window of this model.',
        type: 'invalid_request_error',
        code: 'context_length_exceeded',
      },
    });
    const f = failureFromHttp(400, body);
    expect(f).toMatchObject({ errorType: 'invalid_request_error', status: 400, code: 'context_length_exceeded' });
    expect(f.message).toMatch(/^prompt is too long: /);
  });

  it('maps a 503 server_is_overloaded and honours retry-after on overload', () => {
    const body = JSON.stringify({ error: { message: 'Overloaded', code: 'server_is_overloaded' } });
    expect(failureFromHttp(503, body, headers({ 'retry-after': '3' }))).toMatchObject({
      errorType: 'overloaded_error',
      status: 529,
      code: 'server_is_overloaded',
      retryAfterSeconds: 3,
    });
    expect(failureFromHttp(500, JSON.stringify({ error: { message: 'x', code: 'slow_down' } }))).toMatchObject({
      errorType: 'overloaded_error',
      status: 529,
    });
  });

  it('usage_limit_reached: retry after resets_in_seconds, a message a person understands', () => {
    const body = JSON.stringify({
      error: {
        type: 'usage_limit_reached',
        message: 'The usage limit has been reached',
        plan_type: 'plus',
        resets_at: 1777936568,
        eligible_promo: null,
        resets_in_seconds: 13872,
      },
    });
    const f = failureFromHttp(429, body);
    expect(f).toMatchObject({
      errorType: 'rate_limit_error',
      status: 429,
      code: 'usage_limit_reached',
      retryAfterSeconds: 13872,
    });
    expect(f.message).toBe(
      'Codex backend (HTTP 429, usage_limit_reached, plan plus): The usage limit has been reached. The limit resets in 3 h 52 min.',
    );
  });

  it('usage_limit_reached with resets_at only', () => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date(1_777_900_000_000));
    const body = JSON.stringify({
      error: {
        type: 'usage_limit_reached',
        message: 'The usage limit has been reached.',
        resets_at: 1_777_900_000 + 1800,
      },
    });
    const f = failureFromHttp(429, body);
    expect(f.retryAfterSeconds).toBe(1800);
    expect(f.message).toContain('resets in 30 min');
  });

  it('prefers the retry-after header for 429, in seconds or as an HTTP date', () => {
    expect(
      failureFromHttp(429, '{"detail":"Too many requests"}', headers({ 'retry-after': '17' })).retryAfterSeconds,
    ).toBe(17);
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2026-11-24T12:00:00Z'));
    expect(
      failureFromHttp(429, '', headers({ 'retry-after': 'Tue, 24 Nov 2026 12:01:00 GMT' })).retryAfterSeconds,
    ).toBe(60);
    expect(failureFromHttp(429, '', headers({ 'retry-after': 'soon' })).retryAfterSeconds).toBeUndefined();
    expect(
      failureFromHttp(
        429,
        JSON.stringify({ error: { message: 'Please try again in 2.2s', code: 'rate_limit_exceeded' } }),
      ).retryAfterSeconds,
    ).toBe(3);
  });

  it('never passes an HTML gateway page on', () => {
    const html =
      '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>cloudflare</center>\r\n</body>\r\n</html>';
    const f = failureFromHttp(502, html);
    expect(f).toMatchObject({ errorType: 'api_error', status: 502 });
    expect(f.message).toBe('Codex backend (HTTP 502): answered with an HTML error page ("502 Bad Gateway")');
    expect(failureFromHttp(502, '<!DOCTYPE html><body><script>x()</script></body>').message).toBe(
      'Codex backend (HTTP 502): answered with an HTML error page',
    );
  });

  it('keeps a short plain-text body and says so when there is none', () => {
    expect(failureFromHttp(503, 'upstream connect error or disconnect/reset before headers').message).toBe(
      'Codex backend (HTTP 503): answered with upstream connect error or disconnect/reset before headers',
    );
    expect(failureFromHttp(500, '').message).toBe('Codex backend (HTTP 500): answered with an empty body');
    expect(failureFromHttp(500, '{}').message).toBe('Codex backend (HTTP 500): no details in the response body');
    expect(failureFromHttp(500, 'x'.repeat(5000)).message.length).toBeLessThan(400);
  });
});

describe('streamErrorOf', () => {
  it('reads the flat and the nested form, nested first', () => {
    expect(streamErrorOf({ type: 'error', code: 'slow_down', message: 'flat' })).toEqual({
      code: 'slow_down',
      message: 'flat',
    });
    expect(streamErrorOf({ type: 'error', code: 'outer', error: { type: 'server_error', message: 'nested' } })).toEqual(
      { code: 'server_error', message: 'nested' },
    );
  });

  it('drops fields that are not text', () => {
    expect(streamErrorOf({ type: 'error', error: 'boom', code: 5, message: ['x'] })).toEqual({});
    expect(streamErrorOf({ type: 'error', error: { code: {}, message: 'kept' }, code: 'flat' })).toEqual({
      code: 'flat',
      message: 'kept',
    });
  });
});

describe('one code table for the client and the account', () => {
  const NOW = 1_790_000_000_000;
  it('content_filter: the request is at fault — a 400 for the client, no failover for the account', () => {
    for (const c of [
      classifyStream({ code: 'content_filter', message: 'Refused.' }, NOW),
      classifyHttp(400, JSON.stringify({ error: { code: 'content_filter', message: 'Refused.' } }), undefined, NOW),
    ]) {
      expect(c.failure).toMatchObject({ errorType: 'invalid_request_error', status: 400, code: 'content_filter' });
      expect(c.verdict).toEqual({ kind: 'give-up' });
    }
  });

  it('overloaded: the account cools down and the client gets overloaded_error', () => {
    for (const c of [
      classifyStream({ code: 'overloaded', message: 'Busy.' }, NOW),
      classifyHttp(500, JSON.stringify({ error: { code: 'overloaded', message: 'Busy.' } }), undefined, NOW),
    ]) {
      expect(c.failure).toMatchObject({ errorType: 'overloaded_error', status: 529 });
      expect(c.verdict).toMatchObject({ kind: 'cooldown', cause: 'overload' });
    }
  });

  it('every row of the table gives the same client error type in a body and in a stream event', () => {
    for (const code of [
      'invalid_prompt',
      'cyber_policy',
      'server_is_overloaded',
      'slow_down',
      'rate_limit_exceeded',
      'usage_limit_reached',
      'insufficient_quota',
      'usage_not_included',
    ]) {
      const http = classifyHttp(400, JSON.stringify({ error: { code, message: 'x' } }), undefined, NOW);
      const stream = classifyStream({ code, message: 'x' }, NOW);
      expect(http.failure.errorType, code).toBe(stream.failure.errorType);
      expect(http.verdict.kind, code).toBe(stream.verdict.kind);
    }
  });
});
