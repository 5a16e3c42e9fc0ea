// The one answer Claude Code gets when no account can serve: every account's state in words, the
// earliest time one comes back, and a retry-after that makes Claude Code stop at once (> 60 s)
// rather than retry for minutes when that time is far (docs/FACTS.md, "Claude Code stops retrying
// when retry-after is over a minute").
import type { AccountStatus } from '../../../shared/api.js';
import type { NoUsableAccount } from './types.js';

export interface AccountState {
  label: string;
  status: AccountStatus;
  until: number | null;
  reason: string | null;
  /** Usable, but already failed for the request being served. */
  triedForThisRequest: boolean;
}

/** Waiting cannot fix accounts that need a new sign-in: make the client stop, not poll. */
const NOTHING_RECOVERS_S = 3600;
/** An account that merely failed this request may work for the next one. */
const RETRY_TRIED_S = 5;

export const NONE_CONFIGURED: NoUsableAccount = {
  kind: 'none-configured',
  message:
    'No ChatGPT account is set up in codex-claude-proxy. Add one with `codex-claude-proxy accounts import` (reuses your Codex CLI ' +
    'login), `codex-claude-proxy accounts add` (sign in with ChatGPT in the browser; --no-browser on a server), or from the dashboard.',
};

function inWords(seconds: number): string {
  if (seconds < 90) return `${Math.max(1, Math.round(seconds))} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 90) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  return hours < 48 ? `${hours} h ${minutes % 60} min` : `${Math.round(hours / 24)} days`;
}

function at(unixS: number): string {
  return new Date(unixS * 1000).toISOString().replace('.000Z', 'Z');
}

function stateText(a: AccountState, nowS: number): string {
  if (a.status === 'needs_relogin') return `needs a new sign-in${a.reason ? ` (${a.reason})` : ''}`;
  if (a.status === 'cooldown' && a.until !== null) {
    return `${a.reason ?? 'cooling down'}, back at ${at(a.until)} (in ${inWords(a.until - nowS)})`;
  }
  if (a.status === 'disabled') return `unusable${a.reason ? ` (${a.reason})` : ''}`;
  return a.triedForThisRequest ? 'already failed for this request' : 'unavailable';
}

/** When this account can be tried again (unix s), or null when waiting does not help. */
function backAt(a: AccountState, nowS: number): number | null {
  if (a.status === 'cooldown' && a.until !== null) return a.until;
  if (a.status === 'active') return nowS + RETRY_TRIED_S;
  return null;
}

export function allUnusable(accounts: AccountState[], nowMs: number): NoUsableAccount {
  const nowS = Math.floor(nowMs / 1000);
  const times = accounts.map((a) => backAt(a, nowS)).filter((t): t is number => t !== null);
  const earliest = times.length ? Math.min(...times) : null;
  const parts = accounts.map((a) => `${a.label}: ${stateText(a, nowS)}`);
  const head = accounts.length === 1 ? 'The only ChatGPT account is' : `All ${accounts.length} ChatGPT accounts are`;
  const lines = [`${head} unavailable right now. ${parts.join('; ')}.`];
  if (earliest !== null) lines.push(`Earliest reset: ${at(earliest)} (in ${inWords(earliest - nowS)}).`);
  if (accounts.some((a) => a.status === 'needs_relogin')) lines.push('Sign in again with `codex-claude-proxy accounts add`.');
  return {
    kind: 'all-unusable',
    message: lines.join(' '),
    retryAfterSeconds: earliest !== null ? Math.max(1, earliest - nowS) : NOTHING_RECOVERS_S,
  };
}
