// Maps failures of the Codex backend (HTTP errors before the stream, `response.failed` / `error`
// events inside it) to the Anthropic error type and status that make Claude Code behave right:
// retry what can succeed later, stop at once on what cannot, and show a message a person can act on.
import {
  isIdentityRefusal,
  parseErrorBody,
  retryAfterSeconds as retryAfterFrom,
  retryHintSeconds,
  streamErrorFields,
  type UpstreamErrorBody,
} from '../upstream/error-body.js';
import type { CodexEvent } from '../../../shared/codex.js';
import { ERROR_STATUS, type ErrorBody, type ErrorType } from '../../../shared/anthropic.js';
import { isRecord, trimmedString as str } from '../util/guards.js';

export interface UpstreamFailure {
  errorType: ErrorType;
  /** HTTP status to answer the client with (when headers are not yet committed). */
  status: number;
  message: string;
  /** Upstream error code or type, e.g. `usage_limit_reached`, `context_length_exceeded`. */
  code?: string;
  retryAfterSeconds?: number;
}

const SOURCE = 'Codex backend';

// Claude Code recognises this prefix and reports "Prompt is too long" instead of retrying.
const PROMPT_TOO_LONG = 'prompt is too long';

// context_length_exceeded is handled apart: it needs Claude Code's prompt-too-long wording.
const STREAM_CODE_TYPES: Record<string, ErrorType> = {
  invalid_prompt: 'invalid_request_error',
  cyber_policy: 'invalid_request_error',
  server_is_overloaded: 'overloaded_error',
  slow_down: 'overloaded_error',
  rate_limit_exceeded: 'rate_limit_error',
  usage_limit_reached: 'rate_limit_error',
  insufficient_quota: 'rate_limit_error',
  // The plan does not include Codex at all: retrying cannot help.
  usage_not_included: 'permission_error',
};

/** Codes that are neither in the table above nor handled apart: the sentinel reports them. */
const OTHER_KNOWN_CODES = new Set([
  'context_length_exceeded',
  'content_filter',
  'invalid_request_error',
  'invalid_encrypted_content',
  'unsupported_value',
  'invalid_value',
  'invalid_type',
  'missing_required_parameter',
  'token_expired',
  'token_invalidated',
  'invalid_workspace_selected',
  // Our own codes for a broken stream (upstream/codex-client.ts, proxy/codex-lane.ts).
  'malformed_event',
  'idle_timeout',
  'connection_lost',
  'stream_error',
  'stream_closed',
]);

export function isKnownErrorCode(code: string): boolean {
  return Object.hasOwn(STREAM_CODE_TYPES, code) || OTHER_KNOWN_CODES.has(code);
}

/** What to tell a person when the backend's edge refuses our client identity. */
export function identityRefusedMessage(status: number): string {
  return `The Codex backend refused this client's identity (HTTP ${status}) — update codex-claude-proxy or set CODEX_ORIGINATOR/CODEX_CLIENT_VERSION (see docs/API.md, "Upstream identity").`;
}

function failure(errorType: ErrorType, message: string, extra: Partial<UpstreamFailure> = {}): UpstreamFailure {
  return { errorType, status: ERROR_STATUS[errorType], message, ...extra };
}

function describe(code: string | undefined, text: string): string {
  return code ? `${SOURCE} error (${code}): ${text}` : `${SOURCE} error: ${text}`;
}

function promptTooLong(upstreamText: string): string {
  return `${PROMPT_TOO_LONG}: the ${SOURCE} rejected the input as larger than the model's context window (${upstreamText})`;
}

/**
 * For `response.failed` (`response.error`) and in-stream `error` events. Takes whatever the
 * event carried: a mistyped field counts as absent, so a garbled error still ends the stream cleanly.
 */
export function failureFromStreamError(err: unknown, nowMs = Date.now()): UpstreamFailure {
  const fields = streamErrorFields(err);
  const code = fields.code;
  let text = fields.message ?? 'the response failed without an explanation';
  if (code === 'context_length_exceeded') return failure('invalid_request_error', promptTooLong(text), { code });
  const errorType = code && Object.hasOwn(STREAM_CODE_TYPES, code) ? STREAM_CODE_TYPES[code] : 'api_error';
  let retryAfterSeconds: number | undefined;
  if (errorType === 'rate_limit_error') {
    const resetsIn = resetsInSeconds(fields, nowMs);
    retryAfterSeconds = resetsIn !== undefined ? Math.ceil(resetsIn) : retryHintSeconds(text);
    if (resetsIn !== undefined) text = `${withFullStop(text)} The limit resets in ${formatDuration(resetsIn)}.`;
  }
  return failure(errorType, describe(code, text), {
    ...(code ? { code } : {}),
    ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}),
  });
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

