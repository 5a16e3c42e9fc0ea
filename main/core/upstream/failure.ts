// What one failure of the Codex backend means, decided once: an HTTP error before the stream or a
// `response.failed` / `error` event inside it is parsed here, and one code table gives both what
// the client sees (the Anthropic error type and status that make Claude Code retry what can
// succeed later and stop at once on what cannot) and what happens to the account that served it
// (cool down, fail over, refresh, or nothing because the request itself is at fault).
import { ERROR_STATUS, type ErrorType } from '../../../shared/anthropic.js';
import {
  isIdentityRefusal,
  parseErrorBody,
  retryAfterSeconds as retryAfterFrom,
  retryHintSeconds,
  streamErrorFields,
  type UpstreamErrorBody,
} from './error-body.js';

export interface UpstreamFailure {
  errorType: ErrorType;
  /** HTTP status to answer the client with (when headers are not yet committed). */
  status: number;
  message: string;
  /** Upstream error code or type, e.g. `usage_limit_reached`, `context_length_exceeded`. */
  code?: string;
  retryAfterSeconds?: number;
}

/** Why an account cools down; quota data showing room ends `usage_limit` and `rate_limit` early. */
export type CooldownCause =
  'usage_limit' | 'rate_limit' | 'overload' | 'forbidden' | 'not_included' | 'refresh_failed' | 'unauthorized';

export type AccountVerdict =
  | { kind: 'ok' }
  /** 401: refresh the token and try the same account again. */
  | { kind: 'unauthorized' }
  /**
   * The account cannot serve for a while: skip it until `until` (unix s), fail over now. A usage
   * limit that named no reset time has `until: null`: the account room knows the quota windows.
   */
  | { kind: 'cooldown'; until: number | null; reason: string; cause: CooldownCause }
  /** This attempt failed for a reason that does not outlive it: fail over, keep the account. */
  | { kind: 'next'; reason: string }
  /** The request itself is at fault (or the client identity): every account would answer the same. */
  | { kind: 'give-up' };

export interface ClassifiedFailure {
  failure: UpstreamFailure;
  verdict: AccountVerdict;
}

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

/** What a code means for the account; its client-facing error type is in the same row. */
type AccountRule = 'give-up' | 'usage_limit' | 'rate_limit' | 'overload' | 'not_included';

/**
 * The one code table. Codes arrive as `code`, or as `type` alone (a usage limit may), in HTTP
 * bodies and stream events alike. context_length_exceeded also gets Claude Code's own wording.
 */
const CODES: Record<string, { errorType: ErrorType; account: AccountRule }> = {
  context_length_exceeded: { errorType: 'invalid_request_error', account: 'give-up' },
  invalid_prompt: { errorType: 'invalid_request_error', account: 'give-up' },
  cyber_policy: { errorType: 'invalid_request_error', account: 'give-up' },
  // The content was refused: another account would refuse it too, and it is not a server fault.
  content_filter: { errorType: 'invalid_request_error', account: 'give-up' },
  invalid_request_error: { errorType: 'invalid_request_error', account: 'give-up' },
  server_is_overloaded: { errorType: 'overloaded_error', account: 'overload' },
  slow_down: { errorType: 'overloaded_error', account: 'overload' },
  overloaded: { errorType: 'overloaded_error', account: 'overload' },
  rate_limit_exceeded: { errorType: 'rate_limit_error', account: 'rate_limit' },
  usage_limit_reached: { errorType: 'rate_limit_error', account: 'usage_limit' },
  insufficient_quota: { errorType: 'rate_limit_error', account: 'usage_limit' },
  // The plan does not include Codex at all: retrying cannot help.
  usage_not_included: { errorType: 'permission_error', account: 'not_included' },
};

/** Codes no row above has but that are known and expected; the sentinel reports any other. */
const OTHER_KNOWN_CODES = new Set([
  'invalid_encrypted_content',
  'unsupported_value',
  'invalid_value',
  'invalid_type',
  'missing_required_parameter',
  'token_expired',
  'token_invalidated',
  'invalid_workspace_selected',
  'identity_refused',
  // Our own codes for a broken stream (upstream/codex-client.ts, proxy/codex-lane.ts).
  'malformed_event',
  'idle_timeout',
  'connection_lost',
  'stream_error',
  'stream_closed',
]);

export function isKnownErrorCode(code: string): boolean {
  return Object.hasOwn(CODES, code) || OTHER_KNOWN_CODES.has(code);
}

const SOURCE = 'Codex backend';
// Claude Code recognises this prefix and reports "Prompt is too long" instead of retrying.
const PROMPT_TOO_LONG = 'prompt is too long';

