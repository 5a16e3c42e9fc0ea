// Errors in OpenAI's shape. The core thinks in Anthropic error types; an OpenAI client decides
// what to do from the HTTP status (the official SDK picks its error class by status), and reads
// `type`/`code` for the detail, so both are chosen to look like what api.openai.com sends.
import type { ErrorType } from '../../../shared/anthropic.js';
import type { ChatErrorBody } from './types.js';

const OPENAI_ERROR: Record<ErrorType, { type: string; code: string | null }> = {
  invalid_request_error: { type: 'invalid_request_error', code: null },
  authentication_error: { type: 'authentication_error', code: 'invalid_api_key' },
  permission_error: { type: 'permission_error', code: null },
  // A 404 of the service is a model id it cannot route; an unknown URL says so in its own code.
  not_found_error: { type: 'invalid_request_error', code: 'model_not_found' },
  request_too_large: { type: 'invalid_request_error', code: 'request_too_large' },
  rate_limit_error: { type: 'rate_limit_error', code: 'rate_limit_exceeded' },
  api_error: { type: 'server_error', code: 'server_error' },
  overloaded_error: { type: 'server_error', code: 'overloaded' },
};

export function chatErrorBody(
  errorType: ErrorType,
  message: string,
  opts: { param?: string | null; code?: string | null } = {},
): ChatErrorBody {
  const shape = OPENAI_ERROR[errorType] ?? OPENAI_ERROR.api_error;
  return { error: { message, type: shape.type, param: opts.param ?? null, code: opts.code ?? shape.code } };
}
