// The headless core: everything the CLI and the desktop app share. Plain Node — never electron.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { EventEmitter } from 'node:events';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { existsSync, mkdirSync } from 'node:fs';
import { resolveHome } from './config/paths.js';
import { VERSION } from './version.js';
import { Settings } from './config/settings.js';
import { createLogBus, type LogBus } from './log/index.js';
import { createAccountPool, type ManagedAccountPool } from './accounts/index.js';
import { isLease, type AccountPool } from './accounts/types.js';
import { CodexClient } from './upstream/codex-client.js';
import { resolveIdentity, type UpstreamIdentity } from './upstream/identity.js';
import { TurnStates } from './upstream/turn-state.js';
import { ModelCatalog, type CatalogFetcher } from './models/catalog.js';
import { ModelRouter, isFailure } from './proxy/model-routing.js';
import { CodexLane } from './proxy/codex-lane.js';
import { accountTagger } from './proxy/account-tags.js';
import { CompatSentinel } from './log/compat.js';
import { createMessagesService } from './proxy/messages-service.js';
import { createApp } from './server/app.js';
import { localApiGuard } from './server/guard.js';
import { DashboardSession } from './server/dashboard-session.js';
import { createHttpServer, serverTimeouts } from './server/http-server.js';
import { messagesRouter } from './server/routes/messages.js';
import { metaRouter } from './server/routes/meta.js';
import { laneResolution } from './models/lanes.js';
import { modelsConfigRouter } from './server/routes/models-config.js';
import { accountsRouter } from './server/routes/accounts.js';
import { dashboardApiRouter } from './server/routes/dashboard-api.js';
import { claudeRouter } from './server/routes/claude.js';
import { statusLineRouter } from './server/routes/statusline.js';
import { cliStatusLineCommand } from './statusline/index.js';
import { openAiRouter } from './server/routes/openai.js';
import { usageRouter } from './server/routes/usage.js';
import { createUsageLog } from './usage/index.js';
import { createOpenRouterLane } from './openrouter/lane.js';
import { randomId } from './translate/ids.js';
import { claudeConfigState, compactionWindow, type ProxyTarget } from './claude/index.js';
import { fetchUsage } from './upstream/usage-client.js';
import { runDoctor, type DoctorOptions } from './doctor/run.js';
import { probePort } from './doctor/probes.js';
import { doctorRouter } from './server/routes/doctor.js';
import type { DoctorReport } from '../../shared/api.js';

export { configureClaudeCode, restoreClaudeCode, claudeConfigState } from './claude/index.js';
export { Settings } from './config/settings.js';
export { resolveHome } from './config/paths.js';

export { VERSION } from './version.js';
export const DEFAULT_PORT = 8081;
export const DEFAULT_HOST = '127.0.0.1';

export interface CoreOptions {
  env?: NodeJS.ProcessEnv;
  home?: string;
  host?: string;
  port?: number;
  /** Required from API clients; mandatory when binding a non-loopback host. */
  apiKey?: string;
  /** Print log lines to stdout (the CLI does; the desktop app does not). */
  logToStdout?: boolean;
  /** Built dashboard directory (default: dist/renderer next to the bundle). */
  rendererDir?: string;
}

