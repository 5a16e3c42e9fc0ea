// What one upstream answer means for the account that served it. Pure: the pool applies the
// verdict (cooldown, refresh, failover) and turns it into the request path's decision.
import type { AccountQuota } from '../../../shared/api.js';
import type { UpstreamOutcome } from './types.js';
import { exhaustedUntil } from './quota.js';
import {
  isIdentityRefusal,
  parseErrorBody,
  retryAfterSeconds,
  retryHintSeconds,
  type UpstreamErrorBody,
} from '../upstream/error-body.js';

export type Verdict =
  | { kind: 'ok' }
  /** 401: refresh the token and try the same account again. */
  | { kind: 'unauthorized' }
  /** The account cannot serve for a while: skip it until `until` (unix s), fail over now. */
  | { kind: 'cooldown'; until: number; reason: string; cause: CooldownCause }
  /** This attempt failed for a reason that does not outlive it: fail over, keep the account. */
  | { kind: 'next'; reason: string }
  /** The request itself is at fault: every account would answer the same. */
  | { kind: 'give-up' };

/** Why an account cools down; quota data showing room ends `usage_limit` and `rate_limit` early. */
export type CooldownCause =
  'usage_limit' | 'rate_limit' | 'overload' | 'forbidden' | 'not_included' | 'refresh_failed' | 'unauthorized';

export const COOLDOWN_S = {
  /** Plain rate limiting without a retry-after. */
  rateLimit: 30,
  /** Overloaded backend (503/529, server_is_overloaded). */
  overload: 20,
  /** 403: account or workspace not allowed (or a transient edge block). */
  forbidden: 60,
  /** The plan does not include Codex. */
  notIncluded: 3600,
  /** A usage limit without any reset time in the answer or the known quota. */
  usageLimitFallback: 15 * 60,
  /** The token endpoint failed for a passing reason and the access token is no longer valid. */
  refreshFailed: 30,
  /** The backend keeps answering 401 even with freshly refreshed tokens. */
  unauthorized: 10 * 60,
} as const;

const OVERLOAD_CODES = new Set(['server_is_overloaded', 'slow_down', 'overloaded']);
const USAGE_LIMIT_CODES = new Set(['usage_limit_reached', 'insufficient_quota']);
/** Stream failures caused by the request: another account would fail the same way. */
const REQUEST_CODES = new Set([
  'context_length_exceeded',
  'invalid_prompt',
  'cyber_policy',
  'invalid_request_error',
  'content_filter',
]);

function usageLimitUntil(err: UpstreamErrorBody, quota: AccountQuota, nowMs: number): number {
  const nowS = Math.floor(nowMs / 1000);
  if (err.resetsAt && err.resetsAt > nowS) return err.resetsAt;
  if (err.resetsInSeconds && err.resetsInSeconds > 0) return nowS + Math.ceil(err.resetsInSeconds);
  return exhaustedUntil(quota, nowMs) ?? nowS + COOLDOWN_S.usageLimitFallback;
}

function detail(status: number | null, err: UpstreamErrorBody): string {
  const what = [status ? `HTTP ${status}` : null, err.code].filter(Boolean).join(' ');
  return err.message ? `${what}: ${err.message.slice(0, 200)}` : what;
}

function rateLimited(
  err: UpstreamErrorBody,
  quota: AccountQuota,
  nowMs: number,
  retryAfter: number | undefined,
  status: number | null,
): Verdict {
  const nowS = Math.floor(nowMs / 1000);
  if (err.code && USAGE_LIMIT_CODES.has(err.code)) {
    return {
      kind: 'cooldown',
      until: usageLimitUntil(err, quota, nowMs),
      reason: `usage limit reached (${detail(status, err)})`,
      cause: 'usage_limit',
    };
  }
  if (err.code === 'usage_not_included') {
    return {
      kind: 'cooldown',
      until: nowS + COOLDOWN_S.notIncluded,
      reason: `plan does not include Codex (${detail(status, err)})`,
      cause: 'not_included',
    };
  }
  const wait = retryAfter ?? retryHintSeconds(err.message) ?? COOLDOWN_S.rateLimit;
  return { kind: 'cooldown', until: nowS + wait, reason: `rate limited (${detail(status, err)})`, cause: 'rate_limit' };
}

function streamVerdict(stream: UpstreamErrorBody, quota: AccountQuota, nowMs: number): Verdict {
  const err: UpstreamErrorBody = stream;
  const nowS = Math.floor(nowMs / 1000);
  if (err.code && OVERLOAD_CODES.has(err.code)) {
    return {
      kind: 'cooldown',
      until: nowS + COOLDOWN_S.overload,
      reason: `overloaded (${detail(null, err)})`,
      cause: 'overload',
    };
  }
  if (
    err.code &&
    (USAGE_LIMIT_CODES.has(err.code) || err.code === 'rate_limit_exceeded' || err.code === 'usage_not_included')
  ) {
    return rateLimited(err, quota, nowMs, undefined, null);
  }
  if (err.code && REQUEST_CODES.has(err.code)) return { kind: 'give-up' };
  return { kind: 'next', reason: `stream failed (${detail(null, err)})` };
}

export function classifyOutcome(outcome: UpstreamOutcome, quota: AccountQuota, nowMs: number): Verdict {
  const { status } = outcome;
  if (status >= 200 && status < 300)
    return outcome.streamError ? streamVerdict(outcome.streamError, quota, nowMs) : { kind: 'ok' };
  const err = parseErrorBody(outcome.body) ?? {};
  const nowS = Math.floor(nowMs / 1000);
  if (status === 401) return { kind: 'unauthorized' };
  // The edge refused our client identity: every account would get the same answer, and the
  // account itself is fine, so no cooldown (the client is told how to change the identity).
  if (isIdentityRefusal(status, outcome.body, outcome.headers)) return { kind: 'give-up' };
  if (status === 403) {
    return {
      kind: 'cooldown',
      until: nowS + COOLDOWN_S.forbidden,
      reason: `forbidden (${detail(status, err)})`,
      cause: 'forbidden',
    };
  }
  if (status === 429) return rateLimited(err, quota, nowMs, retryAfterSeconds(outcome.headers, nowMs), status);
  if (status === 503 || status === 529 || (err.code && OVERLOAD_CODES.has(err.code))) {
    return {
      kind: 'cooldown',
      until: nowS + COOLDOWN_S.overload,
      reason: `overloaded (${detail(status, err)})`,
      cause: 'overload',
    };
  }
  if (status >= 500 || status === 408) return { kind: 'next', reason: detail(status, err) };
  return { kind: 'give-up' };
}
