// Entry point of the accounts room: builds the pool on a data dir. The server, the CLI and the
// desktop app each call this once with the same `home`.
import { openSecretStore } from '../secrets/index.js';
import type { SecretStore } from '../secrets/types.js';
import { LoginManager } from './oauth/login-manager.js';
import { callbackPorts } from './oauth/params.js';
import { TokenClient } from './oauth/token-client.js';
import { Pool, type AccountsService, type PoolLog } from './pool.js';
import { Refresher } from './refresher.js';
import { AccountStore } from './store.js';
import type { AccountPool } from './types.js';
import { resolveIdentity, type UpstreamIdentity } from '../upstream/identity.js';

export type { AccountsService, ImportedAccount, PoolLog } from './pool.js';
export type { LoginStatus, LoginState, StartedLogin, StartedDeviceLogin } from './oauth/login-manager.js';
export { AccountsError } from './errors.js';
export { isLease } from './types.js';
export type * from './types.js';

export interface AccountPoolOptions {
  home: string;
  env?: NodeJS.ProcessEnv;
  /** CHATGPT_BACKEND_URL (for the usage endpoint). */
  backendUrl: string;
  /** OPENAI_AUTH_URL. */
  authUrl: string;
  /** Who we present ourselves as to the backend and the sign-in page (read per call; default: env, then the Codex CLI's values). */
  identity?: () => UpstreamIdentity;
  fetch?: typeof fetch;
  log?: PoolLog;
  now?: () => number;
  /** Callback ports to try (default: CODEX_CLAUDE_PROXY_CALLBACK_PORT, else 1455 then 1457). */
  callbackPorts?: number[];
  /** Background usage poll period in ms (default 5 min; 0 = off). */
  usagePollMs?: number;
  /** Browser sign-in timeout in ms (default 10 min). */
  loginTimeoutMs?: number;
  /** A ready secret store instead of the automatic choice (tests). */
  secrets?: SecretStore;
}

function fixedIdentity(value: UpstreamIdentity): () => UpstreamIdentity {
  return () => value;
}

function stderrLog(): PoolLog {
  const line =
    (level: string) =>
    (obj: object | string, msg?: string): void => {
      const text = typeof obj === 'string' ? obj : `${msg ?? ''} ${JSON.stringify(obj)}`;
      process.stderr.write(`[accounts] ${level}: ${text}\n`);
    };
  return { info: () => undefined, warn: line('warn'), error: line('error') };
}

/**
 * The full accounts API. AccountsService comes first so that its wider signatures (import with
 * warnings, clearing the preferred account) are the ones callers see.
 */
export type ManagedAccountPool = AccountsService & AccountPool;

export async function createAccountPool(opts: AccountPoolOptions): Promise<ManagedAccountPool> {
  const env = opts.env ?? process.env;
  const log = opts.log ?? stderrLog();
  const now = opts.now ?? Date.now;
  const fetchImpl = opts.fetch ?? globalThis.fetch;
  const secrets = opts.secrets ?? (await openSecretStore({ home: opts.home, env, log: { warn: (m) => log.warn(m) } }));
  const store = await AccountStore.open(opts.home);
  const tokens = new TokenClient(opts.authUrl, fetchImpl);
  const ports = callbackPorts(env, opts.callbackPorts);
  const identity = opts.identity ?? fixedIdentity(resolveIdentity(undefined, env));
  let pool: Pool | null = null;
  const refresher = new Refresher({
    home: opts.home,
    secrets,
    tokens,
    now,
    onRefreshed: (id, bundle) => (pool as Pool).onRefreshed(id, bundle),
    onTerminal: (id, bundle, err) => (pool as Pool).onTerminal(id, bundle, err),
  });
  pool = new Pool({
    store,
    secrets,
    refresher,
    env,
    backendUrl: opts.backendUrl,
    fetch: fetchImpl,
    identity,
    log,
    now,
    usagePollMs: opts.usagePollMs ?? 5 * 60_000,
    logins: (self) =>
      new LoginManager({
        authUrl: opts.authUrl,
        originator: () => identity().originator,
        tokens,
        ports,
        timeoutMs: opts.loginTimeoutMs,
        log: { info: (m) => log.info(m), warn: (m) => log.warn(m) },
        save: async (issued) =>
          (await self.saveTokens({ ...issued, last_refresh: new Date(now()).toISOString() }, 'oauth')).summary,
      }),
  });
  return pool;
}
