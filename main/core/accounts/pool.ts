// The accounts room: many ChatGPT accounts behind one AccountPool. It hands out fresh credentials
// (refreshing ahead of expiry), turns upstream answers into cooldowns and failover decisions,
// keeps quota per account, and runs the sign-in flows. State that must survive or be shared with
// other processes lives in the store; this class keeps only what one process needs at run time.
import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';
import {
  isSelectionStrategy,
  SELECTION_STRATEGIES,
  type AccountQuota,
  type AccountsResponse,
  type AccountSummary,
  type LoginStatus,
  type PooledQuota,
  type SelectionStrategy,
  type StartedDeviceLogin,
  type StartedLogin,
} from '../../../shared/api.js';
import { codexAuthPath } from '../config/paths.js';
import { SecretUnreadableError, type SecretStore, type SecretStoreKind } from '../secrets/types.js';
import { allUnusable, NONE_CONFIGURED, type AccountState } from './availability.js';
import { identityFromTokens, tokenExpiry, type TokenIdentity } from './claims.js';
import { readCodexLogin } from './codex-import.js';
import { AccountsError } from './errors.js';
import type { LoginManager } from './oauth/login-manager.js';
import { OAuthError } from './oauth/token-client.js';
import { cooldownEnd } from './outcome.js';
import { COOLDOWN_S, type CooldownCause } from '../upstream/failure.js';
import {
  applyQuota,
  headroomPercent,
  nextReset,
  pooledQuota,
  quotaFromHeaders,
  quotaFromUsage,
  quotaShowsRoom,
  type QuotaUpdate,
} from './quota.js';
import type { Refresher } from './refresher.js';
import { chooseAccount, type Candidate } from './selection.js';
import { AccountStore, type AccountRecord, type AccountsFile } from './store.js';
import type { TokenBundle } from './tokens.js';
import {
  isLease,
  type AccountLease,
  type AccountPool,
  type AcquireOptions,
  type NoUsableAccount,
  type OutcomeDecision,
  type UpstreamOutcome,
} from './types.js';
import { fetchUsage, UsageHttpError } from '../upstream/usage-client.js';
import type { UpstreamIdentity } from '../upstream/identity.js';

type LogFn = (obj: object | string, msg?: string) => void;
export interface PoolLog {
  info: LogFn;
  warn: LogFn;
  error: LogFn;
}

export type ImportedAccount = AccountSummary & { warnings: string[] };

/** One account's tokens as the doctor sees them (main/core/doctor). */
export type TokenInspection =
  | { ok: true; bundle: TokenBundle; refreshed: boolean }
  | { ok: false; stage: 'read' | 'refresh'; message: string; terminal: boolean; bundle?: TokenBundle };

/** What the CLI, the dashboard routes and the desktop shell use beyond the request path's contract. */
export interface AccountsService {
  readonly secretStoreKind: SecretStoreKind;
  /** Where the secrets are and how they are protected (one line). */
  readonly secretStoreDescription: string;
  /** Conditions a person should know about (shown in /health). */
  warnings(): string[];
  startLogin(opts?: { callbackServer?: boolean }): Promise<StartedLogin>;
  startDeviceLogin(): Promise<StartedDeviceLogin>;
  loginStatus(loginId: string): LoginStatus;
  waitForLogin(loginId: string): Promise<AccountSummary>;
  completeManual(loginId: string | undefined, pasted: string): Promise<AccountSummary>;
  cancelLogin(loginId: string): boolean;
  importCodexAuth(path?: string): Promise<ImportedAccount>;
  /** Null clears the preference. */
  setPreferred(id: string | null): Promise<void>;
  refreshAll(): Promise<AccountSummary[]>;
  /** Fetches the usage snapshot of one account (or all) now. */
  refreshQuota(id?: string): Promise<void>;
  getOpenRouterKey(): Promise<string | null>;
  setOpenRouterKey(key: string | null): Promise<void>;
  /**
   * The account's stored tokens read now, never refreshed unless `refresh` is set. Nothing else
   * about the account changes (a failed refresh marks it as any refresh would).
   */
  inspectTokens(id: string, opts: { refresh: boolean }): Promise<TokenInspection>;
}

