// The contract between the request path (server) and the accounts room. The server never sees
// how accounts are stored, refreshed or chosen; it asks for a lease and reports what upstream said.
import type { AccountSummary, AccountsResponse, PooledQuota, SelectionStrategy } from '../../../shared/api.js';
import type { AccountVerdict } from '../upstream/failure.js';
import type { UpstreamCredentials } from '../upstream/codex-client.js';


export interface AccountLease {
  /** Our local account id (stable key in the store). */
  id: string;
  label: string;
  credentials: UpstreamCredentials;
}

/** Why no account could be leased: nothing configured, or everything unusable right now. */
export interface NoUsableAccount {
  kind: 'none-configured' | 'all-unusable';
  message: string;
  /** Seconds until the earliest account may work again (all-unusable only). */
  retryAfterSeconds?: number;
}

export interface UpstreamOutcome {
  status: number;
  /** The answer's headers: their x-codex-* quota is recorded whatever the verdict. */
  headers: Headers;
  /** What the answer means for the account, from the one classifier (upstream/failure.ts). */
  verdict: AccountVerdict;
}

/**
 * What the request path should do next:
 * - `ok`: nothing to do (success recorded);
 * - `retry-same`: credentials were refreshed, try the same account once more;
 * - `next`: this account is unusable for now, fail over to another one;
 * - `give-up`: the error is about the request, not the account; return it to the client.
 */
export type OutcomeDecision = 'ok' | 'retry-same' | 'next' | 'give-up';

export interface AcquireOptions {
  /** Claude Code session id (sticky strategy keeps a session on one account). */
  sessionKey?: string;
  /** Accounts already tried for this request. */
  exclude?: ReadonlySet<string>;
}

export interface AccountPool {
  acquire(opts: AcquireOptions): Promise<AccountLease | NoUsableAccount>;
  report(leaseId: string, outcome: UpstreamOutcome): Promise<OutcomeDecision>;
  counts(): { total: number; usable: number };
  list(): Promise<AccountsResponse>;
  quota(): Promise<PooledQuota>;
  importCodexAuth(path?: string): Promise<AccountSummary>;
  remove(id: string): Promise<boolean>;
  setStrategy(strategy: SelectionStrategy): Promise<void>;
  setPreferred(id: string): Promise<void>;
  refresh(id: string): Promise<AccountSummary>;
  /** Which account served which session recently (dashboard). */
  sessions(): Array<{ session: string; account: string; last_used: number }>;
  /** Emits 'change' whenever the list, a status or quota changes. */
  on(event: 'change', listener: () => void): unknown;
  off(event: 'change', listener: () => void): unknown;
  close(): Promise<void>;
}

export function isLease(x: AccountLease | NoUsableAccount): x is AccountLease {
  return 'credentials' in x;
}
