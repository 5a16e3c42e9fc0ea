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

export type { AccountsService, ImportedAccount, PoolLog, TokenInspection } from './pool.js';
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
  /** Background usage poll period in ms (default CODEX_CLAUDE_PROXY_USAGE_POLL_MS, else 1 min; 0 = off). */
  usagePollMs?: number;
  /** Least ms between probes while every account cools (default CODEX_CLAUDE_PROXY_PROBE_MS, else 1 min; 0 = off). */
  probeMs?: number;
  /** Browser sign-in timeout in ms (default 10 min). */
  loginTimeoutMs?: number;
  /** A ready secret store instead of the automatic choice (tests). */
  secrets?: SecretStore;
}

function fixedIdentity(value: UpstreamIdentity): () => UpstreamIdentity {
  return () => value;
}

/**
 * A limit lifted early is noticed within 75 s: the poll looks at cooling accounts every minute
 * (its call times out after 15 s), and a request gets through as a probe once a minute.
 */
const RECOVERY_DEFAULTS = { usagePollMs: 60_000, probeMs: 60_000 } as const;

/** A period from the environment; unset or not a number ≥ 0 gives the default. */
function periodFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name]?.trim();
  const value = raw ? Number(raw) : NaN;
  return Number.isFinite(value) && value >= 0 ? value : fallback;
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
    usagePollMs:
      opts.usagePollMs ?? periodFromEnv(env, 'CODEX_CLAUDE_PROXY_USAGE_POLL_MS', RECOVERY_DEFAULTS.usagePollMs),
    probeMs: opts.probeMs ?? periodFromEnv(env, 'CODEX_CLAUDE_PROXY_PROBE_MS', RECOVERY_DEFAULTS.probeMs),
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