export interface PoolDeps {
  store: AccountStore;
  secrets: SecretStore;
  refresher: Refresher;
  /** Built by the factory with a `save` that calls back into the pool. */
  logins: (pool: Pool) => LoginManager;
  env: NodeJS.ProcessEnv;
  backendUrl: string;
  fetch: typeof fetch;
  /** The client identity for wham/usage (upstream/identity.ts). */
  identity: () => UpstreamIdentity;
  log: PoolLog;
  now: () => number;
  /** Period of the background usage poll; 0 disables it. */
  usagePollMs: number;
  /**
   * While every account is cooling after a usage or rate limit, one request at most this often
   * goes through to see whether the limit lifted early; 0 disables it.
   */
  probeMs: number;
}

const OPENROUTER_SECRET_ID = 'openrouter-api-key';
/** A retry-same answer lets the next acquire of that session return the refreshed account. */
const RETRY_HINT_MS = 10_000;
/** Consecutive 401s (each followed by a refresh) before the account is set aside. */
const MAX_UNAUTHORIZED_STREAK = 3;
/** Quota is written to disk in batches: every response carries headers. */
const QUOTA_FLUSH_MS = 5_000;
/** Active accounts' usage is re-fetched when older than this; cooling ones on every poll. */
const USAGE_MAX_AGE_MS = 15 * 60_000;
const MAX_SESSIONS = 1_000;
/**
 * The request path looks at accounts.json for other processes' writes at most this often: a stat
 * per request costs about a millisecond of wall time under load, while changes made elsewhere (a
 * CLI import, a refresh by another proxy) are rare, and fs.watch usually announces them sooner.
 */
const STORE_CHECK_MS = 500;
const LIFTABLE: ReadonlySet<CooldownCause> = new Set(['usage_limit', 'rate_limit']);

/** Our id for an account: the same ChatGPT account and user always map to the same id. */
export function localAccountId(identity: TokenIdentity): string {
  const digest = createHash('sha256')
    .update(`${identity.accountId}\n${identity.userId ?? ''}`)
    .digest('hex');
  return `acct_${digest.slice(0, 16)}`;
}

function labelOf(rec: AccountRecord): string {
  return rec.email ?? rec.account_id;
}

export class Pool extends EventEmitter implements AccountPool, AccountsService {
  private readonly logins: LoginManager;
  private readonly sessionAccounts = new Map<string, { account: string; last_used: number }>();
  private readonly lastUsed = new Map<string, number>();
  /** The access token last handed out per account: a 401 refers to it. */
  private readonly issued = new Map<string, string>();
  private readonly retryHints = new Map<string, number>();
  private readonly unauthorizedStreak = new Map<string, number>();
  /** Accounts whose tokens this process cannot read (not persisted: another process may). */
  private readonly unreadable = new Map<string, string>();
  private readonly pendingQuota = new Map<string, AccountQuota>();
  /** deps.now() when this process last reported an upstream answer for each account. */
  private readonly lastAnswer = new Map<string, number>();
  /** The account out on a probe (half-open circuit), and when the last probe was handed out. */
  private probing: string | null = null;
  private lastProbeAt = -Infinity;
  private lastRoundRobin: string | null = null;
  /** deps.now() of the last look at accounts.json for other processes' writes. */
  private storeCheckedAt = -Infinity;
  /** store.foreignWrites already acted upon. */
  private foreignWritesSeen: number;
  private flushTimer: NodeJS.Timeout | null = null;
  private readonly pollTimer: NodeJS.Timeout | null = null;
  private readonly unwatch: () => void;
  private readonly swept: Promise<void>;

  constructor(private readonly deps: PoolDeps) {
    super();
    this.logins = deps.logins(this);
    this.foreignWritesSeen = deps.store.foreignWrites;
    this.unwatch = deps.store.watch(() => {
      this.sync().catch((err: Error) => deps.log.warn(`could not re-read the accounts file: ${err.message}`));
    });
    if (deps.usagePollMs > 0) {
      this.pollTimer = setInterval(() => void this.pollUsage(), deps.usagePollMs);
      this.pollTimer.unref();
    }
    this.swept = this.sweepLeftovers().catch((err: Error) =>
      deps.log.warn(`could not sweep leftovers of an interrupted run: ${err.message}`),
    );
  }

  get secretStoreKind(): SecretStoreKind {
    return this.deps.secrets.kind;
  }

  get secretStoreDescription(): string {
    return this.deps.secrets.description;
  }

  warnings(): string[] {
    return this.deps.secrets.kind === 'file'
      ? [`No OS keychain in use: account tokens are stored unencrypted (${this.deps.secrets.description}).`]
      : [];
  }

  // ---- request path -------------------------------------------------------------------------

