// Pending sign-ins: the browser flow (PKCE + loopback callback, or a pasted callback URL/code for
// headless machines) and the device-code flow. Each ends by handing the issued tokens to `save`.
import { randomUUID } from 'node:crypto';
import type {
  AccountSummary,
  LoginState,
  LoginStatus,
  StartedDeviceLogin,
  StartedLogin,
} from '../../../../shared/api.js';
import { AccountsError } from '../errors.js';
import { CallbackServer, type CallbackReply } from './callback-server.js';
import { failurePage, successPage } from './pages.js';
import { authorizeUrl, CALLBACK_PATH, createPkce, randomState, redirectUriFor } from './params.js';
import { parsePastedCallback } from './pasted-callback.js';
import { OAuthError, type DeviceCode, type IssuedTokens, type TokenClient } from './token-client.js';

export interface LoginManagerOptions {
  authUrl: string;
  /** The sign-in `originator`, read when a sign-in starts. */
  originator: () => string;
  tokens: TokenClient;
  ports: readonly number[];
  save(tokens: IssuedTokens): Promise<AccountSummary>;
  log: { info(msg: string): void; warn(msg: string): void };
  /** Browser sign-ins expire after this (default 10 min). */
  timeoutMs?: number;
  /** The device flow's own limit (15 min). */
  deviceTimeoutMs?: number;
}

interface Login {
  id: string;
  kind: 'browser' | 'device';
  status: LoginState;
  expiresAt: number;
  error?: string;
  account?: AccountSummary;
  done: Promise<AccountSummary>;
  settle: { resolve(a: AccountSummary): void; reject(e: Error): void };
  timer?: NodeJS.Timeout;
  /** Browser flow. */
  state?: string;
  verifier?: string;
  redirectUri?: string;
  authUrl?: string;
  /** Set while a code exchange runs, so a callback and a paste cannot both spend the code. */
  completing?: Promise<AccountSummary>;
  /** Device flow. */
  device?: DeviceCode;
}

/** Finished sign-ins stay queryable this long. */
const KEEP_FINISHED_MS = 10 * 60_000;

function describeCallbackError(error: string, description: string | null): string {
  if (description?.includes('missing_codex_entitlement')) return 'Codex is not enabled for this ChatGPT workspace.';
  return `The sign-in was refused (${error}${description ? `: ${description}` : ''}).`;
}

export class LoginManager {
  private readonly logins = new Map<string, Login>();
  private server: CallbackServer | null = null;
  private serverStarting: Promise<CallbackServer> | null = null;
  private serverClosing: Promise<void> | null = null;

  constructor(private readonly opts: LoginManagerOptions) {}

  async startBrowserLogin(opts: { callbackServer?: boolean } = {}): Promise<StartedLogin> {
    // Registered first: while it is pending, no other sign-in ending can stop the callback server.
    const login = this.register('browser', this.opts.timeoutMs ?? 10 * 60_000);
    let callbackError: string | undefined;
    let port = this.server?.port ?? null;
    if (opts.callbackServer !== false && port === null) {
      try {
        port = (await this.ensureServer()).port;
      } catch (err) {
        callbackError =
          `Could not listen for the sign-in callback (${(err as Error).message}). Finish by hand: open the URL, sign in, then copy ` +
          'the address your browser ends on (http://localhost:…/auth/callback?code=…, even if the page does not load) and paste it ' +
          'into `codex-claude-proxy accounts add --no-browser` or POST /accounts/add/manual.';
        this.opts.log.warn(callbackError);
      }
    }
    const registered = this.opts.ports.find((p) => p > 0) ?? 1455;
    const pkce = createPkce();
    login.state = randomState();
    login.verifier = pkce.verifier;
    login.redirectUri = redirectUriFor(port ?? registered);
    login.authUrl = authorizeUrl({
      authUrl: this.opts.authUrl,
      redirectUri: login.redirectUri,
      challenge: pkce.challenge,
      state: login.state,
      originator: this.opts.originator(),
    });
    this.opts.log.info(
      `sign-in ${login.id} started (callback ${port !== null ? `on port ${port}` : 'not listening: manual'})`,
    );
    return {
      login_id: login.id,
      auth_url: login.authUrl,
      callback_listening: port !== null,
      ...(callbackError ? { callback_error: callbackError } : {}),
    };
  }

