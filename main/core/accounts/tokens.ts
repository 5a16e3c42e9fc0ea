// The token bundle kept in the secret store for each account, and when it needs a refresh.
import { tokenExpiry } from './claims.js';

export interface TokenBundle {
  id_token: string;
  access_token: string;
  /** Null for an import without one: such an account works until its access token expires. */
  refresh_token: string | null;
  /** ISO time of the sign-in or last successful refresh. */
  last_refresh: string;
}

/** Refresh this long before the access token's `exp`, so no request starts with a dying token. */
export const REFRESH_MARGIN_S = 5 * 60;

export function serializeTokens(bundle: TokenBundle): string {
  return JSON.stringify(bundle);
}

export function parseTokens(raw: string): TokenBundle {
  const v = JSON.parse(raw) as Partial<TokenBundle>;
  if (typeof v.access_token !== 'string' || typeof v.id_token !== 'string') throw new Error('stored tokens are incomplete');
  return {
    id_token: v.id_token,
    access_token: v.access_token,
    refresh_token: typeof v.refresh_token === 'string' && v.refresh_token ? v.refresh_token : null,
    last_refresh: typeof v.last_refresh === 'string' ? v.last_refresh : new Date(0).toISOString(),
  };
}

/** Without a readable `exp`, refresh on age the way the Codex CLI does. */
const MAX_AGE_WITHOUT_EXP_MS = 8 * 24 * 3600 * 1000;

/** True when the access token expires within the margin (or is old and says nothing about it). */
export function needsRefresh(bundle: TokenBundle, nowMs: number): boolean {
  const exp = tokenExpiry(bundle.access_token);
  if (exp !== null) return exp - nowMs / 1000 < REFRESH_MARGIN_S;
  return nowMs - Date.parse(bundle.last_refresh) > MAX_AGE_WITHOUT_EXP_MS;
}