  async acquire(opts: AcquireOptions): Promise<AccountLease | NoUsableAccount> {
    await this.sync({ throttled: true });
    const seen = this.deps.store.foreignWrites;
    const answer = await this.lease(opts);
    if (isLease(answer)) return answer;
    // Before saying no, look at the disk: an account just added or re-enabled elsewhere serves now.
    await this.sync();
    return this.deps.store.foreignWrites === seen ? answer : this.lease(opts);
  }

  private async lease(opts: AcquireOptions): Promise<AccountLease | NoUsableAccount> {
    if (!this.file.accounts.length) return NONE_CONFIGURED;
    const skipped = new Set(opts.exclude ?? []);
    const sessionKey = opts.sessionKey ?? '';
    for (;;) {
      const file = this.file;
      const candidates = file.accounts
        .filter((r) => !skipped.has(r.id) && this.isUsable(r))
        .map((r) => this.candidate(r));
      const chosen = this.choose(sessionKey, candidates, file) ?? this.probe(file, skipped);
      if (!chosen) return this.noneUsable(opts.exclude);
      const rec = file.accounts.find((r) => r.id === chosen.id) as AccountRecord;
      const bundle = await this.usableTokens(rec);
      if (!bundle) {
        if (this.probing === rec.id) this.probing = null;
        skipped.add(rec.id);
        continue;
      }
      const now = this.deps.now();
      this.issued.set(rec.id, bundle.access_token);
      this.lastUsed.set(rec.id, now);
      this.rememberSession(sessionKey, rec.id, now);
      if (file.strategy === 'round-robin') this.lastRoundRobin = rec.id;
      return {
        id: rec.id,
        label: labelOf(rec),
        credentials: { accessToken: bundle.access_token, chatgptAccountId: rec.account_id },
      };
    }
  }

  async report(leaseId: string, outcome: UpstreamOutcome): Promise<OutcomeDecision> {
    const rec = this.record(leaseId);
    if (!rec) return 'give-up';
    const now = this.deps.now();
    this.lastAnswer.set(rec.id, now);
    const probe = this.probing === rec.id;
    if (probe) this.probing = null;
    const update = quotaFromHeaders(outcome.headers, now);
    if (update) await this.recordQuota(rec.id, update);
    const { verdict } = outcome;
    switch (verdict.kind) {
      case 'ok':
        this.unauthorizedStreak.delete(rec.id);
        if (probe) await this.liftCooldown(rec.id, 'a probe request was served: cooldown lifted');
        return 'ok';
      case 'give-up':
        return 'give-up';
      case 'next':
        this.deps.log.warn({ account: labelOf(rec) }, `account failed this request: ${verdict.reason}`);
        return 'next';
      case 'cooldown':
        await this.setStatus(rec.id, {
          status: 'cooldown',
          until: cooldownEnd(verdict, this.quotaOf(rec), now),
          reason: verdict.reason,
          cause: verdict.cause,
        });
        return 'next';
      case 'unauthorized':
        return this.afterUnauthorized(rec);
    }
  }

  counts(): { total: number; usable: number } {
    const accounts = this.file.accounts;
    return { total: accounts.length, usable: accounts.filter((r) => this.isUsable(r)).length };
  }

  sessions(): Array<{ session: string; account: string; last_used: number }> {
    return [...this.sessionAccounts.entries()]
      .filter(([session]) => session !== '')
      .map(([session, v]) => ({ session, account: v.account, last_used: v.last_used }))
      .sort((a, b) => b.last_used - a.last_used)
      .slice(0, 50);
  }

  // ---- listing and quota --------------------------------------------------------------------

  async list(): Promise<AccountsResponse> {
    await this.sync();
    return {
      accounts: this.file.accounts.map((r) => this.summary(r)),
      strategy: this.file.strategy,
      secret_store: this.deps.secrets.kind,
    };
  }

  async quota(): Promise<PooledQuota> {
    await this.sync();
    return pooledQuota(
      this.file.accounts.map((r) => ({ quota: this.quotaOf(r), usable: this.isUsable(r) })),
      this.deps.now(),
    );
  }

  async refreshQuota(id?: string): Promise<void> {
    await this.sync();
    const targets = id ? [this.mustRecord(id)] : this.file.accounts;
    await Promise.all(targets.map((r) => this.fetchQuota(r)));
  }

  // ---- management ---------------------------------------------------------------------------

  async importCodexAuth(path?: string): Promise<ImportedAccount> {
    const file = path ?? codexAuthPath(this.deps.env);
    const login = await readCodexLogin(file);
    const saved = await this.saveTokens(login.tokens, 'codex-import', {
      accountIdFallback: login.accountId,
      keepNewer: true,
    });
    this.deps.log.info(`imported the Codex CLI login from ${file}: ${saved.summary.email ?? saved.summary.account_id}`);
    return { ...saved.summary, warnings: [...login.warnings, ...saved.warnings] };
  }