  async startDeviceLogin(): Promise<StartedDeviceLogin> {
    const device = await this.opts.tokens.deviceStart().catch((err: Error) => {
      throw new AccountsError('api_error', `Device-code sign-in could not start: ${err.message}`);
    });
    const login = this.register('device', this.opts.deviceTimeoutMs ?? 15 * 60_000);
    login.device = device;
    this.pollDevice(login);
    return {
      login_id: login.id,
      verification_url: this.verificationUrl(),
      user_code: device.userCode,
      expires_at: login.expiresAt,
    };
  }

  status(id: string): LoginStatus {
    const login = this.find(id);
    return {
      login_id: login.id,
      kind: login.kind,
      status: login.status,
      expires_at: login.expiresAt,
      ...(login.authUrl ? { auth_url: login.authUrl } : {}),
      ...(login.device ? { verification_url: this.verificationUrl(), user_code: login.device.userCode } : {}),
      ...(login.error ? { error: login.error } : {}),
      ...(login.account ? { account: login.account } : {}),
    };
  }

  /** Resolves with the account once the sign-in succeeds; rejects when it fails, expires or is cancelled. */
  wait(id: string): Promise<AccountSummary> {
    return this.find(id).done;
  }

  async completeManual(id: string | undefined, pasted: string): Promise<AccountSummary> {
    const parsed = parsePastedCallback(pasted);
    const login = this.manualTarget(id, parsed.state);
    if (login.status === 'success' && login.account) return login.account;
    if (login.status !== 'pending') {
      throw new AccountsError(
        'invalid_request_error',
        `Sign-in ${login.id} already ended (${login.status}); start a new one.`,
      );
    }
    if (parsed.state !== null && parsed.state !== login.state) {
      throw new AccountsError(
        'invalid_request_error',
        'The pasted URL belongs to a different sign-in attempt (state mismatch); paste the URL from the latest attempt.',
      );
    }
    if (parsed.kind === 'error') {
      const reason = describeCallbackError(parsed.error, parsed.description);
      this.finish(login, 'failed', reason);
      throw new AccountsError('authentication_error', reason);
    }
    return this.complete(login, parsed.code);
  }

  cancel(id: string): boolean {
    const login = this.logins.get(id);
    if (!login || login.status !== 'pending') return false;
    this.finish(login, 'cancelled', 'The sign-in was cancelled.');
    return true;
  }

  async close(): Promise<void> {
    for (const login of this.logins.values()) {
      if (login.status === 'pending') this.finish(login, 'cancelled', 'The proxy shut down.');
      clearTimeout(login.timer);
    }
    this.logins.clear();
    await this.stopServer();
  }

  private verificationUrl(): string {
    return `${this.opts.authUrl.replace(/\/+$/, '')}/codex/device`;
  }

  private register(kind: Login['kind'], timeoutMs: number): Login {
    let settle!: Login['settle'];
    const done = new Promise<AccountSummary>((resolve, reject) => {
      settle = { resolve, reject };
    });
    // Nobody may be waiting (the dashboard polls the status instead).
    done.catch(() => undefined);
    const login: Login = { id: randomUUID(), kind, status: 'pending', expiresAt: Date.now() + timeoutMs, done, settle };
    login.timer = setTimeout(() => this.finish(login, 'expired', 'The sign-in timed out; start again.'), timeoutMs);
    login.timer.unref();
    this.logins.set(login.id, login);
    return login;
  }

  private find(id: string): Login {
    const login = this.logins.get(id);
    if (!login)
      throw new AccountsError(
        'not_found_error',
        `No sign-in with id ${id} (it may have finished more than 10 minutes ago).`,
      );
    return login;
  }

  private manualTarget(id: string | undefined, state: string | null): Login {
    if (id) return this.find(id);
    const browser = [...this.logins.values()].filter((l) => l.kind === 'browser');
    const byState = state !== null ? browser.find((l) => l.state === state) : undefined;
    if (byState) return byState;
    const pending = browser.filter((l) => l.status === 'pending');
    if (state === null && pending.length === 1) return pending[0];
    if (!pending.length)
      throw new AccountsError(
        'not_found_error',
        'No sign-in is pending: start one with `accounts add` or POST /accounts/add.',
      );
    throw new AccountsError(
      'invalid_request_error',
      state !== null
        ? 'The pasted URL does not belong to any pending sign-in (state mismatch).'
        : 'Several sign-ins are pending: pass the login_id, or paste the whole callback URL.',
    );
  }

  private complete(login: Login, code: string): Promise<AccountSummary> {
    login.completing ??= this.exchange(login, code).finally(() => {
      login.completing = undefined;
    });
    return login.completing;
  }

