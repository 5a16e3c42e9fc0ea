// Reading what the Codex backend says when it refuses: its two error envelopes and its retry
// hints. Shared by the error translation (what the client sees) and the account rules (cooldowns).
import { finiteNumber as num, isRecord, trimmedString as str } from '../translate/guards.js';

export interface UpstreamErrorBody {
  message?: string;
  code?: string;
  /** Unix seconds (usage_limit_reached). */
  resetsAt?: number;
  resetsInSeconds?: number;
  planType?: string;
}

/**
 * Both envelopes: `{"detail": …}` (gateway checks) and `{"error": {…}}` (schema and quota).
 * Null when the body is not a JSON object (an HTML gateway page, plain text, nothing).
 */
export function parseErrorBody(body: string | undefined): UpstreamErrorBody | null {
  if (!body) return null;
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return null;
  }
  if (!isRecord(json)) return null;
  const { error, detail } = json;
  if (isRecord(error)) {
    // The usage limit is named by `type`; a `code` next to it would hide it.
    const type = str(error.type);
    return {
      message: str(error.message),
      code: type === 'usage_limit_reached' ? type : (str(error.code) ?? type),
      resetsAt: num(error.resets_at),
      resetsInSeconds: num(error.resets_in_seconds),
      planType: str(error.plan_type),
    };
  }
  if (typeof error === 'string') return { message: str(error) };
  if (typeof detail === 'string') return { message: str(detail), code: str(json.code) };
  if (detail !== undefined) return { message: JSON.stringify(detail).slice(0, 500) };
  return { message: str(json.message), code: str(json.code) };
}

/** `retry-after-ms`, then `retry-after` as seconds or an HTTP date. */
export function retryAfterSeconds(headers: Headers | undefined, nowMs = Date.now()): number | undefined {
  const ms = Number(headers?.get('retry-after-ms'));
  if (ms > 0) return Math.ceil(ms / 1000);
  const raw = headers?.get('retry-after')?.trim();
  if (!raw) return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds)) return seconds > 0 ? Math.ceil(seconds) : undefined;
  const date = Date.parse(raw);
  return Number.isFinite(date) && date > nowMs ? Math.ceil((date - nowMs) / 1000) : undefined;
}

/** "… Please try again in 11.054s." inside a rate-limit message. */
export function retryHintSeconds(message: string | undefined): number | undefined {
  const m = message && /try again in\s*(\d+(?:\.\d+)?)\s*(ms|s|sec|seconds?)\b/i.exec(message);
  if (!m) return undefined;
  const value = Number(m[1]);
  return Math.max(1, Math.ceil(m[2].toLowerCase() === 'ms' ? value / 1000 : value));
}