export interface Core extends EventEmitter {
  readonly home: string;
  readonly logs: LogBus;
  readonly settings: Settings;
  readonly pool: ManagedAccountPool;
  readonly catalog: ModelCatalog;
  start(): Promise<{ url: string; host: string; port: number }>;
  stop(): Promise<void>;
  running(): boolean;
  address(): { host: string; port: number } | null;
  /** The doctor's report (main/core/doctor); `upstream: false` never calls the backend. */
  doctor(opts: DoctorOptions): Promise<DoctorReport>;
  /** Stop the server and release every resource (timers, watchers). */
  close(): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

function defaultRendererDir(): string | undefined {
  // dist/cli.js → dist/renderer; sources (tests, tsx) → ../../dist/renderer. The desktop bundle
  // passes its own directory.
  const here = path.dirname(fileURLToPath(import.meta.url));
  return [path.join(here, 'renderer'), path.join(here, '..', '..', 'dist', 'renderer')].find((dir) =>
    existsSync(path.join(dir, 'index.html')),
  );
}

export type AccountsHandle = ManagedAccountPool;

function upstreamUrls(env: NodeJS.ProcessEnv): { backendUrl: string; authUrl: string } {
  return {
    backendUrl: env.CHATGPT_BACKEND_URL ?? 'https://chatgpt.com/backend-api',
    authUrl: env.OPENAI_AUTH_URL ?? 'https://auth.openai.com',
  };
}

/** The accounts store alone (CLI account commands): no server, no model catalog. */
export async function createAccountsOnly(
  opts: { env?: NodeJS.ProcessEnv; home?: string } = {},
): Promise<AccountsHandle> {
  const env = opts.env ?? process.env;
  const home = opts.home ?? resolveHome(env);
  mkdirSync(home, { recursive: true, mode: 0o700 });
  const settings = new Settings(home);
  const identity = resolveIdentity(settings.identity, env, VERSION);
  settings.close();
  return createAccountPool({ home, env, ...upstreamUrls(env), identity: () => identity, usagePollMs: 0 });
}

/** The live model catalog, as one of the accounts sees it. */
function accountCatalog(pool: AccountPool, client: CodexClient): CatalogFetcher {
  return async () => {
    const lease = await pool.acquire({});
    return isLease(lease) ? client.models(lease.credentials) : null;
  };
}

/**
 * What "configure Claude Code" writes: our URL and token, Claude ids for the three lanes (so
 * Claude Code keeps its known output limits), and the smallest real upstream window so
 * auto-compaction fires before the backend refuses.
 */
export async function claudeTarget(
  catalog: ModelCatalog,
  settings: Settings,
  baseUrl: string,
  apiKey?: string,
): Promise<ProxyTarget> {
  // Configuring right after start-up must not write the offline guess when the live catalog is
  // one fetch away (refresh never throws; without an account the offline facts stay).
  if (!catalog.loaded) await catalog.refresh();
  return {
    baseUrl,
    authToken: apiKey ?? 'codex-claude-proxy',
    models: { opus: 'claude-opus-5-5', sonnet: 'claude-sonnet-5-5', haiku: 'claude-haiku-5-5' },
    contextWindow: compactionWindow(laneResolution(catalog, settings)),
  };
}

/**
 * The Claude Code target for the CLI, from saved settings and the live catalog fetched with one
 * of the accounts (no running server needed). Without an account the offline facts are used.
 */
export async function claudeTargetFor(
  opts: { env?: NodeJS.ProcessEnv; port?: number; apiKey?: string } = {},
): Promise<ProxyTarget> {
  const env = opts.env ?? process.env;
  const home = resolveHome(env);
  const settings = new Settings(home);
  const accounts = await createAccountsOnly({ env, home });
  try {
    const identity = resolveIdentity(settings.identity, env, VERSION);
    const client = new CodexClient({ backendUrl: upstreamUrls(env).backendUrl, identity: () => identity });
    const catalog = new ModelCatalog(accountCatalog(accounts, client));
    const port = opts.port ?? (env.PORT ? Number(env.PORT) : (settings.port ?? DEFAULT_PORT));
    return await claudeTarget(catalog, settings, `http://127.0.0.1:${port}`, opts.apiKey ?? env.PROXY_API_KEY);
  } finally {
    settings.close();
    await accounts.close();
  }
}

export async function createCore(opts: CoreOptions = {}): Promise<Core> {
  const env = opts.env ?? process.env;
  const home = opts.home ?? resolveHome(env);
  mkdirSync(home, { recursive: true, mode: 0o700 });
  const host = opts.host ?? env.HOST ?? DEFAULT_HOST;
  const apiKey = opts.apiKey ?? env.PROXY_API_KEY ?? undefined;
  if (!LOOPBACK.has(host) && !apiKey) {
    throw new Error(
      `Binding to ${host} exposes your ChatGPT accounts to the network: set --api-key or PROXY_API_KEY first.`,
    );
  }
  const { backendUrl, authUrl } = upstreamUrls(env);
  const idleMs = Number(env.CODEX_IDLE_TIMEOUT_MS) || 300_000;

  const logs = createLogBus({ stdout: opts.logToStdout ?? false, file: path.join(home, 'logs', 'proxy.log') });
  const log = logs.logger;
  const settings = new Settings(home);
  let port = opts.port ?? (env.PORT ? Number(env.PORT) : (settings.port ?? DEFAULT_PORT));
  // A bad CODEX_ORIGINATOR/CODEX_CLIENT_VERSION stops the start; a bad edit of config.json later
  // keeps the last good identity and says so.
  let identity: UpstreamIdentity = resolveIdentity(settings.identity, env, VERSION);
  settings.on('change', () => {
    try {
      identity = resolveIdentity(settings.identity, env, VERSION);
    } catch (err) {
      log.warn(`config.json: ${(err as Error).message} Keeping ${identity.originator}/${identity.clientVersion}.`);
    }
  });
  const currentIdentity = (): UpstreamIdentity => identity;
  const pool = await createAccountPool({ home, env, backendUrl, authUrl, identity: currentIdentity, log });
  const usage = createUsageLog({ dir: path.join(home, 'usage'), warn: (msg) => log.warn(msg), quota: pool });
  const client = new CodexClient({ backendUrl, identity: currentIdentity });
  const sentinel = new CompatSentinel(log);
  const catalog = new ModelCatalog(accountCatalog(pool, client), {
    warn: (msg, kind) =>
      kind === 'lane_model_missing' ? sentinel.report('lane_model_missing', msg, msg) : log.warn(msg),
  });
  const router = new ModelRouter(catalog, settings, (family, msg) =>
    sentinel.report('unknown_claude_family', family, msg),
  );
  const codex = new CodexLane({
    pool,
    client,
    turnStates: new TurnStates(),
    log,
    idleMs,
    commitWaitMs: Number(env.CODEX_COMMIT_WAIT_MS) || 5_000,
    accountTag: accountTagger(home, (msg) => log.warn(msg)),
    sentinel,
  });
  const openRouterBase = env.OPENROUTER_BASE_URL ?? 'https://openrouter.ai/api/v1';
  const messages = createMessagesService({
    router,
    codex,
    log,
    haikuLane: async () => {
      const cfg = settings.openrouter;
      if (!cfg.enabled) return null;
      return createOpenRouterLane({
        baseUrl: openRouterBase,
        apiKey: () => pool.getOpenRouterKey(),
        model: cfg.model,
        log,
      });
    },
  });

  const startedAt = Date.now();
  let server: http.Server | null = null;
  let bound: { host: string; port: number } | null = null;
  const selfOrigins = (): string[] => {
    if (!bound) return [];
    const p = bound.port;
    return [`http://127.0.0.1:${p}`, `http://localhost:${p}`, `http://[::1]:${p}`, `http://${bound.host}:${p}`];
  };
  const baseUrl = (): string => `http://${LOOPBACK.has(host) ? '127.0.0.1' : host}:${bound?.port ?? port}`;

  const doctor = (o: DoctorOptions): Promise<DoctorReport> =>
    runDoctor(
      {
        source: server ? 'server' : 'cli',
        version: VERSION,
        home,
        env,
        backendUrl,
        defaultPort: DEFAULT_PORT,
        pool,
        models: (credentials) => client.models(credentials),
        usage: (credentials) => fetchUsage(backendUrl, credentials, globalThis.fetch, currentIdentity()),
        identity: currentIdentity,
        catalog,
        lanes: () => settings.lanes,
        port: async () => (server ? { kind: 'self', url: baseUrl() } : probePort(baseUrl())),
        claudeState: (url) => claudeConfigState({ env, baseUrl: url }),
        compatibility: () => (server ? sentinel.list() : null),
        messages,
        // A proxy that was never started has not read its catalog; a live request should see it.
        prepareLive: async () => {
          if (!catalog.loaded) await catalog.refresh();
        },
        now: Date.now,
      },
      o,
    );

  const session = new DashboardSession();
  const app = createApp({
    log,
    guard: localApiGuard({ apiKey, selfOrigins, session }),
    session,
    rendererDir: opts.rendererDir ?? defaultRendererDir(),
    routers: [
      metaRouter({
        version: VERSION,
        startedAt,
        pool,
        catalog,
        settings,
        secretStore: () => pool.secretStoreKind,
        warnings: () => pool.warnings(),
        identity: currentIdentity,
        compatibility: () => sentinel.list(),
      }),
      messagesRouter({ messages, router, log, pingMs: Number(env.CODEX_PING_MS) || 15_000, tracer: usage }),
      openAiRouter({ messages, log, newRequestId: () => randomId('chatcmpl-'), tracer: usage }),
      usageRouter(usage),
      doctorRouter(doctor),
      modelsConfigRouter({
        catalog,
        settings,
        openRouterKey: { get: () => pool.getOpenRouterKey(), set: (key) => pool.setOpenRouterKey(key) },
      }),
      accountsRouter(pool),
      dashboardApiRouter({
        pool,
        logs,
        version: VERSION,
        host: () => bound?.host ?? host,
        port: () => bound?.port ?? port,
        startedAt,
        secretStore: () => pool.secretStoreKind,
      }),
      claudeRouter({
        env,
        target: async () => claudeTarget(catalog, settings, baseUrl(), apiKey),
        statusLineCommand: () => cliStatusLineCommand(),
      }),
      statusLineRouter({
        routeModel: (model) => {
          const routed = router.route(model);
          return isFailure(routed) ? null : { slug: routed.slug, contextWindow: routed.facts.contextWindow };
        },
        pool,
      }),
    ],
  });

  const core = new EventEmitter() as Core;
  const changed = (): void => void core.emit('change');
  pool.on('change', changed);
  // The catalog is fetched with an account's credentials: the first account added makes it possible.
  pool.on('change', () => {
    if (server && !catalog.loaded) void catalog.refresh();
  });
  settings.on('change', changed);
  catalog.on('change', changed);

  Object.assign(core, {
    home,
    logs,
    settings,
    pool,
    catalog,
    running: () => server !== null,
    address: () => bound,
    doctor,
    async start() {
      if (server && bound) return { url: baseUrl(), ...bound };
      const s = createHttpServer(app.callback(), serverTimeouts(env));
      await new Promise<void>((resolve, reject) => {
        s.once('error', reject);
        s.listen(port, host, () => {
          s.off('error', reject);
          resolve();
        });
      });
      server = s;
      bound = { host, port: (s.address() as AddressInfo).port };
      port = bound.port;
      catalog.start();
      log.info(`codex-claude-proxy ${VERSION} listening on ${baseUrl()}`);
      changed();
      return { url: baseUrl(), ...bound };
    },
    async stop() {
      const s = server;
      if (!s) return;
      server = null;
      catalog.stop();
      await new Promise<void>((resolve) => {
        s.close(() => resolve());
        // In-flight streams get a moment to finish, then are cut (their upstreams abort with them).
        setTimeout(() => s.closeAllConnections(), 2_000).unref();
        s.closeIdleConnections();
      });
      bound = null;
      changed();
    },
    async close() {
      await core.stop();
      settings.close();
      usage.close();
      await pool.close();
      logs.close();
    },
  } satisfies Partial<Core>);
  return core;
}
