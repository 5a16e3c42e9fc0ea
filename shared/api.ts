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

/** How the pool picks an account for a request (docs/ACCOUNTS.md). */
export const SELECTION_STRATEGIES = ['sticky', 'round-robin', 'least-used'] as const;
export type SelectionStrategy = (typeof SELECTION_STRATEGIES)[number];

export function isSelectionStrategy(value: unknown): value is SelectionStrategy {
  return (SELECTION_STRATEGIES as readonly unknown[]).includes(value);
}

export interface AccountsResponse {
  accounts: AccountSummary[];
  strategy: SelectionStrategy;
  secret_store: 'keychain' | 'file';
}

// ---- sign-in (`POST /accounts/add`, `/accounts/add/device`, `GET /accounts/add/:login_id`) -------

export type LoginState = 'pending' | 'success' | 'failed' | 'expired' | 'cancelled';

export interface LoginStatus {
  login_id: string;
  kind: 'browser' | 'device';
  status: LoginState;
  /** Browser flow: the URL to open. */
  auth_url?: string;
  /** Device flow: where to enter `user_code`. */
  verification_url?: string;
  user_code?: string;
  /** Unix ms after which the sign-in expires. */
  expires_at: number;
  error?: string;
  account?: AccountSummary;
}

export interface StartedLogin {
  login_id: string;
  auth_url: string;
  /** True when the loopback callback server listens and the browser redirect completes the sign-in. */
  callback_listening: boolean;
  /** Why the callback server is not listening, with the manual path to use instead. */
  callback_error?: string;
}

export interface StartedDeviceLogin {
  login_id: string;
  verification_url: string;
  user_code: string;
  expires_at: number;
}

export interface PooledQuota {
  accounts: number;
  usable: number;
  /** Average remaining percent of the 5-hour window over usable accounts. */
  five_hour_remaining_percent: number | null;
  weekly_remaining_percent: number | null;
  next_reset_at: number | null;
}

/** What the compatibility sentinel noticed (main/core/log/compat.ts). */
export const COMPAT_KINDS = [
  'upstream_event',
  'upstream_error_code',
  'lane_model_missing',
  'request_field',
  'unknown_claude_family',
  'identity_refused',
] as const;
export type CompatKind = (typeof COMPAT_KINDS)[number];

export interface CompatFinding {
  kind: CompatKind;
  /** The event type, error code, model, field or family concerned. */
  subject: string;
  message: string;
  count: number;
  first_seen: string;
  last_seen: string;
}

/** The client identity presented upstream (main/core/upstream/identity.ts). */
export interface IdentityInfo {
  originator: string;
  client_version: string;
  user_agent: string;
  sources: { originator: string; client_version: string; user_agent_product: string };
}

