// Which conversation a request belongs to: Claude Code names it in a header and in
// metadata.user_id. The id keys prompt caching upstream (session-id, prompt_cache_key), the
// account a session sticks to, and the turn state.
import type { MessagesRequest } from '../../../shared/anthropic.js';
import { isRecord, nonEmptyString } from '../util/guards.js';

const SESSION_HEADER = 'x-claude-code-session-id';

function headerValue(headers: Record<string, string | undefined>, name: string): string | undefined {
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  return key === undefined ? undefined : headers[key];
}

/** Claude Code's metadata.user_id: a JSON string with session_id, or the older "user_…_session_<uuid>". */
function sessionFromUserId(userId: unknown): string | undefined {
  if (!nonEmptyString(userId)) return undefined;
  try {
    const parsed: unknown = JSON.parse(userId);
    if (isRecord(parsed)) return nonEmptyString(parsed.session_id) ? parsed.session_id : undefined;
  } catch {
    // not JSON: the older plain form
  }
  const marker = userId.lastIndexOf('_session_');
  const session = marker === -1 ? '' : userId.slice(marker + '_session_'.length);
  return session === '' ? undefined : session;
}

/**
 * The id goes out as the session-id header, and Node's HTTP client refuses a header value with
 * control or non-Latin-1 characters before sending anything; printable ASCII is also all a real
 * session id (a UUID) contains. Undefined when nothing of it is left.
 */
function headerSafe(id: string | undefined): string | undefined {
  const safe = id?.replace(/[^\x20-\x7e]/g, '').trim();
  return safe ? safe : undefined;
}

/** The conversation's session id, usable as a header value and as prompt_cache_key. */
export function sessionKeyOf(req: MessagesRequest, headers: Record<string, string | undefined>): string | undefined {
  return (
    headerSafe(headerValue(headers, SESSION_HEADER)) ??
    headerSafe(sessionFromUserId(isRecord(req.metadata) ? req.metadata.user_id : undefined))
  );
}
