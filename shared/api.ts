// HTTP API shapes shared by the core's routes, the dashboard and the desktop shell.
import type { Lane, LaneMap } from './models.js';

export type AccountStatus = 'active' | 'cooldown' | 'needs_relogin' | 'disabled';

export interface QuotaWindow {
  used_percent: number;
  window_minutes: number;
  /** Unix seconds when the window resets, when known. */
  resets_at: number | null;
}

export interface AccountQuota {
  /** 5-hour window (by window length, not by header name). */
  five_hour: QuotaWindow | null;
  weekly: QuotaWindow | null;
  plan_type: string | null;
  /** Unix ms of the last update. */
  updated_at: number | null;
}

export interface AccountSummary {
  id: string;
  email: string | null;
  account_id: string;
  plan: string | null;
  status: AccountStatus;
  /** Unix seconds: end of cooldown (status cooldown) or when the access token dies (needs_relogin). */
  status_until: number | null;
  status_reason: string | null;
  quota: AccountQuota;
  preferred: boolean;
  added_at: string;
  source: 'oauth' | 'codex-import';
}

export type SelectionStrategy = 'sticky' | 'round-robin' | 'least-used';

export interface AccountsResponse {
  accounts: AccountSummary[];
  strategy: SelectionStrategy;
  secret_store: 'keychain' | 'file';
}

export interface PooledQuota {
  accounts: number;
  usable: number;
  /** Average remaining percent of the 5-hour window over usable accounts. */
  five_hour_remaining_percent: number | null;
  weekly_remaining_percent: number | null;
  next_reset_at: number | null;
}

export interface HealthResponse {
  status: 'ok';
  version: string;
  accounts: { total: number; usable: number };
  uptime_s: number;
  secret_store?: 'keychain' | 'file';
  warnings?: string[];
  models?: Record<Lane, { configured: string; resolved: string }>;
}

export interface ModelsConfig {
  lanes: LaneMap;
  /** Codex models the backend offers to the current account (live catalog), if known. */
  available: Array<{ slug: string; display_name: string; context_window: number | null; efforts: string[] }>;
  resolved: Record<Lane, { configured: string; resolved: string; context_window: number | null }>;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface LogEntry {
  seq: number;
  time: number;
  level: LogLevel;
  msg: string;
  /** Present for request log rows. */
  request?: {
    id: string;
    method: string;
    path: string;
    model?: string;
    upstream_model?: string;
    account?: string;
    status?: number;
    latency_ms?: number;
    input_tokens?: number;
    output_tokens?: number;
    session?: string;
  };
  [k: string]: unknown;
}

/** GET /claude/statusline?session=…&model=…: what `codex-claude-proxy statusline` shows. */
export interface StatusLineInfo {
  /** The Codex model the Claude model goes to and its real context window; null for an id we do not route. */
  model: { slug: string; context_window: number | null } | null;
  /** The account serving this Claude Code session; null before its first request. */
  account: {
    email: string | null;
    status: AccountStatus;
    five_hour_used_percent: number | null;
    weekly_used_percent: number | null;
  } | null;
  /** All accounts together (used while the session has no account yet). */
  pooled: { usable: number; five_hour_used_percent: number | null; weekly_used_percent: number | null };
}

export interface ClaudeConfigState {
  settings_path: string;
  configured: boolean;
  base_url: string | null;
  backup_exists: boolean;
  default_mode: string | null;
  env: Record<string, string>;
  /** Where the one backup of settings.json lives (taken at the first configure). */
  backup_path?: string;
  /** Claude Code's global state file (~/.claude.json, or in CLAUDE_CONFIG_DIR). */
  global_config_path?: string;
  /** `hasCompletedOnboarding` is set there (a fresh install otherwise stops at onboarding). */
  onboarding_completed?: boolean;
  /** Sentences for the UI/CLI: what the settings do now, and why the permission mode is what it is. */
  notes?: string[];
  /** Claude Code's status line: the proxy's (`codex-claude-proxy statusline`), the user's own, or none. */
  status_line?: 'proxy' | 'own' | 'none';
}

export interface OverviewResponse {
  version: string;
  host: string;
  port: number;
  uptime_s: number;
  requests_today: number;
  errors_today: number;
  /** Which account serves which Claude Code session (most recent first). */
  sessions: Array<{ session: string; account: string; last_used: number }>;
  pooled: PooledQuota;
  secret_store: 'keychain' | 'file';
}

/** Body of PUT /api/models. */
export interface ModelsUpdate {
  lanes: Partial<LaneMap>;
}

/** GET/PUT /api/openrouter: the optional OpenRouter Haiku lane. The key itself is never returned. */
export interface OpenRouterConfig {
  enabled: boolean;
  model: string;
  has_key: boolean;
  choices: Array<{ id: string; display_name: string }>;
}

export interface OpenRouterUpdate {
  enabled?: boolean;
  model?: string;
  /** A new key, or null to delete the stored one. */
  key?: string | null;
}
