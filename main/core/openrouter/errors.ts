// OpenRouter failures as UpstreamFailures. OpenRouter answers request errors with an HTTP status
// and `{"error":{"code":<status>,"message":…,"metadata":…}}`; failures after the 200 arrive as a
// chunk carrying the same `error` object. Messages say "OpenRouter" so a person knows the source.
import { ERROR_STATUS, type ErrorType } from '../../../shared/anthropic.js';
import type { UpstreamFailure } from '../upstream/failure.js';
import { isRecord } from '../util/guards.js';

const SOURCE = 'OpenRouter';

export function errorTypeForStatus(status: number): ErrorType {
  if (status === 400 || status === 422) return 'invalid_request_error';
  if (status === 401) return 'authentication_error';
  // 402: out of credits; 403: moderation or permissions. Neither improves by retrying soon.
  if (status === 402 || status === 403) return 'permission_error';
  if (status === 404) return 'not_found_error';
  if (status === 413) return 'request_too_large';
  if (status === 429) return 'rate_limit_error';
  if (status === 503 || status === 529) return 'overloaded_error';
  return 'api_error';
}

export function openRouterFailure(
  errorType: ErrorType,
  message: string,
  extra: Partial<UpstreamFailure> = {},
): UpstreamFailure {
  return { errorType, status: ERROR_STATUS[errorType], message: `${SOURCE}: ${message}`, ...extra };
}

function retryAfter(headers: Headers | undefined): number | undefined {
  const value = Number(headers?.get('retry-after'));
  return Number.isFinite(value) && value > 0 ? value : undefined;
}

/** The `error` object of an OpenRouter body or chunk; the provider's name helps when one is down. */
function describe(error: Record<string, unknown>): string | undefined {
  const message = typeof error.message === 'string' ? error.message.trim() : '';
  if (!message) return undefined;
  const provider =
    isRecord(error.metadata) && typeof error.metadata.provider_name === 'string'
      ? ` (provider ${error.metadata.provider_name})`
      : '';
  return message + provider;
}

export function failureFromHttp(status: number, body: string, headers?: Headers): UpstreamFailure {
  let message: string | undefined;
  try {
    const parsed: unknown = JSON.parse(body);
    if (isRecord(parsed) && isRecord(parsed.error)) message = describe(parsed.error);
  } catch {
    // Gateways answer with HTML pages; their text is no use to a person reading our log.
  }
  return openRouterFailure(errorTypeForStatus(status), message ?? `HTTP ${status}`, {
    retryAfterSeconds: retryAfter(headers),
  });
}

export function failureFromChunkError(error: {
  code?: unknown;
  message?: unknown;
  [k: string]: unknown;
}): UpstreamFailure {
  const code = error.code;
  const errorType = typeof code === 'number' ? errorTypeForStatus(code) : 'api_error';
  return openRouterFailure(
    errorType,
    describe(error) ?? 'the response failed without an explanation',
    typeof code === 'string' ? { code } : {},
  );
}
