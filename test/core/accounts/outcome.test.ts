import { describe, expect, it } from 'vitest';
import { cooldownEnd } from '../../../main/core/accounts/outcome.js';
import { classifyHttp, classifyStream, COOLDOWN_S, type AccountVerdict } from '../../../main/core/upstream/failure.js';
import { retryAfterSeconds } from '../../../main/core/upstream/error-body.js';
import { emptyQuota } from '../../../main/core/accounts/store.js';

const NOW = 1_790_000_000_000;
const NOW_S = NOW / 1000;
const none = new Headers();

/** The verdict of the one classifier, with the cooldown's end as the pool applies it. */
function verdict(status: number, body?: unknown, headers = none, streamError?: { code?: string; message?: string }) {
  const raw: AccountVerdict =
    streamError !== undefined
      ? classifyStream(streamError, NOW).verdict
      : status >= 200 && status < 300
        ? { kind: 'ok' }
        : classifyHttp(status, body === undefined ? '' : JSON.stringify(body), headers, NOW).verdict;
  return raw.kind === 'cooldown' ? { ...raw, until: cooldownEnd(raw, emptyQuota(), NOW) } : raw;
}

describe('what an upstream answer means for the account', () => {
  it('2xx is ok, 401 asks for a refresh, request errors give up', () => {
    expect(verdict(200)).toEqual({ kind: 'ok' });
    expect(verdict(401, { detail: 'Unauthorized' })).toEqual({ kind: 'unauthorized' });
    for (const s of [400, 404, 413]) expect(verdict(s, { error: { message: 'bad' } }).kind).toBe('give-up');
  });

  it('usage_limit_reached cools down until resets_at, or resets_in_seconds', () => {
    const at = verdict(429, {
      error: { type: 'usage_limit_reached', message: 'The usage limit has been reached', resets_at: NOW_S + 9000 },
    });
    expect(at).toMatchObject({ kind: 'cooldown', until: NOW_S + 9000, cause: 'usage_limit' });
    const inS = verdict(429, { error: { type: 'usage_limit_reached', resets_in_seconds: 120 } });
    expect(inS).toMatchObject({ kind: 'cooldown', until: NOW_S + 120 });
  });

  it('a plain 429 cools down for retry-after, else 30 s', () => {
    expect(verdict(429, { error: { message: 'slow down' } }, new Headers({ 'retry-after': '7' }))).toMatchObject({
      kind: 'cooldown',
      until: NOW_S + 7,
      cause: 'rate_limit',
    });
    expect(verdict(429, { detail: 'Too many requests' })).toMatchObject({ until: NOW_S + COOLDOWN_S.rateLimit });
  });

  it('403 sets the account aside with its reason; overloads cool down briefly; other 5xx just fail over', () => {
    expect(verdict(403, { detail: 'workspace not allowed' })).toMatchObject({
      kind: 'cooldown',
      cause: 'forbidden',
      reason: expect.stringContaining('workspace not allowed'),
    });
    expect(verdict(529)).toMatchObject({ kind: 'cooldown', until: NOW_S + COOLDOWN_S.overload, cause: 'overload' });
    expect(verdict(503, { error: { code: 'server_is_overloaded' } })).toMatchObject({ cause: 'overload' });
    expect(verdict(500)).toMatchObject({ kind: 'next' });
    expect(verdict(502)).toMatchObject({ kind: 'next' });
  });

  it('in-stream failures: overload fails over with a cooldown, request errors give up, transport errors fail over', () => {
    expect(verdict(200, undefined, none, { code: 'server_is_overloaded', message: 'busy' })).toMatchObject({
      kind: 'cooldown',
      cause: 'overload',
    });
    expect(verdict(200, undefined, none, { code: 'context_length_exceeded' })).toEqual({ kind: 'give-up' });
    expect(verdict(200, undefined, none, { code: 'connection_lost' })).toMatchObject({ kind: 'next' });
    expect(
      verdict(200, undefined, none, { code: 'rate_limit_exceeded', message: 'Please try again in 11.05s.' }),
    ).toMatchObject({
      kind: 'cooldown',
      until: NOW_S + 12,
    });
  });

  it('parses retry-after as seconds, HTTP date or retry-after-ms', () => {
    expect(retryAfterSeconds(new Headers({ 'retry-after-ms': '1500' }), NOW)).toBe(2);
    expect(retryAfterSeconds(new Headers({ 'retry-after': new Date(NOW + 90_000).toUTCString() }), NOW)).toBe(90);
    expect(retryAfterSeconds(new Headers({ 'retry-after': 'soon' }), NOW)).toBeUndefined();
  });
});
