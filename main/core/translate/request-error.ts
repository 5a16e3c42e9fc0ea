import type { ErrorType } from '../../../shared/anthropic.js';

/** A client request we cannot serve; the front end answers it with ERROR_STATUS[errorType]. */
export class RequestError extends Error {
  constructor(
    public readonly errorType: ErrorType,
    message: string,
  ) {
    super(message);
    this.name = 'RequestError';
  }
}
