// The shape a Messages request must have before anything can be translated. Only what makes a
// request unusable is refused: unknown fields and block types pass, because a 400 sends Claude
// Code into a feature-stripping retry ladder.
import type { MessagesRequest } from '../../../shared/anthropic.js';
import { isRecord } from '../util/guards.js';
import { RequestError } from './request-error.js';

const ROLES = ['user', 'assistant', 'system'];

function invalid(message: string): RequestError {
  return new RequestError('invalid_request_error', message);
}

/**
 * Rejects only what cannot be translated at all. Unknown fields and block types pass: a 400
 * sends Claude Code into a feature-stripping retry ladder.
 */
export function validateMessagesRequest(body: unknown): MessagesRequest {
  if (!isRecord(body)) throw invalid('The request body must be a JSON object with "model" and "messages".');
  if (typeof body.model !== 'string')
    throw invalid('model: required, and must be a string such as "claude-sonnet-4-5".');
  const messages = body.messages;
  if (!Array.isArray(messages))
    throw invalid('messages: required, and must be an array of {"role","content"} objects.');
  if (messages.length === 0) throw invalid('messages: must contain at least one message.');
  messages.forEach((message: unknown, i) => {
    if (!isRecord(message)) throw invalid(`messages.${i}: must be an object with "role" and "content".`);
    if (typeof message.role !== 'string' || !ROLES.includes(message.role)) {
      throw invalid(
        `messages.${i}.role: must be "user", "assistant" or "system" (got ${JSON.stringify(message.role) ?? 'nothing'}).`,
      );
    }
    if (typeof message.content !== 'string' && !Array.isArray(message.content)) {
      throw invalid(`messages.${i}.content: must be a string or an array of content blocks.`);
    }
  });
  return body as MessagesRequest;
}