  /** Stores tokens from a sign-in or an import; the same account again updates in place. */
  async saveTokens(
    bundle: TokenBundle,
    source: AccountRecord['source'],
    opts: { accountIdFallback?: string | null; keepNewer?: boolean } = {},
  ): Promise<{ summary: AccountSummary; warnings: string[] }> {
    const identity = identityFromTokens(bundle, opts.accountIdFallback);
    const id = localAccountId(identity);
    const warnings: string[] = [];
    // Tokens and listing under one account lock: the start-up sweep, holding the same lock, can
    // then tell the tokens of a removed account from those of an account being added.
    await this.deps.refresher.withAccountLock(id, async () => {
      const existing = await this.deps.refresher.read(id).catch(() => undefined);
      const replaced = !(
        opts.keepNewer &&
        existing &&
        (tokenExpiry(existing.access_token) ?? 0) > (identity.accessExpiresAt ?? 0)
      );
      if (replaced) await this.deps.refresher.write(id, bundle);
      else
        warnings.push(
          'The proxy already holds newer tokens for this account; kept those instead of the imported ones.',
        );
      await this.listAccount(id, identity, source, replaced);
    });
    this.unreadable.delete(id);
    this.unauthorizedStreak.delete(id);
    this.emit('change');
    return { summary: this.summary(this.mustRecord(id)), warnings };
  }

  /** Lists the account, or updates its identity (and its source and status when its tokens were replaced). */
  private async listAccount(
    id: string,
    identity: TokenIdentity,
    source: AccountRecord['source'],
    replaced: boolean,
  ): Promise<void> {
    const nowIso = new Date(this.deps.now()).toISOString();
    await this.deps.store.update((draft) => {
      let rec = draft.accounts.find((r) => r.id === id);
      if (!rec) {
        rec = {
          id,
          account_id: identity.accountId,
          user_id: identity.userId,
          email: identity.email,
          plan: identity.plan,
          source,
          added_at: nowIso,
          updated_at: nowIso,
          status: 'active',
          status_until: null,
          status_reason: null,
          status_cause: null,
          quota: { five_hour: null, weekly: null, plan_type: null, updated_at: null },
        };
        draft.accounts.push(rec);
      }
      Object.assign(rec, {
        account_id: identity.accountId,
        user_id: identity.userId,
        email: identity.email ?? rec.email,
        plan: identity.plan ?? rec.plan,
      });
      rec.updated_at = nowIso;
      if (replaced)
        Object.assign(rec, { source, status: 'active', status_until: null, status_reason: null, status_cause: null });
    });
  }

  async remove(id: string): Promise<boolean> {
    await this.sync();
    const removed = await this.deps.store.update((draft) => {
      const before = draft.accounts.length;
      draft.accounts = draft.accounts.filter((r) => r.id !== id);
      if (draft.preferred === id) draft.preferred = null;
      return draft.accounts.length !== before;
    });
    if (!removed) return false;
    // Metadata first: a crash in between leaves an orphan secret, never an account without tokens.
    await this.deps.refresher.withAccountLock(id, () => this.deps.refresher.delete(id));
    for (const [session, v] of this.sessionAccounts) if (v.account === id) this.sessionAccounts.delete(session);
    for (const map of [
      this.lastUsed,
      this.issued,
      this.retryHints,
      this.unauthorizedStreak,
      this.unreadable,
      this.pendingQuota,
      this.lastAnswer,
    ]) {
      map.delete(id);
    }
    this.emit('change');
    return true;
  }

  async setStrategy(strategy: SelectionStrategy): Promise<void> {
    if (!isSelectionStrategy(strategy)) {
      throw new AccountsError(
        'invalid_request_error',
        `Unknown strategy ${JSON.stringify(strategy)}: use ${SELECTION_STRATEGIES.join(', ')}.`,
      );
    }
    await this.deps.store.update((draft) => {
      draft.strategy = strategy;
    });
    this.emit('change');
  }

  async setPreferred(id: string | null): Promise<void> {
    await this.sync();
    if (id !== null) this.mustRecord(id);
    await this.deps.store.update((draft) => {
      draft.preferred = id;
    });
    this.emit('change');
  }

