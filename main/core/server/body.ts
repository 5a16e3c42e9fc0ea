// Reads a JSON request body with a size limit and turns every way it can go wrong into a 4xx a
// person can act on (never a stack trace).
import type { Context } from 'koa';
import getRawBody from 'raw-body';
import { HttpError } from './http-error.js';

export const MESSAGES_BODY_LIMIT = 32 * 1024 * 1024; // Anthropic's own request size limit

export async function readJsonBody(ctx: Context, limit = MESSAGES_BODY_LIMIT): Promise<unknown> {
  let text: string;
  try {
    text = await getRawBody(ctx.req, { limit, encoding: 'utf8', length: ctx.get('content-length') || undefined });
  } catch (err) {
    const e = err as { type?: string; status?: number };
    if (e.type === 'entity.too.large') {
      throw new HttpError(
        'request_too_large',
        `Request body is larger than the ${Math.round(limit / 1024 / 1024)} MB limit.`,
      );
    }
    if (e.type === 'encoding.unsupported')
      throw new HttpError('invalid_request_error', 'Unsupported content encoding.');
    throw new HttpError('invalid_request_error', 'Could not read the request body (the connection ended early).');
  }
  if (!text.trim()) throw new HttpError('invalid_request_error', 'Request body is empty; send a JSON object.');
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new HttpError('invalid_request_error', `Request body is not valid JSON: ${(err as Error).message}`);
  }
}