  private async exchange(login: Login, code: string): Promise<AccountSummary> {
    try {
      const tokens = await this.opts.tokens.exchangeCode({
        code,
        verifier: login.verifier as string,
        redirectUri: login.redirectUri as string,
      });
      return this.saveFor(login, tokens);
    } catch (err) {
      if (err instanceof OAuthError && !err.terminal) {
        // The code may still be good (the issuer was unreachable): the person can paste it again.
        throw new AccountsError('api_error', `Could not finish the sign-in: ${err.message}. Try again.`);
      }
      const reason =
        err instanceof AccountsError ? err.message : `Could not finish the sign-in: ${(err as Error).message}`;
      this.finish(login, 'failed', reason);
      throw err instanceof AccountsError ? err : new AccountsError('authentication_error', reason);
    }
  }

  private async saveFor(login: Login, tokens: IssuedTokens): Promise<AccountSummary> {
    const account = await this.opts.save(tokens);
    login.account = account;
    this.finish(login, 'success');
    this.opts.log.info(`sign-in ${login.id} succeeded: ${account.email ?? account.account_id}`);
    return account;
  }

  private finish(login: Login, status: Exclude<LoginState, 'pending'>, error?: string): void {
    if (login.status !== 'pending') return;
    login.status = status;
    if (error) login.error = error;
    clearTimeout(login.timer);
    login.timer = setTimeout(() => this.logins.delete(login.id), KEEP_FINISHED_MS);
    login.timer.unref();
    if (status === 'success' && login.account) login.settle.resolve(login.account);
    else
      login.settle.reject(
        new AccountsError(status === 'cancelled' ? 'invalid_request_error' : 'authentication_error', error ?? status),
      );
    if (![...this.logins.values()].some((l) => l.status === 'pending' && l.kind === 'browser')) void this.stopServer();
  }

  private async handleCallback(url: URL): Promise<CallbackReply> {
    if (url.pathname !== CALLBACK_PATH)
      return { status: 404, html: failurePage('This address is not part of the sign-in.') };
    const state = url.searchParams.get('state');
    const login = [...this.logins.values()].find((l) => l.kind === 'browser' && l.state === state);
    if (!login || state === null) {
      return {
        status: 400,
        html: failurePage('This sign-in response does not match any pending sign-in (state mismatch).'),
      };
    }
    if (login.status === 'success' && login.account)
      return { status: 200, html: successPage(login.account.email ?? login.account.account_id) };
    if (login.status !== 'pending')
      return { status: 400, html: failurePage(login.error ?? `This sign-in already ended (${login.status}).`) };
    const error = url.searchParams.get('error');
    if (error) {
      const reason = describeCallbackError(error, url.searchParams.get('error_description'));
      this.finish(login, 'failed', reason);
      return { status: 400, html: failurePage(reason) };
    }
    const code = url.searchParams.get('code');
    if (!code) return { status: 400, html: failurePage('The sign-in response carried no code.') };
    try {
      const account = await this.complete(login, code);
      return { status: 200, html: successPage(account.email ?? account.account_id) };
    } catch (err) {
      return { status: 400, html: failurePage((err as Error).message) };
    }
  }

  private ensureServer(): Promise<CallbackServer> {
    if (this.server) return Promise.resolve(this.server);
    this.serverStarting ??= (async () => {
      // A server still closing holds the port the new one needs.
      await this.serverClosing;
      this.server = await CallbackServer.start(this.opts.ports, (url) => this.handleCallback(url));
      return this.server;
    })().finally(() => {
      this.serverStarting = null;
    });
    return this.serverStarting;
  }

  private async stopServer(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server) this.serverClosing = server.close();
    await this.serverClosing;
  }

  private pollDevice(login: Login): void {
    const device = login.device as DeviceCode;
    const tick = async (): Promise<void> => {
      if (login.status !== 'pending') return;
      try {
        const result = await this.opts.tokens.devicePoll(device);
        if (login.status !== 'pending') return;
        if (result) {
          const tokens = await this.opts.tokens.exchangeCode({
            code: result.code,
            verifier: result.verifier,
            redirectUri: this.opts.tokens.deviceRedirectUri,
          });
          await this.saveFor(login, tokens);
          return;
        }
      } catch (err) {
        if (!(err instanceof OAuthError) || err.terminal) {
          this.finish(login, 'failed', `Device-code sign-in failed: ${(err as Error).message}`);
          return;
        }
      }
      setTimeout(() => void tick(), device.intervalS * 1000).unref();
    };
    setTimeout(() => void tick(), device.intervalS * 1000).unref();
  }
}