  async refresh(id: string): Promise<AccountSummary> {
    await this.sync();
    this.mustRecord(id);
    try {
      await this.deps.refresher.forceRefresh(id);
    } catch (err) {
      // A dead refresh token is now visible in the summary (needs_relogin); anything else is news.
      if (!(err instanceof OAuthError && err.terminal)) {
        throw new AccountsError('api_error', `Could not refresh account ${id}: ${(err as Error).message}`);
      }
    }
    await this.fetchQuota(this.mustRecord(id));
    return this.summary(this.mustRecord(id));
  }

  async refreshAll(): Promise<AccountSummary[]> {
    await this.sync();
    const out: AccountSummary[] = [];
    for (const rec of this.file.accounts) {
      out.push(await this.refresh(rec.id).catch(() => this.summary(this.mustRecord(rec.id))));
    }
    return out;
  }

  async inspectTokens(id: string, opts: { refresh: boolean }): Promise<TokenInspection> {
    await this.sync();
    this.mustRecord(id);
    let stored: TokenBundle | undefined;
    try {
      stored = await this.deps.refresher.read(id);
    } catch (err) {
      return { ok: false, stage: 'read', message: (err as Error).message, terminal: false };
    }
    if (!stored) return { ok: false, stage: 'read', message: 'no tokens are stored for it', terminal: true };
    if (!opts.refresh) return { ok: true, bundle: stored, refreshed: false };
    try {
      return { ok: true, bundle: await this.deps.refresher.forceRefresh(id), refreshed: true };
    } catch (err) {
      const terminal = err instanceof OAuthError && err.terminal;
      return { ok: false, stage: 'refresh', message: (err as Error).message, terminal, bundle: stored };
    }
  }

  async getOpenRouterKey(): Promise<string | null> {
    return (await this.deps.secrets.get(OPENROUTER_SECRET_ID)) ?? null;
  }

  async setOpenRouterKey(key: string | null): Promise<void> {
    if (key) await this.deps.secrets.set(OPENROUTER_SECRET_ID, key);
    else await this.deps.secrets.delete(OPENROUTER_SECRET_ID);
    this.emit('change');
  }

  // ---- sign-in ------------------------------------------------------------------------------

  startLogin(opts?: { callbackServer?: boolean }): Promise<StartedLogin> {
    return this.logins.startBrowserLogin(opts);
  }

  startDeviceLogin(): Promise<StartedDeviceLogin> {
    return this.logins.startDeviceLogin();
  }

  loginStatus(loginId: string): LoginStatus {
    return this.logins.status(loginId);
  }

  waitForLogin(loginId: string): Promise<AccountSummary> {
    return this.logins.wait(loginId);
  }

  completeManual(loginId: string | undefined, pasted: string): Promise<AccountSummary> {
    return this.logins.completeManual(loginId, pasted);
  }

  cancelLogin(loginId: string): boolean {
    return this.logins.cancel(loginId);
  }

  async close(): Promise<void> {
    if (this.pollTimer) clearInterval(this.pollTimer);
    this.unwatch();
    await this.logins.close();
    await this.swept;
    await this.flushQuota();
  }

  // ---- hooks for the refresher ----------------------------------------------------------------

  async onRefreshed(id: string, bundle: TokenBundle): Promise<void> {
    const identity = identityFromTokens(bundle);
    await this.deps.store.update((draft) => {
      const rec = draft.accounts.find((r) => r.id === id);
      if (!rec) return;
      rec.updated_at = new Date(this.deps.now()).toISOString();
      rec.plan = identity.plan ?? rec.plan;
      if (
        rec.status === 'needs_relogin' ||
        rec.status_cause === 'refresh_failed' ||
        rec.status_cause === 'unauthorized'
      ) {
        Object.assign(rec, { status: 'active', status_until: null, status_reason: null, status_cause: null });
      }
    });
    this.deps.log.info(`refreshed the tokens of ${labelOf(this.mustRecord(id))}`);
    this.emit('change');
  }

  async onTerminal(id: string, bundle: TokenBundle, err: OAuthError): Promise<void> {
    const reason = `refresh token rejected: ${err.code ?? err.message}`;
    await this.deps.store.update((draft) => {
      const rec = draft.accounts.find((r) => r.id === id);
      if (!rec) return;
      Object.assign(rec, {
        status: 'needs_relogin',
        status_until: tokenExpiry(bundle.access_token),
        status_reason: reason,
        status_cause: null,
        updated_at: new Date(this.deps.now()).toISOString(),
      });
    });
    this.deps.log.warn({ account: id }, `account needs a new sign-in (${reason})`);
    this.emit('change');
  }

