// The one place where the desktop shell meets the headless core. Everything else in main/desktop
// talks to `DesktopCore`, which names exactly what the tray, the notifications and the login need,
// so tests can hand in a fake and a change in the core's surface is absorbed here.
import type {
  AccountSummary,
  AccountsResponse,
  ClaudeConfigState,
  PooledQuota,
  SelectionStrategy,
} from '../../shared/api.js';
import type { Lane, LaneMap } from '../../shared/models.js';
import {
  claudeConfigState,
  claudeTarget,
  configureClaudeCode,
  createCore,
  restoreClaudeCode,
  type Core,
} from '../core/index.js';

export interface ModelChoice {
  slug: string;
  displayName: string;
}

export interface StartedLogin {
  loginId: string;
  authUrl: string;
  /** Set when the loopback callback cannot listen: the sign-in must be finished in the dashboard. */
  callbackError?: string;
}

export interface DesktopCore {
  start(): Promise<{ url: string; host: string; port: number }>;
  stop(): Promise<void>;
  close(): Promise<void>;
  running(): boolean;
  address(): { host: string; port: number } | null;
  on(event: 'change', listener: () => void): unknown;
  off(event: 'change', listener: () => void): unknown;
  accounts(): Promise<AccountsResponse>;
  pooledQuota(): Promise<PooledQuota>;
  switchAccount(id: string): Promise<void>;
  setStrategy(strategy: SelectionStrategy): Promise<void>;
  lanes(): LaneMap;
  setLaneModel(lane: Lane, model: string): void;
  /** Codex models the live catalog offers (empty until it has loaded). */
  models(): ModelChoice[];
  startLogin(): Promise<StartedLogin>;
  waitForLogin(loginId: string): Promise<AccountSummary>;
  claudeState(): Promise<ClaudeConfigState>;
  configureClaude(): Promise<ClaudeConfigState>;
  restoreClaude(): Promise<ClaudeConfigState>;
}

export interface OpenCoreOptions {
  /** Undefined: the core's own choice (its settings, PORT, else 8081). 0: any free port. */
  port?: number;
  rendererDir: string;
  /** The environment the core reads (home, secret store, upstream URLs); default process.env. */
  env?: NodeJS.ProcessEnv;
}

export type OpenCore = (opts: OpenCoreOptions) => Promise<DesktopCore>;

/** `apiKey`: the key the core requires from clients, which Claude Code must then send. */
export function desktopCoreFrom(core: Core, apiKey?: string): DesktopCore {
  const pool = core.pool;
  const baseUrl = (): string | undefined => {
    const bound = core.address();
    return bound ? `http://127.0.0.1:${bound.port}` : undefined;
  };
  return {
    start: () => core.start(),
    stop: () => core.stop(),
    close: () => core.close(),
    running: () => core.running(),
    address: () => core.address(),
    on: (event, listener) => core.on(event, listener),
    off: (event, listener) => core.off(event, listener),
    accounts: () => pool.list(),
    pooledQuota: () => pool.quota(),
    switchAccount: (id) => pool.setPreferred(id),
    setStrategy: (strategy) => pool.setStrategy(strategy),
    lanes: () => core.settings.lanes,
    setLaneModel: (lane, model) => void core.settings.setLanes({ [lane]: { model } }),
    models: () => core.catalog.available().map((m) => ({ slug: m.slug, displayName: m.displayName })),
    async startLogin() {
      const started = await pool.startLogin({ callbackServer: true });
      return { loginId: started.login_id, authUrl: started.auth_url, callbackError: started.callback_error };
    },
    waitForLogin: (loginId) => pool.waitForLogin(loginId),
    claudeState: () => claudeConfigState({ baseUrl: baseUrl() }),
    async configureClaude() {
      const url = baseUrl();
      if (!url) throw new Error('Start the proxy first: Claude Code is pointed at its address.');
      return configureClaudeCode(await claudeTarget(core.catalog, core.settings, url, apiKey));
    },
    restoreClaude: () => restoreClaudeCode({}),
  };
}

export const openDesktopCore: OpenCore = async ({ port, rendererDir, env = process.env }) => {
  // Read once here so the server and the Claude Code settings agree on it.
  const apiKey = env.PROXY_API_KEY || undefined;
  return desktopCoreFrom(await createCore({ env, port, rendererDir, apiKey, logToStdout: false }), apiKey);
};
