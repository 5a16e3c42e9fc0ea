// Every error the proxy answers with is Anthropic-shaped, whatever its origin.
import type { Context } from 'koa';
import { ERROR_STATUS, type ErrorBody, type ErrorType } from '../../../shared/anthropic.js';

export class HttpError extends Error {
  constructor(
    readonly errorType: ErrorType,
    message: string,
    readonly status: number = ERROR_STATUS[errorType],
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export function requestIdOf(ctx: Context): string {
  return String(ctx.state.requestId ?? '');
}

export function sendError(
  ctx: Context,
  failure: { errorType: ErrorType; message: string; status?: number; retryAfterSeconds?: number },
): void {
  const body: ErrorBody = {
    type: 'error',
    error: { type: failure.errorType, message: failure.message },
    request_id: requestIdOf(ctx),
  };
  ctx.status =
    failure.status && failure.status >= 400 && failure.status < 600 ? failure.status : ERROR_STATUS[failure.errorType];
  if (failure.retryAfterSeconds !== undefined)
    ctx.set('retry-after', String(Math.max(0, Math.ceil(failure.retryAfterSeconds))));
  ctx.body = body;
}