  // ---- internals ----------------------------------------------------------------------------

  private get file(): AccountsFile {
    return this.deps.store.current;
  }

  /**
   * Catches up with other processes' writes to the store; throttled, it reads the disk only when the
   * last look is STORE_CHECK_MS old.
   */
  private async sync(opts: { throttled?: boolean } = {}): Promise<void> {
    const now = this.deps.now();
    // abs(): a clock set back must not stop the checks.
    if (!opts.throttled || Math.abs(now - this.storeCheckedAt) >= STORE_CHECK_MS) {
      this.storeCheckedAt = now;
      await this.deps.store.reloadIfChanged();
    }
    const seen = this.deps.store.foreignWrites;
    if (seen === this.foreignWritesSeen) return;
    this.foreignWritesSeen = seen;
    // Another process wrote the store. Tokens are always written before the store, so it may have
    // refreshed or replaced some (perhaps for an account we could not read).
    this.unreadable.clear();
    this.deps.refresher.dropCache();
    this.emit('change');
  }

  /** Most recent last; the oldest sessions are forgotten beyond a bound. */
  private rememberSession(session: string, account: string, now: number): void {
    this.sessionAccounts.delete(session);
    this.sessionAccounts.set(session, { account, last_used: now });
    if (this.sessionAccounts.size > MAX_SESSIONS) {
      const oldest = this.sessionAccounts.keys().next().value as string;
      this.sessionAccounts.delete(oldest);
    }
  }

  private record(id: string): AccountRecord | undefined {
    return this.file.accounts.find((r) => r.id === id);
  }

  private mustRecord(id: string): AccountRecord {
    const rec = this.record(id);
    if (!rec) throw new AccountsError('not_found_error', `No account with id ${id}.`);
    return rec;
  }

  private quotaOf(rec: AccountRecord): AccountQuota {
    return this.pendingQuota.get(rec.id) ?? rec.quota;
  }

  /** Status as of now: cooldowns end by themselves; unreadable tokens disable for this process. */
  private effective(rec: AccountRecord): Pick<AccountSummary, 'status' | 'status_until' | 'status_reason'> {
    const unreadable = this.unreadable.get(rec.id);
    if (unreadable) return { status: 'disabled', status_until: null, status_reason: unreadable };
    if (rec.status === 'cooldown' && (rec.status_until ?? 0) * 1000 <= this.deps.now()) {
      return { status: 'active', status_until: null, status_reason: null };
    }
    return { status: rec.status, status_until: rec.status_until, status_reason: rec.status_reason };
  }

  private isUsable(rec: AccountRecord): boolean {
    return this.effective(rec).status === 'active';
  }

  /** Cooling after a usage or rate limit: fresh quota, or a served probe, may end it early. */
  private isLiftable(rec: AccountRecord): boolean {
    return this.effective(rec).status === 'cooldown' && rec.status_cause !== null && LIFTABLE.has(rec.status_cause);
  }

  private summary(rec: AccountRecord): AccountSummary {
    const quota = this.quotaOf(rec);
    return {
      id: rec.id,
      email: rec.email,
      account_id: rec.account_id,
      plan: quota.plan_type ?? rec.plan,
      ...this.effective(rec),
      quota,
      preferred: this.file.preferred === rec.id,
      added_at: rec.added_at,
      source: rec.source,
    };
  }

  private candidate(rec: AccountRecord): Candidate {
    const now = this.deps.now();
    const quota = this.quotaOf(rec);
    return {
      id: rec.id,
      headroom: headroomPercent(quota, now),
      nextReset: nextReset(quota, now),
      lastUsed: this.lastUsed.get(rec.id) ?? 0,
    };
  }

  private choose(sessionKey: string, candidates: Candidate[], file: AccountsFile): Candidate | null {
    const sessionAccount = this.sessionAccounts.get(sessionKey)?.account ?? null;
    const hinted = sessionAccount !== null ? this.retryHints.get(sessionAccount) : undefined;
    if (sessionAccount !== null && hinted !== undefined) {
      this.retryHints.delete(sessionAccount);
      const same = candidates.find((c) => c.id === sessionAccount);
      if (same && this.deps.now() - hinted < RETRY_HINT_MS) return same;
    }
    return chooseAccount(candidates, {
      strategy: file.strategy,
      preferred: file.preferred,
      sessionAccount,
      lastRoundRobin: this.lastRoundRobin,
      order: file.accounts.map((r) => r.id),
    });
  }

