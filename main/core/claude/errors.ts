// Failures a person must act on; the server and the CLI show `message` as is. Each code is one
// kind of failure, and so one error type of the answer.
import type { ErrorType } from '../../../shared/anthropic.js';
import { ClientError } from '../util/client-error.js';

export type ClaudeConfigErrorCode = 'malformed' | 'no-backup' | 'invalid-target' | 'read-only';

const ERROR_TYPES: Record<ClaudeConfigErrorCode, ErrorType> = {
  malformed: 'invalid_request_error',
  'no-backup': 'not_found_error',
  'invalid-target': 'api_error',
  'read-only': 'permission_error',
};

export class ClaudeConfigError extends ClientError {
  override readonly name = 'ClaudeConfigError';
  declare readonly code: ClaudeConfigErrorCode;

  constructor(
    code: ClaudeConfigErrorCode,
    message: string,
    readonly path?: string,
  ) {
    super(ERROR_TYPES[code], message, { code });
  }
}
