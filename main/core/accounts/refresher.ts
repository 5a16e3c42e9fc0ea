// Token refresh without ever spending a refresh token twice. Refresh tokens are single-use, and
// the CLI, the server and the desktop app may share one home: so one refresh per account at a time
// inside the process (shared promise) and across processes (lock file), and the stored tokens are
// re-read after taking the lock — if another process refreshed meanwhile, its tokens are used.
// Outside the lock the request path is served from memory (TokenCache): every token write of this
// process goes through here and updates it, and the pool drops it when another process writes.
import path from 'node:path';
import { withFileLock } from '../secrets/file-lock.js';
import type { SecretStore } from '../secrets/types.js';
import { AccountsError } from './errors.js';
import { OAuthError, type TokenClient } from './oauth/token-client.js';
import { TokenCache } from './token-cache.js';
import { needsRefresh, parseTokens, serializeTokens, type TokenBundle } from './tokens.js';

export interface RefresherOptions {
  home: string;
  secrets: SecretStore;
  tokens: TokenClient;
  now: () => number;
  /** New tokens are stored; update the metadata (still inside the account lock). */
  onRefreshed(id: string, bundle: TokenBundle): Promise<void>;
  /** The refresh token is dead for good; mark the account (still inside the account lock). */
  onTerminal(id: string, bundle: TokenBundle, err: OAuthError): Promise<void>;
}

/** After a 401, tokens this process refreshed this recently are trusted instead of refreshing again. */
const RECENT_REFRESH_MS = 30_000;
/** Long enough to outlast a slow token endpoint held by another process. */
const LOCK_WAIT_MS = 45_000;

export class Refresher {
  private readonly inflight = new Map<string, Promise<TokenBundle>>();
  /** When this process last refreshed each account. */
  private readonly refreshedHere = new Map<string, number>();
  private readonly cache = new TokenCache();

  constructor(private readonly opts: RefresherOptions) {}

  /** Serializes work on one account's tokens with every process sharing this home. */
  withAccountLock<T>(id: string, fn: () => Promise<T>): Promise<T> {
    return withFileLock(path.join(this.opts.home, 'locks', `${id}.lock`), fn, { waitMs: LOCK_WAIT_MS });
  }

  /** The tokens in the secret store, read now; the answer replaces the in-memory copy. */
  read(id: string): Promise<TokenBundle | undefined> {
    return this.cache.load(id, async () => {
      const raw = await this.opts.secrets.get(id);
      return raw === undefined ? undefined : parseTokens(raw);
    });
  }

  /** Stores new tokens for the account (sign-in, import, refresh). */
  async write(id: string, bundle: TokenBundle): Promise<void> {
    // Dropped first: if the write fails, what the store holds is unknown until read again.
    this.cache.drop(id);
    await this.opts.secrets.set(id, serializeTokens(bundle));
    this.cache.put(id, bundle);
  }

  async delete(id: string): Promise<void> {
    try {
      await this.opts.secrets.delete(id);
    } finally {
      this.cache.drop(id);
    }
  }

  /** Forgets every in-memory bundle: another process may have written new tokens. */
  dropCache(): void {
    this.cache.clear();
  }

  /** The tokens, refreshed first when the access token is about to expire. */
  async ensureFresh(id: string): Promise<TokenBundle> {
    const stored = this.cache.get(id) ?? (await this.mustRead(id));
    if (!needsRefresh(stored, this.opts.now())) return stored;
    return this.singleFlight(id, (current) => needsRefresh(current, this.opts.now()));
  }

  /**
   * After the backend rejected `rejectedAccessToken` (401) or on request: refresh, unless the
   * stored tokens already moved on since.
   */
  forceRefresh(id: string, rejectedAccessToken?: string): Promise<TokenBundle> {
    return this.singleFlight(id, (current) => {
      if (rejectedAccessToken === undefined) return true;
      if (current.access_token !== rejectedAccessToken) return false;
      // Several requests may come back 401 for one expired token; the first one's refresh serves all.
      return this.opts.now() - (this.refreshedHere.get(id) ?? 0) > RECENT_REFRESH_MS;
    });
  }

  private async mustRead(id: string): Promise<TokenBundle> {
    const bundle = await this.read(id);
    if (!bundle) throw new AccountsError('not_found_error', `No stored tokens for account ${id}; sign in again.`);
    return bundle;
  }

  private singleFlight(id: string, stillNeeded: (current: TokenBundle) => boolean): Promise<TokenBundle> {
    let running = this.inflight.get(id);
    if (!running) {
      running = this.withAccountLock(id, () => this.refreshLocked(id, stillNeeded)).finally(() => this.inflight.delete(id));
      this.inflight.set(id, running);
    }
    return running;
  }

  private async refreshLocked(id: string, stillNeeded: (current: TokenBundle) => boolean): Promise<TokenBundle> {
    const current = await this.mustRead(id);
    if (!stillNeeded(current)) return current;
    if (!current.refresh_token) {
      const err = new OAuthError('this account has no refresh token (it was imported without one)', true, 'no_refresh_token');
      await this.opts.onTerminal(id, current, err);
      throw err;
    }
    let issued;
    try {
      issued = await this.opts.tokens.refresh(current.refresh_token);
    } catch (err) {
      if (err instanceof OAuthError && err.terminal) await this.opts.onTerminal(id, current, err);
      throw err;
    }
    const next: TokenBundle = {
      id_token: issued.id_token ?? current.id_token,
      access_token: issued.access_token ?? current.access_token,
      refresh_token: issued.refresh_token ?? current.refresh_token,
      last_refresh: new Date(this.opts.now()).toISOString(),
    };
    await this.write(id, next);
    this.refreshedHere.set(id, this.opts.now());
    await this.opts.onRefreshed(id, next);
    return next;
  }
}