  /**
   * The half-open circuit. While no account is usable and some are cooling after a usage or rate
   * limit, one request at most every probeMs goes to the one this process heard from least
   * recently (and not within probeMs), so that a limit lifted early is found by the next request.
   */
  private probe(file: AccountsFile, skipped: ReadonlySet<string>): Candidate | null {
    const { probeMs } = this.deps;
    const now = this.deps.now();
    // abs(): a clock set back must not stop the probes.
    if (probeMs <= 0 || Math.abs(now - this.lastProbeAt) < probeMs || file.accounts.some((r) => this.isUsable(r)))
      return null;
    const heard = (r: AccountRecord): number => this.lastAnswer.get(r.id) ?? (Date.parse(r.updated_at) || 0);
    const waiting = file.accounts.filter(
      (r) => !skipped.has(r.id) && this.isLiftable(r) && Math.abs(now - heard(r)) >= probeMs,
    );
    if (!waiting.length) return null;
    const rec = waiting.reduce((a, b) => (heard(b) < heard(a) ? b : a));
    this.lastProbeAt = now;
    this.probing = rec.id;
    this.deps.log.info(
      { account: labelOf(rec) },
      'every account is cooling: one request goes through to see whether the limit lifted',
    );
    return this.candidate(rec);
  }

  /** Fresh tokens for the account, or null (after marking why) when it cannot serve now. */
  private async usableTokens(rec: AccountRecord): Promise<TokenBundle | null> {
    try {
      return await this.deps.refresher.ensureFresh(rec.id);
    } catch (err) {
      if (
        err instanceof SecretUnreadableError ||
        (err instanceof AccountsError && err.errorType === 'not_found_error')
      ) {
        this.unreadable.set(rec.id, err.message);
        this.deps.log.error({ account: labelOf(rec) }, `cannot read this account's tokens: ${err.message}`);
        this.emit('change');
        return null;
      }
      if (err instanceof OAuthError && err.terminal) return null;
      // The token endpoint is having a bad moment: an access token that still works is good enough.
      const stored = await this.deps.refresher.read(rec.id).catch(() => undefined);
      const exp = stored ? tokenExpiry(stored.access_token) : null;
      this.deps.log.warn({ account: labelOf(rec) }, `token refresh failed: ${(err as Error).message}`);
      if (stored && exp !== null && exp * 1000 > this.deps.now() + 60_000) return stored;
      await this.setStatus(rec.id, {
        status: 'cooldown',
        until: Math.floor(this.deps.now() / 1000) + COOLDOWN_S.refreshFailed,
        reason: `token refresh failed: ${(err as Error).message}`,
        cause: 'refresh_failed',
      });
      return null;
    }
  }

  private async afterUnauthorized(rec: AccountRecord): Promise<OutcomeDecision> {
    const streak = (this.unauthorizedStreak.get(rec.id) ?? 0) + 1;
    this.unauthorizedStreak.set(rec.id, streak);
    const nowS = Math.floor(this.deps.now() / 1000);
    if (streak > MAX_UNAUTHORIZED_STREAK) {
      this.unauthorizedStreak.delete(rec.id);
      await this.setStatus(rec.id, {
        status: 'cooldown',
        until: nowS + COOLDOWN_S.unauthorized,
        reason: 'the backend keeps rejecting this account even with fresh tokens (HTTP 401)',
        cause: 'unauthorized',
      });
      return 'next';
    }
    try {
      await this.deps.refresher.forceRefresh(rec.id, this.issued.get(rec.id));
      this.retryHints.set(rec.id, this.deps.now());
      return 'retry-same';
    } catch (err) {
      if (err instanceof OAuthError && err.terminal) return 'next';
      await this.setStatus(rec.id, {
        status: 'cooldown',
        until: nowS + COOLDOWN_S.refreshFailed,
        reason: `token refresh failed after HTTP 401: ${(err as Error).message}`,
        cause: 'refresh_failed',
      });
      return 'next';
    }
  }

  private async setStatus(
    id: string,
    next: { status: AccountRecord['status']; until: number | null; reason: string | null; cause: CooldownCause | null },
  ): Promise<void> {
    await this.deps.store.update((draft) => {
      const rec = draft.accounts.find((r) => r.id === id);
      if (!rec) return;
      Object.assign(rec, {
        status: next.status,
        status_until: next.until,
        status_reason: next.reason,
        status_cause: next.cause,
      });
      rec.updated_at = new Date(this.deps.now()).toISOString();
    });
    if (next.status !== 'active') this.deps.log.warn({ account: id }, `account ${next.status}: ${next.reason ?? ''}`);
    this.emit('change');
  }

