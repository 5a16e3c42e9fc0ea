// Identifiers the Codex backend accepts: tool names and call ids must match ^[A-Za-z0-9_-]+$ and
// stay within 64 characters. Anything else gets a deterministic stand-in, so the same original
// maps to the same identifier on every request of a conversation (prompt caching, pairing).
import { createHash, randomUUID } from 'node:crypto';

export const MAX_IDENTIFIER_LENGTH = 64;
const LEGAL_IDENTIFIER = /^[A-Za-z0-9_-]{1,64}$/;

export function isLegalIdentifier(value: string): boolean {
  return LEGAL_IDENTIFIER.test(value);
}

/**
 * A legal stand-in for `value`: its legal characters (head and tail kept when too long, since
 * MCP tool names carry the server in front and the tool at the end) plus a hash of the original,
 * which keeps distinct originals distinct.
 */
export function hashedIdentifier(value: string, hashLength = 10): string {
  const hash = createHash('sha256').update(value).digest('hex').slice(0, hashLength);
  const room = MAX_IDENTIFIER_LENGTH - hashLength - 1;
  let readable = value.replace(/[^A-Za-z0-9_-]/g, '_');
  if (readable.length > room) {
    const tail = Math.floor((room - 1) / 2);
    readable = `${readable.slice(0, room - 1 - tail)}_${readable.slice(-tail)}`;
  }
  return `${readable}_${hash}`;
}

/** Anthropic tool_use id → Codex call_id. Ids we minted from Codex call_ids come back unchanged. */
export function toUpstreamCallId(id: string): string {
  return isLegalIdentifier(id) ? id : hashedIdentifier(id);
}

/**
 * A fresh random id such as `msg_…` with 24 hex digits (over 90 random bits). randomUUID draws
 * from a cached entropy pool, several times cheaper than randomBytes per call on the request path.
 */
export function randomId(prefix: string): string {
  return prefix + randomUUID().replace(/-/g, '').slice(0, 24);
}