/** What to tell a person when the backend's edge refuses our client identity. */
export function identityRefusedMessage(status: number): string {
  return `The Codex backend refused this client's identity (HTTP ${status}) — update codex-claude-proxy or set CODEX_ORIGINATOR/CODEX_CLIENT_VERSION (see docs/API.md, "Upstream identity").`;
}

function clientFailure(errorType: ErrorType, message: string, extra: Partial<UpstreamFailure> = {}): UpstreamFailure {
  return { errorType, status: ERROR_STATUS[errorType], message, ...extra };
}

function promptTooLong(upstreamText: string): string {
  return `${PROMPT_TOO_LONG}: the ${SOURCE} rejected the input as larger than the model's context window (${upstreamText})`;
}

function formatDuration(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.ceil((seconds % 3600) / 60);
  if (h === 0) return `${m} min`;
  return m === 0 ? `${h} h` : `${h} h ${m} min`;
}

function withFullStop(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

/** Seconds until a usage/rate limit lifts, from resets_in_seconds or resets_at. */
function resetsInSeconds(err: UpstreamErrorBody, nowMs: number): number | undefined {
  if (err.resetsInSeconds !== undefined) return Math.max(0, err.resetsInSeconds);
  if (err.resetsAt !== undefined) return Math.max(0, err.resetsAt - Math.floor(nowMs / 1000));
  return undefined;
}

/** Never pass an HTML error page on: keep its title at most, or a short plain-text body. */
function describeNonJsonBody(body: string): string | undefined {
  const trimmed = body.trim();
  if (!trimmed) return undefined;
  if (/^<|<html[\s>]|<!doctype/i.test(trimmed)) {
    const title = /<title[^>]*>([^<]*)<\/title>/i.exec(trimmed)?.[1];
    const clean = title?.replace(/\s+/g, ' ').trim();
    return clean ? `an HTML error page ("${clean.slice(0, 120)}")` : 'an HTML error page';
  }
  return trimmed.replace(/\s+/g, ' ').slice(0, 300);
}

function detail(status: number | null, err: UpstreamErrorBody): string {
  const what = [status ? `HTTP ${status}` : null, err.code].filter(Boolean).join(' ');
  return err.message ? `${what}: ${err.message.slice(0, 200)}` : what;
}

/** The account side of a code's rule. */
function accountVerdict(
  rule: AccountRule,
  err: UpstreamErrorBody,
  status: number | null,
  retryAfter: number | undefined,
  nowMs: number,
): AccountVerdict {
  const nowS = Math.floor(nowMs / 1000);
  switch (rule) {
    case 'give-up':
      return { kind: 'give-up' };
    case 'usage_limit': {
      const inS = resetsInSeconds(err, nowMs);
      return {
        kind: 'cooldown',
        until: inS !== undefined && inS > 0 ? nowS + Math.ceil(inS) : null,
        reason: `usage limit reached (${detail(status, err)})`,
        cause: 'usage_limit',
      };
    }
    case 'not_included':
      return {
        kind: 'cooldown',
        until: nowS + COOLDOWN_S.notIncluded,
        reason: `plan does not include Codex (${detail(status, err)})`,
        cause: 'not_included',
      };
    case 'overload':
      return {
        kind: 'cooldown',
        until: nowS + (retryAfter ?? COOLDOWN_S.overload),
        reason: `overloaded (${detail(status, err)})`,
        cause: 'overload',
      };
    case 'rate_limit': {
      const wait = retryAfter ?? retryHintSeconds(err.message) ?? COOLDOWN_S.rateLimit;
      return {
        kind: 'cooldown',
        until: nowS + wait,
        reason: `rate limited (${detail(status, err)})`,
        cause: 'rate_limit',
      };
    }
  }
}

/** The client side of a code's rule: its error type, with the reset time of a limit. */
function clientSide(
  errorType: ErrorType,
  err: UpstreamErrorBody,
  text: string,
  retryAfter: number | undefined,
  nowMs: number,
): { text: string; retryAfterSeconds?: number } {
  if (errorType === 'rate_limit_error') {
    const resetsIn = resetsInSeconds(err, nowMs);
    const seconds = retryAfter ?? (resetsIn !== undefined ? Math.ceil(resetsIn) : retryHintSeconds(text));
    const withReset =
      resetsIn !== undefined ? `${withFullStop(text)} The limit resets in ${formatDuration(resetsIn)}.` : text;
    return { text: withReset, ...(seconds !== undefined ? { retryAfterSeconds: seconds } : {}) };
  }
  if (errorType === 'overloaded_error' && retryAfter !== undefined) return { text, retryAfterSeconds: retryAfter };
  return { text };
}

function statusErrorType(status: number): ErrorType {
  switch (status) {
    case 400:
      return 'invalid_request_error';
    case 401:
      return 'authentication_error';
    case 403:
      return 'permission_error';
    case 404:
      return 'not_found_error';
    case 413:
      return 'request_too_large';
    case 429:
      return 'rate_limit_error';
    case 503:
    case 529:
      return 'overloaded_error';
  }
  return status >= 400 && status <= 499 ? 'invalid_request_error' : 'api_error';
}

/** The account side of an HTTP status whose body named no code of the table. */
function statusVerdict(
  status: number,
  err: UpstreamErrorBody,
  retryAfter: number | undefined,
  nowMs: number,
): AccountVerdict {
  const nowS = Math.floor(nowMs / 1000);
  if (status === 401) return { kind: 'unauthorized' };
  if (status === 403)
    return {
      kind: 'cooldown',
      until: nowS + COOLDOWN_S.forbidden,
      reason: `forbidden (${detail(status, err)})`,
      cause: 'forbidden',
    };
  if (status === 429) return accountVerdict('rate_limit', err, status, retryAfter, nowMs);
  if (status === 503 || status === 529) return accountVerdict('overload', err, status, retryAfter, nowMs);
  if (status >= 500 || status === 408) return { kind: 'next', reason: detail(status, err) };
  return { kind: 'give-up' };
}

/** A non-2xx answer of `POST /codex/responses`, parsed once. */
export function classifyHttp(
  status: number,
  body: string,
  headers: Headers | undefined,
  nowMs: number,
): ClassifiedFailure {
  if (isIdentityRefusal(status, body, headers)) {
    const errorType = status === 404 ? 'not_found_error' : 'permission_error';
    return {
      failure: clientFailure(errorType, identityRefusedMessage(status), { code: 'identity_refused' }),
      verdict: { kind: 'give-up' },
    };
  }
  const parsed = parseErrorBody(body);
  const err = parsed ?? {};
  const code = err.code;
  const row = code && Object.hasOwn(CODES, code) ? CODES[code] : undefined;
  const retryAfter = retryAfterFrom(headers, nowMs);
  const upstreamText = err.message ?? 'no details in the response body';
  const verdict =
    row && status !== 401
      ? accountVerdict(row.account, err, status, retryAfter, nowMs)
      : statusVerdict(status, err, retryAfter, nowMs);

  if (code === 'context_length_exceeded')
    return { failure: clientFailure('invalid_request_error', promptTooLong(upstreamText), { code }), verdict };

  const errorType = row?.errorType ?? statusErrorType(status);
  const nonJson = parsed ? undefined : describeNonJsonBody(body);
  const raw = parsed ? upstreamText : nonJson ? `answered with ${nonJson}` : 'answered with an empty body';
  const side = clientSide(errorType, err, raw, retryAfter, nowMs);
  const label = [`HTTP ${status}`, code, err.planType && `plan ${err.planType}`].filter(Boolean).join(', ');
  // A 4xx/5xx status with no code of the table keeps its own status (e.g. 500 stays 500).
  const clientStatus = row
    ? ERROR_STATUS[errorType]
    : errorType === 'overloaded_error'
      ? ERROR_STATUS.overloaded_error
      : status >= 400 && status <= 599
        ? status
        : ERROR_STATUS.api_error;
  return {
    failure: clientFailure(errorType, `${SOURCE} (${label}): ${side.text}`, {
      status: clientStatus,
      ...(code ? { code } : {}),
      ...(side.retryAfterSeconds !== undefined ? { retryAfterSeconds: side.retryAfterSeconds } : {}),
    }),
    verdict,
  };
}

/**
 * A `response.failed` error or an `error` event (whatever it carried: a mistyped field counts as
 * absent, so a garbled error still ends the stream cleanly).
 */
export function classifyStream(raw: unknown, nowMs: number): ClassifiedFailure {
  const err = streamErrorFields(raw);
  const code = err.code;
  const row = code && Object.hasOwn(CODES, code) ? CODES[code] : undefined;
  const text = err.message ?? 'the response failed without an explanation';
  const verdict: AccountVerdict = row
    ? accountVerdict(row.account, err, null, undefined, nowMs)
    : { kind: 'next', reason: `stream failed (${detail(null, err)})` };
  if (code === 'context_length_exceeded')
    return { failure: clientFailure('invalid_request_error', promptTooLong(text), { code }), verdict };
  const errorType = row?.errorType ?? 'api_error';
  const side = clientSide(errorType, err, text, undefined, nowMs);
  const message = code ? `${SOURCE} error (${code}): ${side.text}` : `${SOURCE} error: ${side.text}`;
  return {
    failure: clientFailure(errorType, message, {
      ...(code ? { code } : {}),
      ...(side.retryAfterSeconds !== undefined ? { retryAfterSeconds: side.retryAfterSeconds } : {}),
    }),
    verdict,
  };
}
