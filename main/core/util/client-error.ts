// What a client is told when its request fails: one type for every room (a request the translator
// cannot serve, an account operation, a refused path, an upstream failure). The server's error
// middleware (server/app.ts) is the only place that turns it into a response, in the Anthropic
// envelope or, on the OpenAI endpoint, in OpenAI's shape; rooms only throw it or return it.
import { ERROR_STATUS, type ErrorType } from '../../../shared/anthropic.js';

/** A client-facing failure as plain data, e.g. the `failure` of a MessagesResult. */
export interface ClientFailure {
  errorType: ErrorType;
  /** The HTTP status to answer with (when nothing was sent yet). */
  status: number;
  message: string;
  /**
   * What exactly failed, for programs: the upstream error code (`usage_limit_reached`), which the
   * OpenAI shape sends as its `code`, or a room's own code (ClaudeConfigError's).
   */
  code?: string;
  /** Sent as `retry-after`, in whole seconds rounded up. */
  retryAfterSeconds?: number;
  /** More response headers. */
  headers?: Readonly<Record<string, string>>;
}

export interface ClientErrorOptions {
  /** Default ERROR_STATUS[errorType]; anything outside 400-599 is replaced by that default. */
  status?: number;
  code?: string;
  retryAfterSeconds?: number;
  headers?: Readonly<Record<string, string>>;
  cause?: unknown;
}

/** The status for an error type; 500 for a type a hand-built object got wrong. */
function defaultStatus(errorType: ErrorType): number {
  return ERROR_STATUS[errorType] ?? 500;
}

function validStatus(status: number | undefined): status is number {
  return status !== undefined && Number.isInteger(status) && status >= 400 && status < 600;
}

export class ClientError extends Error implements ClientFailure {
  readonly status: number;
  readonly code?: string;
  readonly retryAfterSeconds?: number;
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    readonly errorType: ErrorType,
    message: string,
    opts: ClientErrorOptions = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'ClientError';
    this.status = validStatus(opts.status) ? opts.status : defaultStatus(errorType);
    if (opts.code !== undefined) this.code = opts.code;
    if (opts.retryAfterSeconds !== undefined) this.retryAfterSeconds = opts.retryAfterSeconds;
    this.headers = opts.headers ?? {};
  }

  /** A failure that was returned rather than thrown (a lane's result, a routing refusal), to throw. */
  static from(failure: ClientFailure): ClientError {
    return failure instanceof ClientError ? failure : new ClientError(failure.errorType, failure.message, failure);
  }

  /** The plain data, for a result that carries the failure instead of throwing it. */
  toFailure(): ClientFailure {
    const { errorType, status, message, code, retryAfterSeconds } = this;
    return {
      errorType,
      status,
      message,
      ...(code !== undefined ? { code } : {}),
      ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}),
      ...(Object.keys(this.headers).length ? { headers: this.headers } : {}),
    };
  }

  /** Every header the answer carries, `retry-after` included. */
  responseHeaders(): Record<string, string> {
    const headers = { ...this.headers };
    if (this.retryAfterSeconds !== undefined)
      headers['retry-after'] = String(Math.max(0, Math.ceil(this.retryAfterSeconds)));
    return headers;
  }
}