function formatDuration(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.ceil((seconds % 3600) / 60);
  if (h === 0) return `${m} min`;
  return m === 0 ? `${h} h` : `${h} h ${m} min`;
}

function statusErrorType(status: number): { errorType: ErrorType; status: number } {
  switch (status) {
    case 400:
      return { errorType: 'invalid_request_error', status };
    case 401:
      return { errorType: 'authentication_error', status };
    case 403:
      return { errorType: 'permission_error', status };
    case 404:
      return { errorType: 'not_found_error', status };
    case 413:
      return { errorType: 'request_too_large', status };
    case 429:
      return { errorType: 'rate_limit_error', status };
    case 503:
    case 529:
      return { errorType: 'overloaded_error', status: ERROR_STATUS.overloaded_error };
  }
  if (status >= 500 && status <= 599) return { errorType: 'api_error', status };
  if (status >= 400 && status <= 499) return { errorType: 'invalid_request_error', status };
  return { errorType: 'api_error', status: ERROR_STATUS.api_error };
}

function clientErrorFor(status: number, code: string | undefined): { errorType: ErrorType; status: number } {
  if (code === 'server_is_overloaded' || code === 'slow_down')
    return { errorType: 'overloaded_error', status: ERROR_STATUS.overloaded_error };
  return statusErrorType(status);
}

/** Seconds until a usage/rate limit lifts, from the body's resets_in_seconds or resets_at. */
function resetsInSeconds(parsed: UpstreamErrorBody | null, nowMs = Date.now()): number | undefined {
  if (parsed?.resetsInSeconds !== undefined) return Math.max(0, parsed.resetsInSeconds);
  if (parsed?.resetsAt !== undefined) return Math.max(0, parsed.resetsAt - Math.floor(nowMs / 1000));
  return undefined;
}

function withFullStop(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

/** For a non-2xx answer of `POST /codex/responses` (before any stream). */
export function failureFromHttp(status: number, body: string, headers?: Headers): UpstreamFailure {
  const parsed = parseErrorBody(body);
  const code = parsed?.code;
  const nonJson = parsed ? undefined : describeNonJsonBody(body);
  const upstreamText = parsed?.message ?? 'no details in the response body';

  if (code === 'context_length_exceeded')
    return failure('invalid_request_error', promptTooLong(upstreamText), { code });
  if (isIdentityRefusal(status, body, headers))
    return failure(status === 404 ? 'not_found_error' : 'permission_error', identityRefusedMessage(status), {
      code: 'identity_refused',
    });

  const { errorType, status: clientStatus } = clientErrorFor(status, code);
  let text = parsed ? upstreamText : nonJson ? `answered with ${nonJson}` : 'answered with an empty body';
  let retryAfterSeconds: number | undefined;
  if (errorType === 'rate_limit_error') {
    const resetsIn = resetsInSeconds(parsed);
    retryAfterSeconds =
      retryAfterFrom(headers) ?? (resetsIn !== undefined ? Math.ceil(resetsIn) : retryHintSeconds(text));
    if (resetsIn !== undefined) text = `${withFullStop(text)} The limit resets in ${formatDuration(resetsIn)}.`;
  } else if (errorType === 'overloaded_error') {
    retryAfterSeconds = retryAfterFrom(headers);
  }

  const label = [`HTTP ${status}`, code, parsed?.planType && `plan ${parsed.planType}`].filter(Boolean).join(', ');
  return failure(errorType, `${SOURCE} (${label}): ${text}`, {
    status: clientStatus,
    ...(code ? { code } : {}),
    ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}),
  });
}

/** The Anthropic error body: `{type:"error",error:{type,message},request_id}`. */
export function errorBody(failure: Pick<UpstreamFailure, 'errorType' | 'message'>, requestId?: string): ErrorBody {
  return {
    type: 'error',
    error: { type: failure.errorType, message: failure.message },
    ...(requestId ? { request_id: requestId } : {}),
  };
}

/** The code, message and reset time of an in-stream `error` event (flat or nested under `error`). */
export function streamErrorOf(ev: Extract<CodexEvent, { type: 'error' }> | Record<string, unknown>): UpstreamErrorBody {
  return streamErrorFields(ev);
}
