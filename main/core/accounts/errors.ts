// Failures of account operations that a person can act on. The error type is the Anthropic one
// the HTTP routes answer with, so the routes need no mapping table.
import type { ErrorType } from '../../../shared/anthropic.js';

export class AccountsError extends Error {
  override readonly name = 'AccountsError';

  constructor(
    readonly errorType: ErrorType,
    message: string,
  ) {
    super(message);
  }
}
