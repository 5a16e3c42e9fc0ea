// Reading what the Codex backend says when it refuses: its two error envelopes and its retry
// hints. Shared by the error translation (what the client sees) and the account rules (cooldowns).
import { finiteNumber as num, isRecord, trimmedString as str } from '../util/guards.js';

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

/**
 * The code, message and reset time of a `response.failed` error or an `error` event (flat or
 * nested under `error`). A usage limit may be named by `type` alone, so `type` counts as the code
 * when no code is given, and wins when it names the usage limit (docs/FACTS.md, "Usage limits may
 * be named by `type` alone").
 */
export function streamErrorFields(raw: unknown): UpstreamErrorBody {
  const outer = isRecord(raw) ? raw : {};
  const fields = isRecord(outer.error) ? outer.error : outer;
  const type = str(fields.type) === 'error' ? undefined : str(fields.type);
  const code = type === 'usage_limit_reached' ? type : (str(fields.code) ?? type ?? str(outer.code));
  const out: UpstreamErrorBody = {};
  const message = str(fields.message) ?? str(outer.message);
  if (code) out.code = code;
  if (message) out.message = message;
  const resetsAt = num(fields.resets_at);
  const resetsIn = num(fields.resets_in_seconds);
  const plan = str(fields.plan_type);
  if (resetsAt !== undefined) out.resetsAt = resetsAt;
  if (resetsIn !== undefined) out.resetsInSeconds = resetsIn;
  if (plan) out.planType = plan;
  return out;
}

/**
 * True when the backend's edge refused the client itself rather than the account or the request:
 * Cloudflare's challenge (403, `cf-mitigated`, an HTML page), or a 404 for the endpoint itself
 * (not an item-not-found answer about the request's content).
 */
export function isIdentityRefusal(status: number, body: string | undefined, headers?: Headers): boolean {
  if (status !== 403 && status !== 404) return false;
  if (headers?.get('cf-mitigated')) return true;
  const parsed = parseErrorBody(body);
  if (status === 403) return parsed === null && /^\s*</.test(body ?? '');
  return parsed === null || /^not found\.?$/i.test(parsed.message ?? '');
}
