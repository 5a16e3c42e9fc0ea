// Errors from the local API all share the Anthropic error shape; the message is what users see.
import type { ErrorBody } from '../../../shared/anthropic.js';

export class ApiError extends Error {
  readonly status: number;
  readonly type: string;

  constructor(status: number, type: string, message: string) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.type = type;
  }
}

function isErrorBody(value: unknown): value is ErrorBody {
  if (typeof value !== 'object' || value === null) return false;
  const error = (value as { error?: unknown }).error;
  return typeof error === 'object' && error !== null && typeof (error as { message?: unknown }).message === 'string';
}

/** Build an ApiError from a failed response's status and raw body (JSON error shape or not). */
export function apiErrorFrom(status: number, statusText: string, bodyText: string): ApiError {
  try {
    const parsed: unknown = JSON.parse(bodyText);
    if (isErrorBody(parsed)) return new ApiError(status, parsed.error.type, parsed.error.message);
  } catch {
    // not JSON: fall through to the plain-text message
  }
  const detail = bodyText.trim().slice(0, 200) || statusText;
  return new ApiError(status, 'http_error', `HTTP ${status}${detail ? `: ${detail}` : ''}`);
}

/** The message to show for anything thrown by an API call. */
export function errorText(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