  private async recordQuota(id: string, update: QuotaUpdate): Promise<void> {
    const rec = this.record(id);
    if (!rec) return;
    const now = this.deps.now();
    this.pendingQuota.set(id, applyQuota(this.quotaOf(rec), update, now));
    this.scheduleFlush();
    // Fresh numbers showing room end a usage/rate-limit cooldown before its announced time.
    if (quotaShowsRoom(update, now)) await this.liftCooldown(id, 'quota shows room again: cooldown lifted');
    this.emit('change');
  }

  /** Ends a usage or rate-limit cooldown early; any other status is left alone. */
  private async liftCooldown(id: string, why: string): Promise<void> {
    const rec = this.record(id);
    if (!rec || !this.isLiftable(rec)) return;
    await this.setStatus(id, { status: 'active', until: null, reason: null, cause: null });
    this.deps.log.info({ account: labelOf(rec) }, why);
  }

  private scheduleFlush(): void {
    if (this.flushTimer) return;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = null;
      this.flushQuota().catch((err: Error) => this.deps.log.warn(`could not save quota: ${err.message}`));
    }, QUOTA_FLUSH_MS);
    this.flushTimer.unref();
  }

  private async flushQuota(): Promise<void> {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    if (!this.pendingQuota.size) return;
    const batch = new Map(this.pendingQuota);
    await this.deps.store.update((draft) => {
      for (const rec of draft.accounts) {
        const quota = batch.get(rec.id);
        if (quota && (rec.quota.updated_at ?? 0) <= (quota.updated_at ?? 0)) rec.quota = quota;
      }
    });
    for (const [id, quota] of batch) if (this.pendingQuota.get(id) === quota) this.pendingQuota.delete(id);
  }

  private async fetchQuota(rec: AccountRecord): Promise<void> {
    if (rec.status === 'needs_relogin' || this.unreadable.has(rec.id)) return;
    try {
      const bundle = await this.deps.refresher.ensureFresh(rec.id);
      const body = await fetchUsage(
        this.deps.backendUrl,
        { accessToken: bundle.access_token, chatgptAccountId: rec.account_id },
        this.deps.fetch,
        this.deps.identity(),
      );
      await this.recordQuota(rec.id, quotaFromUsage(body, this.deps.now()));
    } catch (err) {
      const status = err instanceof UsageHttpError ? ` (HTTP ${err.status})` : '';
      this.deps.log.warn({ account: labelOf(rec) }, `could not fetch usage${status}: ${(err as Error).message}`);
    }
  }

  private async pollUsage(): Promise<void> {
    try {
      await this.sync();
    } catch {
      return;
    }
    const now = this.deps.now();
    for (const rec of this.file.accounts) {
      const stale = now - (this.quotaOf(rec).updated_at ?? 0) > USAGE_MAX_AGE_MS;
      if (this.isLiftable(rec) || (this.isUsable(rec) && stale)) await this.fetchQuota(rec);
    }
  }

  /**
   * After a crash or kill -9: the temp files of interrupted atomic writes (a token file's holds
   * full tokens), and the tokens of accounts no longer listed (a removal cut between its two
   * steps). In the background: a dead writer's lock has to go stale first.
   */
  private async sweepLeftovers(): Promise<void> {
    const partial = (await this.deps.secrets.sweepTemps()) + (await this.deps.store.sweepTemps());
    let orphans = 0;
    for (const id of await this.deps.secrets.ids()) {
      if (id === OPENROUTER_SECRET_ID || this.record(id)) continue;
      // saveTokens writes tokens and listing under this lock, so an account being added is listed by now.
      const orphan = await this.deps.refresher.withAccountLock(id, async () => {
        if (await this.deps.store.listsOnDisk(id)) return false;
        await this.deps.refresher.delete(id);
        return true;
      });
      if (orphan) orphans++;
    }
    if (partial || orphans) {
      this.deps.log.warn(
        `removed what an interrupted run left: ${partial} partly written file(s), ` +
          `the tokens of ${orphans} removed account(s)`,
      );
    }
  }

  private noneUsable(exclude: ReadonlySet<string> | undefined): NoUsableAccount {
    const states: AccountState[] = this.file.accounts.map((rec) => {
      const eff = this.effective(rec);
      return {
        label: labelOf(rec),
        status: eff.status,
        until: eff.status_until,
        reason: eff.status_reason,
        triedForThisRequest: !!exclude?.has(rec.id),
      };
    });
    return allUnusable(states, this.deps.now());
  }
}