export interface HealthResponse {
  status: 'ok';
  version: string;
  accounts: { total: number; usable: number };
  uptime_s: number;
  secret_store?: 'keychain' | 'file';
  warnings?: string[];
  models?: Record<Lane, { configured: string; resolved: string; context_window?: number | null }>;
  identity?: IdentityInfo;
  compatibility?: CompatFinding[];
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
    /** Part of input_tokens served from the prompt cache. */
    cached_tokens?: number;
    /** Part of output_tokens spent on reasoning (Codex lane only). */
    reasoning_tokens?: number;
    /** Until the answer started (headers and first events went out). */
    ttfb_ms?: number;
    /** Upstream attempts: more than 1 means the request failed over to another account. */
    attempts?: number;
    /** The request inspector holds a capture of this request (GET /api/captures/:id). */
    captured?: boolean;
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

// ---- usage log and request inspector (docs/DASHBOARD.md, "Usage") ------------------------------

export type UsageRange = '1h' | '24h' | '7d';
export type UsageBucket = '5m' | '1h' | '1d';

/** One finished API request in the usage log (`GET /api/usage/rows`). It never holds prompt text. */
export interface UsageRow {
  /** Unix ms when the request finished. */
  time: number;
  /** The model the client asked for (a Claude id). */
  model: string;
  upstream_model: string | null;
  account: string | null;
  /** Claude Code's session id, when the client sent one. */
  session: string | null;
  /** All input tokens, cached ones included. */
  input_tokens: number;
  cached_tokens: number;
  /** All output tokens, reasoning included. */
  output_tokens: number;
  reasoning_tokens: number;
  ttfb_ms: number | null;
  duration_ms: number;
  status: number;
  attempts: number;
}

export interface UsageTotals {
  requests: number;
  /** Status 400 and above, except 499 (the client cancelled). */
  errors: number;
  input_tokens: number;
  cached_tokens: number;
  output_tokens: number;
  reasoning_tokens: number;
  /** Requests served after one or more failed attempts on other accounts. */
  failovers: number;
}

export interface UsageSession {
  session: string;
  requests: number;
  input_tokens: number;
  cached_tokens: number;
  output_tokens: number;
  reasoning_tokens: number;
  /** Input-token equivalents: uncached input ×1, cached input ×0.1, output ×8 (API price ratios). */
  cost: number;
  models: string[];
  accounts: string[];
  first: number;
  last: number;
}

/** `GET /api/usage?range=&bucket=`: every chart of the usage view, aggregated on the server. */
export interface UsageSummary {
  range: UsageRange;
  bucket: UsageBucket;
  /** Unix ms; rows with from <= time < to are counted. */
  from: number;
  to: number;
  /** Start of each bucket (unix ms), oldest first; bucket i ends where i + 1 starts (the last at `to`). */
  buckets: number[];
  /** Input + output tokens per upstream model per bucket, the biggest model first. */
  tokens_by_model: Array<{ model: string; tokens: number[]; total: number }>;
  /** Per bucket, for the cache-hit rate (cached ÷ input). */
  input_tokens: number[];
  cached_tokens: number[];
  totals: UsageTotals;
  accounts: Array<{ account: string; requests: number; errors: number; tokens: number }>;
  /** The costliest Claude Code sessions, costliest first. */
  sessions: UsageSession[];
  /** Used percent of each account's windows over time; `times` is shared, null where unknown. */
  quota: {
    times: number[];
    accounts: Array<{ account: string; five_hour: Array<number | null>; weekly: Array<number | null> }>;
  };
}

/** What the request inspector captures next (`PUT /api/capture`). */
export type CaptureMode = { kind: 'off' } | { kind: 'next'; count: number } | { kind: 'session'; session: string };

export interface CaptureListItem {
  id: string;
  time: number;
  model: string | null;
  session: string | null;
  status: number | null;
  bytes: number;
}

export interface CaptureState {
  mode: CaptureMode;
  captures: CaptureListItem[];
  /** Bounds of the in-memory store. */
  limits: { captures: number; bytes: number; bytes_per_capture: number };
}

/**
 * One request as the proxy saw it, redacted: credentials are replaced, images, encrypted reasoning
 * and signatures are elided. `GET /api/captures/:id`; `/export` serves the same as a file.
 */
export interface RequestCapture {
  id: string;
  time: number;
  path: string;
  model: string | null;
  session: string | null;
  /** The translated request body sent upstream (the last attempt's; every attempt sends the same). */
  upstream_request: unknown;
  attempts: Array<{ account: string; status?: number; body?: string }>;
  /** Upstream events as received (Codex Responses events). */
  upstream_events: unknown[];
  /** Events sent to the client (Anthropic stream events). */
  client_events: unknown[];
  status: number | null;
  /** Events were dropped after the per-capture byte limit. */
  truncated: boolean;
  bytes: number;
}

// ---- doctor (`codex-claude-proxy doctor`, `GET`/`POST /api/doctor`, docs/API.md "Doctor") -------

/** `skip`: not checked this time (a GET never calls upstream; an expired token is not used dry). */
export type DoctorStatus = 'ok' | 'warn' | 'fail' | 'skip';

export type DoctorGroup = 'setup' | 'account' | 'lanes' | 'identity' | 'server' | 'claude' | 'compatibility' | 'live';

export interface DoctorCheck {
  /** Stable per check, e.g. `data_dir`, `account:acct_…:models`, `lane:opus`, `live:haiku`. */
  id: string;
  group: DoctorGroup;
  status: DoctorStatus;
  /** One line: what was checked and what was found. */
  summary: string;
  /** What a person can do about it; every `fail` has one. */
  fix?: string;
}

/** Body of `POST /api/doctor`; both default to false. */
export interface DoctorRequest {
  /** Refresh every account's tokens (a real refresh: the old refresh token is spent). */
  refresh?: boolean;
  /** One tiny streamed request per lane through the real request path (spends a little quota). */
  live?: boolean;
}

export interface DoctorReport {
  version: string;
  /** ISO time the checks ran. */
  ran_at: string;
  /** Who ran them: the running proxy, or the CLI on the data dir with no proxy listening. */
  source: 'server' | 'cli';
  home: string;
  /** Whether the backend was called (false for `GET /api/doctor`). */
  upstream: boolean;
  refresh: boolean;
  live: boolean;
  checks: DoctorCheck[];
  counts: Record<DoctorStatus, number>;
}

/**
 * What "Configure Claude Code" does with its `statusLine`:
 * - `auto`: install ours when settings.json has no status line (or refresh ours); keep the user's;
 * - `install`: install ours, replacing the user's (which is kept for restore);
 * - `skip`: leave the user's alone and take ours out if an earlier configure installed it.
 */
export const STATUS_LINE_CHOICES = ['auto', 'install', 'skip'] as const;
export type StatusLineChoice = (typeof STATUS_LINE_CHOICES)[number];
