// The doctor's checks as pure functions: facts gathered elsewhere (probes.ts, the pool, the
// backend) in, one line each out, with the fix a person can act on for everything that fails.
import type {
  AccountSummary,
  ClaudeConfigState,
  CompatFinding,
  CompatKind,
  DoctorCheck,
  DoctorGroup,
  DoctorStatus,
} from '../../../shared/api.js';
import { RETIRED_CODEX_SLUGS, type Lane } from '../../../shared/models.js';
import type { TokenInspection } from '../accounts/pool.js';
import { decodeJwtClaims, identityFromTokens, tokenExpiry } from '../accounts/claims.js';
import { quotaFromUsage } from '../accounts/quota.js';
import { REFRESH_MARGIN_S, type TokenBundle } from '../accounts/tokens.js';
import { isIdentityRefusal } from '../upstream/error-body.js';
import {
  CLIENT_VERSION_ENV,
  DEFAULT_CLIENT_VERSION,
  DEFAULT_ORIGINATOR,
  ORIGINATOR_ENV,
  type UpstreamIdentity,
} from '../upstream/identity.js';
import { identityRefusedMessage } from '../upstream/failure.js';

const SIGN_IN_AGAIN =
  'Sign in again: `codex-claude-proxy accounts add` (or re-import the Codex CLI login with `accounts import`).';

function check(id: string, group: DoctorGroup, status: DoctorStatus, summary: string, fix?: string): DoctorCheck {
  return fix ? { id, group, status, summary, fix } : { id, group, status, summary };
}

export function humanDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 90) return `${s} s`;
  if (s < 120 * 60) return `${Math.round(s / 60)} min`;
  if (s < 48 * 3600) return `${Math.round(s / 3600)} h`;
  return `${Math.round(s / 86_400)} d`;
}

// ---- data dir and secrets ---------------------------------------------------------------------

export interface DataDirFacts {
  path: string;
  exists: boolean;
  isDirectory: boolean;
  writable: boolean;
  /** Permission bits; null where they mean nothing (Windows). */
  mode: number | null;
}

export function dataDirCheck(f: DataDirFacts): DoctorCheck {
  const id = 'data_dir';
  if (!f.exists)
    return check(
      id,
      'setup',
      'fail',
      `Data dir ${f.path} does not exist.`,
      'Start the proxy once (it creates it), or check CODEX_CLAUDE_PROXY_HOME.',
    );
  if (!f.isDirectory)
    return check(
      id,
      'setup',
      'fail',
      `Data dir ${f.path} is not a directory.`,
      `Move that file away, or point CODEX_CLAUDE_PROXY_HOME elsewhere.`,
    );
  if (!f.writable)
    return check(
      id,
      'setup',
      'fail',
      `Data dir ${f.path} is not writable by this user.`,
      `Give it back to yourself: chown -R "$USER" ${f.path} && chmod 700 ${f.path}`,
    );
  if (f.mode !== null && (f.mode & 0o077) !== 0) {
    const octal = (f.mode & 0o777).toString(8);
    return check(
      id,
      'setup',
      'warn',
      `Data dir ${f.path} is open to other users (mode ${octal}).`,
      `chmod 700 ${f.path}`,
    );
  }
  return check(id, 'setup', 'ok', `Data dir ${f.path} (writable${f.mode !== null ? ', owner only' : ''}).`);
}

export function secretStoreCheck(f: {
  kind: 'keychain' | 'file';
  description: string;
  forcedFile: boolean;
}): DoctorCheck {
  const id = 'secret_store';
  if (f.kind === 'keychain') return check(id, 'setup', 'ok', `Secret store: ${f.description}.`);
  if (f.forcedFile)
    return check(id, 'setup', 'ok', `Secret store: ${f.description}, as CODEX_CLAUDE_PROXY_SECRETS=file asks.`);
  return check(
    id,
    'setup',
    'warn',
    `Secret store: ${f.description}: no OS keychain could be used, so the tokens are stored unencrypted.`,
    'Install or unlock an OS keychain (macOS Keychain, Windows Credential Manager, a Secret Service such as gnome-keyring) and restart the proxy; CODEX_CLAUDE_PROXY_SECRETS=keychain makes its absence an error.',
  );
}

// ---- identity ---------------------------------------------------------------------------------

/** The originators the backend's edge admits (docs/FACTS.md, "Identity gate"). */
const FIRST_PARTY = new Set(['codex_cli_rs', 'codex_vscode', 'codex_sdk_ts', 'codex_exec']);
const MIN_CLIENT_VERSION = [0, 144, 0];

function versionBelowGate(version: string): boolean {
  const parts = version.split(/[.+-]/, 3).map(Number);
  for (let i = 0; i < 3; i++) {
    if ((parts[i] ?? 0) !== MIN_CLIENT_VERSION[i]) return (parts[i] ?? 0) < MIN_CLIENT_VERSION[i];
  }
  return false;
}

/** What to change, naming where the refused values came from. */
export function identityFix(identity: UpstreamIdentity): string {
  const fromEnv = [
    identity.sources.originator === 'env' ? `${ORIGINATOR_ENV}=${identity.originator}` : '',
    identity.sources.clientVersion === 'env' ? `${CLIENT_VERSION_ENV}=${identity.clientVersion}` : '',
  ].filter(Boolean);
  if (fromEnv.length)
    return `${fromEnv.join(' and ')} ${fromEnv.length > 1 ? 'come' : 'comes'} from the environment of the proxy: unset it and restart to send the Codex CLI's own values (${DEFAULT_ORIGINATOR}, ${DEFAULT_CLIENT_VERSION}), or set the values the newest Codex CLI sends.`;
  const fromSettings = Object.entries(identity.sources)
    .filter(([, source]) => source === 'settings')
    .map(([field]) => field);
  if (fromSettings.length)
    return `config.json's "identity" (${fromSettings.join(', ')}) overrides the defaults: remove it, or set the values the newest Codex CLI sends.`;
  return `The built-in identity no longer passes: update codex-claude-proxy, or set ${ORIGINATOR_ENV}/${CLIENT_VERSION_ENV} to the values the newest Codex CLI sends (docs/API.md, "Upstream identity").`;
}

/** `refusedStatus`: the HTTP status of a refusal seen by any check, or null. */
export function identityCheck(identity: UpstreamIdentity, refusedStatus: number | null): DoctorCheck {
  const id = 'identity';
  const { sources } = identity;
  const from = (source: string): string => (source === 'default' ? 'default' : `from ${source}`);
  const summary =
    `originator ${identity.originator} (${from(sources.originator)}), client version ${identity.clientVersion} (${from(sources.clientVersion)}), ` +
    `User-Agent "${identity.userAgent}" (product ${from(sources.userAgentProduct)})`;
  if (refusedStatus !== null)
    return check(
      id,
      'identity',
      'fail',
      `${identityRefusedMessage(refusedStatus)} Sent: ${summary}.`,
      identityFix(identity),
    );
  const product = identity.userAgent.split('/', 1)[0];
  const firstParty = FIRST_PARTY.has(identity.originator) || identity.originator.startsWith('Codex ');
  if (!firstParty)
    return check(
      id,
      'identity',
      'warn',
      `${summary}: "${identity.originator}" is not an originator the backend is known to admit.`,
      identityFix(identity),
    );
  if (product !== identity.originator)
    return check(
      id,
      'identity',
      'warn',
      `${summary}: the User-Agent names "${product}", the originator "${identity.originator}"; the backend refuses a mismatch.`,
      identityFix(identity),
    );
  if (versionBelowGate(identity.clientVersion))
    return check(
      id,
      'identity',
      'warn',
      `${summary}: client versions below 0.144.0 are refused.`,
      identityFix(identity),
    );
  return check(id, 'identity', 'ok', summary);
}

/** The edge refused the client itself: Cloudflare's challenge (its header or an HTML page) or a 404 for the endpoint. */
export function isRefusedIdentity(status: number, headers: Headers | undefined): boolean {
  const page = /text\/html/i.test(headers?.get('content-type') ?? '') ? '<html>' : undefined;
  return isIdentityRefusal(status, page, headers);
}

// ---- accounts ---------------------------------------------------------------------------------

export interface AccountRef {
  id: string;
  label: string;
}

export function accountRef(a: AccountSummary): AccountRef {
  return { id: a.id, label: a.email ?? a.account_id };
}

export function accountStatusCheck(a: AccountSummary, nowMs: number): DoctorCheck {
  const { id, label } = accountRef(a);
  const cid = `account:${id}:status`;
  const why = a.status_reason ? `: ${a.status_reason}` : '';
  switch (a.status) {
    case 'active':
      return check(cid, 'account', 'ok', `${label}: active${a.preferred ? ' (preferred)' : ''}.`);
    case 'cooldown': {
      const left = a.status_until ? ` for ${humanDuration(a.status_until - nowMs / 1000)}` : '';
      return check(
        cid,
        'account',
        'warn',
        `${label}: cooling down${left}${why}.`,
        `It comes back by itself; \`codex-claude-proxy accounts refresh ${id}\` checks its quota sooner.`,
      );
    }
    case 'needs_relogin':
      return check(cid, 'account', 'fail', `${label}: needs a new sign-in${why}.`, SIGN_IN_AGAIN);
    case 'disabled':
      return check(
        cid,
        'account',
        'fail',
        `${label}: disabled${why}.`,
        'If the keychain is locked, unlock it and restart the proxy; otherwise remove the account and sign in again.',
      );
  }
}

/** The bundle the account uses now: the refreshed one, else what is stored. */
export function bundleOf(t: TokenInspection): TokenBundle | undefined {
  return t.bundle;
}

export function tokenClaimsCheck(a: AccountSummary, t: TokenInspection): DoctorCheck {
  const { id, label } = accountRef(a);
  const cid = `account:${id}:tokens`;
  const bundle = bundleOf(t);
  if (!bundle) {
    const fix =
      t.ok || t.terminal
        ? SIGN_IN_AGAIN
        : 'Unlock the OS keychain (or check the secret files) and run the doctor again; if that does not help, sign in again.';
    return check(
      cid,
      'account',
      'fail',
      `${label}: the stored tokens cannot be read (${t.ok ? 'none' : t.message}).`,
      fix,
    );
  }
  if (decodeJwtClaims(bundle.access_token) === null)
    return check(
      cid,
      'account',
      'fail',
      `${label}: the access token does not decode (it is not a JWT).`,
      SIGN_IN_AGAIN,
    );
  let claims;
  try {
    claims = identityFromTokens(bundle, a.account_id);
  } catch (err) {
    return check(
      cid,
      'account',
      'fail',
      `${label}: the tokens do not decode (${(err as Error).message})`,
      SIGN_IN_AGAIN,
    );
  }
  const found = `account id ${claims.accountId}, plan ${claims.plan ?? 'unknown'}, email ${claims.email ?? 'none'}`;
  if (claims.accountId !== a.account_id)
    return check(
      cid,
      'account',
      'warn',
      `${label}: the tokens name ${found}, but the account was added as ${a.account_id}.`,
      'Remove the account and sign in again.',
    );
  return check(cid, 'account', 'ok', `${label}: tokens decode (${found}).`);
}

export function expiryCheck(a: AccountSummary, bundle: TokenBundle | undefined, nowMs: number): DoctorCheck | null {
  if (!bundle) return null;
  const { id, label } = accountRef(a);
  const cid = `account:${id}:expiry`;
  const exp = tokenExpiry(bundle.access_token);
  const nowS = nowMs / 1000;
  if (exp === null)
    return check(
      cid,
      'account',
      'warn',
      `${label}: the access token says nothing about its expiry; it is refreshed every 8 days.`,
    );
  if (exp <= nowS) {
    const ago = humanDuration(nowS - exp);
    if (bundle.refresh_token)
      return check(
        cid,
        'account',
        'warn',
        `${label}: the access token expired ${ago} ago; the proxy refreshes it before the next request.`,
        '`codex-claude-proxy doctor --refresh` tries that refresh now.',
      );
    return check(
      cid,
      'account',
      'fail',
      `${label}: the access token expired ${ago} ago and there is no refresh token.`,
      SIGN_IN_AGAIN,
    );
  }
  const left = humanDuration(exp - nowS);
  const until = new Date(exp * 1000).toISOString();
  if (exp - nowS < REFRESH_MARGIN_S)
    return check(
      cid,
      'account',
      'ok',
      `${label}: the access token expires in ${left} (${until}); the next request refreshes it first.`,
    );
  return check(cid, 'account', 'ok', `${label}: the access token is valid for ${left} (until ${until}).`);
}

export function refreshCheck(a: AccountSummary, t: TokenInspection, asked: boolean, nowMs: number): DoctorCheck | null {
  const { id, label } = accountRef(a);
  const cid = `account:${id}:refresh`;
  if (!asked) {
    const bundle = bundleOf(t);
    if (!bundle) return null;
    if (bundle.refresh_token)
      return check(
        cid,
        'account',
        'skip',
        `${label}: a refresh token is stored; not tried (dry run: \`doctor --refresh\` tries it).`,
      );
    return check(
      cid,
      'account',
      'warn',
      `${label}: no refresh token (imported without one): it works until the access token expires.`,
      'Sign in with `codex-claude-proxy accounts add` so the proxy can renew it.',
    );
  }
  if (t.ok) {
    const exp = tokenExpiry(t.bundle.access_token);
    const left = exp === null ? '' : `, valid for ${humanDuration(exp - nowMs / 1000)}`;
    return check(cid, 'account', 'ok', `${label}: refreshed (new access token${left}).`);
  }
  if (t.stage === 'read') return null;
  if (t.terminal)
    return check(cid, 'account', 'fail', `${label}: the refresh was refused for good (${t.message}).`, SIGN_IN_AGAIN);
  return check(
    cid,
    'account',
    'fail',
    `${label}: the refresh failed (${t.message}).`,
    'Check that auth.openai.com (OPENAI_AUTH_URL) is reachable from here, then run `codex-claude-proxy doctor --refresh` again.',
  );
}

// ---- the backend's small JSON calls -----------------------------------------------------------

export type CallOutcome<T> =
  | { kind: 'ok'; value: T }
  | { kind: 'http'; status: number; headers?: Headers }
  | { kind: 'error'; message: string }
  | { kind: 'skipped'; reason: string };

export interface CallContext {
  account: AccountRef;
  identity: UpstreamIdentity;
  backendUrl: string;
}

/** A failed call as status, line and fix: the same reading for the model list and the usage call. */
function callProblem(
  call: string,
  o: Exclude<CallOutcome<unknown>, { kind: 'ok' } | { kind: 'skipped' }>,
  ctx: CallContext,
) {
  const who = `${ctx.account.label}: ${call}`;
  if (o.kind === 'error')
    return {
      status: 'fail' as const,
      summary: `${who} could not reach ${ctx.backendUrl} (${o.message}).`,
      fix: 'Check the network, a firewall or an HTTPS proxy on the way; CHATGPT_BACKEND_URL overrides the backend address.',
    };
  if (isRefusedIdentity(o.status, o.headers))
    return {
      status: 'fail' as const,
      summary: `${who}: ${identityRefusedMessage(o.status)}`,
      fix: identityFix(ctx.identity),
    };
  if (o.status === 401)
    return {
      status: 'fail' as const,
      summary: `${who} rejected the access token (HTTP 401).`,
      fix: `\`codex-claude-proxy doctor --refresh\` renews it; if that fails: ${SIGN_IN_AGAIN}`,
    };
  if (o.status === 403)
    return {
      status: 'fail' as const,
      summary: `${who} refused this account (HTTP 403, not the identity gate): its workspace or plan does not allow Codex.`,
      fix: `Check the plan at chatgpt.com; ${SIGN_IN_AGAIN}`,
    };
  if (o.status === 429)
    return {
      status: 'warn' as const,
      summary: `${who} is rate limited (HTTP 429).`,
      fix: 'Wait a minute and run the doctor again.',
    };
  if (o.status >= 500)
    return {
      status: 'fail' as const,
      summary: `${who} answered HTTP ${o.status}: the backend is having trouble.`,
      fix: 'Try again later (status.openai.com says whether OpenAI knows).',
    };
  return {
    status: 'fail' as const,
    summary: `${who} answered HTTP ${o.status}.`,
    fix: 'The backend may have changed: update codex-claude-proxy.',
  };
}

export function modelsCheck(o: CallOutcome<unknown[]>, ctx: CallContext): DoctorCheck {
  const cid = `account:${ctx.account.id}:models`;
  if (o.kind === 'skipped')
    return check(cid, 'account', 'skip', `${ctx.account.label}: /codex/models not checked (${o.reason}).`);
  if (o.kind === 'ok') {
    if (!o.value.length)
      return check(
        cid,
        'account',
        'warn',
        `${ctx.account.label}: /codex/models lists no model for client ${ctx.identity.clientVersion}.`,
        'The plan may not include Codex; check it at chatgpt.com.',
      );
    return check(
      cid,
      'account',
      'ok',
      `${ctx.account.label}: /codex/models lists ${o.value.length} models for client ${ctx.identity.clientVersion}.`,
    );
  }
  const p = callProblem('/codex/models', o, ctx);
  return check(cid, 'account', p.status, p.summary, p.fix);
}

export function usageCheck(o: CallOutcome<unknown>, ctx: CallContext, nowMs: number): DoctorCheck {
  const cid = `account:${ctx.account.id}:usage`;
  if (o.kind === 'skipped')
    return check(cid, 'account', 'skip', `${ctx.account.label}: /wham/usage not checked (${o.reason}).`);
  if (o.kind === 'ok') {
    const q = quotaFromUsage(o.value, nowMs);
    const windows = [
      q.five_hour ? `5-hour window ${Math.round(q.five_hour.used_percent)}% used` : '',
      q.weekly ? `weekly ${Math.round(q.weekly.used_percent)}% used` : '',
    ].filter(Boolean);
    const read = `${windows.join(', ') || 'no windows reported'}${q.plan_type ? ` (plan ${q.plan_type})` : ''}`;
    if (q.limit_reached) {
      const reset = [q.five_hour, q.weekly].find((w) => w && w.used_percent >= 100)?.resets_at ?? null;
      const when = reset ? ` It resets in ${humanDuration(reset - nowMs / 1000)}.` : '';
      return check(
        cid,
        'account',
        'warn',
        `${ctx.account.label}: /wham/usage says the usage limit is reached: ${read}.${when}`,
        'Wait for the reset, or add another account.',
      );
    }
    return check(cid, 'account', 'ok', `${ctx.account.label}: /wham/usage readable: ${read}.`);
  }
  const p = callProblem('/wham/usage', o, ctx);
  return check(cid, 'account', p.status, p.summary, p.fix);
}

// ---- lanes ------------------------------------------------------------------------------------

export type CatalogFacts =
  | { source: 'running'; models: number }
  | { source: 'fetched'; models: number; account: string }
  | { source: 'offline'; reason: string };

export function catalogCheck(f: CatalogFacts): DoctorCheck {
  if (f.source === 'running')
    return check('catalog', 'lanes', 'ok', `Live model catalog of the running proxy: ${f.models} models.`);
  if (f.source === 'fetched')
    return check('catalog', 'lanes', 'ok', `Live model catalog (as ${f.account} sees it): ${f.models} models.`);
  return check(
    'catalog',
    'lanes',
    'warn',
    `No live model catalog (${f.reason}): lanes resolve on the built-in facts of the 0.171.0 models.`,
    'Requests still work; fix the account checks so the proxy can read the catalog.',
  );
}

export interface LaneFacts {
  configured: string;
  resolved: string;
  context_window: number | null;
  effort?: string;
}

function windowText(tokens: number | null): string {
  return tokens === null ? 'window unknown' : `${Math.round(tokens / 1000)}k window`;
}

export function laneCheck(lane: Lane, f: LaneFacts): DoctorCheck {
  const id = `lane:${lane}`;
  const effort = f.effort ? `, effort ${f.effort}` : '';
  if (f.resolved === f.configured)
    return check(id, 'lanes', 'ok', `${lane} → ${f.resolved} (${windowText(f.context_window)}${effort}).`);
  const why = RETIRED_CODEX_SLUGS.has(f.configured) ? 'was retired by OpenAI' : 'is not offered to this account';
  return check(
    id,
    'lanes',
    'warn',
    `${lane}: "${f.configured}" ${why}; requests go to ${f.resolved} (${windowText(f.context_window)}${effort}).`,
    `\`codex-claude-proxy models set ${lane} ${f.resolved}\` (or choose another model in the dashboard's Models view).`,
  );
}

// ---- the server's port ------------------------------------------------------------------------

export type PortFacts =
  | { kind: 'self'; url: string }
  | { kind: 'ours'; url: string; version: string }
  | { kind: 'free'; url: string }
  | { kind: 'other'; url: string; detail: string };

export function portCheck(f: PortFacts, defaultPort: number): DoctorCheck {
  const port = new URL(f.url).port;
  switch (f.kind) {
    case 'self':
      return check('port', 'server', 'ok', `Listening on ${f.url} (this proxy).`);
    case 'ours':
      return check('port', 'server', 'ok', `codex-claude-proxy ${f.version} answers on ${f.url}.`);
    case 'free':
      return check(
        'port',
        'server',
        'warn',
        `Nothing listens on ${f.url}: the proxy is not running.`,
        `Start it: \`codex-claude-proxy start${Number(port) === defaultPort ? '' : ` --port ${port}`}\` (or open the desktop app).`,
      );
    case 'other': {
      const next = Number(port) + 1;
      return check(
        'port',
        'server',
        'fail',
        `Port ${port} is taken by another program (${f.detail}).`,
        `Stop that program, or use another port: \`codex-claude-proxy start --port ${next}\` and \`codex-claude-proxy claude configure --port ${next}\`.`,
      );
    }
  }
}

// ---- Claude Code ------------------------------------------------------------------------------

const LOOPBACK_NAMES = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

/** Same scheme and port, and the same host or two names of the loopback. */
export function pointsHere(configured: string, ours: string): boolean {
  let a: URL;
  let b: URL;
  try {
    a = new URL(configured);
    b = new URL(ours);
  } catch {
    return false;
  }
  const sameHost = a.hostname === b.hostname || (LOOPBACK_NAMES.has(a.hostname) && LOOPBACK_NAMES.has(b.hostname));
  return a.protocol === b.protocol && a.port === b.port && sameHost && a.pathname.replace(/\/+$/, '') === '';
}

export function claudeSettingsCheck(
  state: ClaudeConfigState | { error: string },
  baseUrl: string,
  defaultPort: number,
): DoctorCheck {
  const port = new URL(baseUrl).port;
  const configure = `\`codex-claude-proxy claude configure${Number(port) === defaultPort ? '' : ` --port ${port}`}\``;
  if ('error' in state)
    return check(
      'claude_settings',
      'claude',
      'fail',
      `Claude Code's settings cannot be read: ${state.error}`,
      `Repair or move that file, then run ${configure}.`,
    );
  if (state.base_url === null)
    return check(
      'claude_settings',
      'claude',
      'warn',
      `${state.settings_path} sets no ANTHROPIC_BASE_URL: Claude Code goes to Anthropic unless its shell sets it.`,
      `${configure}, or start Claude Code with ANTHROPIC_BASE_URL=${baseUrl}.`,
    );
  if (pointsHere(state.base_url, baseUrl))
    return check(
      'claude_settings',
      'claude',
      'ok',
      `${state.settings_path} points Claude Code here (${state.base_url}).`,
    );
  return check(
    'claude_settings',
    'claude',
    'fail',
    `${state.settings_path} points Claude Code at ${state.base_url}, not at this proxy (${baseUrl}).`,
    `${configure} (your current settings are backed up once; \`claude restore\` puts them back).`,
  );
}

// ---- compatibility sentinel -------------------------------------------------------------------

const COMPAT_FIX: Record<Exclude<CompatKind, 'identity_refused'>, string> = {
  upstream_event:
    'The Codex backend sends an event this version does not know (its content may be missing from answers): update codex-claude-proxy.',
  upstream_error_code:
    'The Codex backend answered with an error code this version does not know (passed on as is): update codex-claude-proxy.',
  lane_model_missing:
    "Choose a model the catalog offers: `codex-claude-proxy models set <lane> <model>` or the dashboard's Models view.",
  request_field: 'Claude Code sends a field this version does not translate: update codex-claude-proxy.',
  unknown_claude_family:
    'A Claude model family this version does not know goes to the sonnet lane: map it in config.json ("families") or update codex-claude-proxy.',
};

/** `findings` null: no running proxy whose findings could be read. */
export function compatibilityChecks(findings: CompatFinding[] | null, identity: UpstreamIdentity): DoctorCheck[] {
  if (findings === null)
    return [
      check(
        'compatibility',
        'compatibility',
        'skip',
        'The proxy is not running: the compatibility findings live in the running process.',
      ),
    ];
  if (!findings.length)
    return [
      check(
        'compatibility',
        'compatibility',
        'ok',
        'Nothing unexpected from Claude Code or the Codex backend since start-up.',
      ),
    ];
  return findings.map((f) => {
    const id = `compatibility:${f.kind}:${f.subject}`;
    const seen = `${f.message} (seen ${f.count}×, last ${f.last_seen})`;
    if (f.kind === 'identity_refused') return check(id, 'compatibility', 'fail', seen, identityFix(identity));
    return check(id, 'compatibility', 'warn', seen, COMPAT_FIX[f.kind]);
  });
}

// ---- live requests ----------------------------------------------------------------------------

export type LiveOutcome =
  | {
      lane: Lane;
      model: string;
      ok: true;
      upstreamModel: string;
      account?: string;
      text: string;
      outputTokens: number | null;
      ms: number;
    }
  | { lane: Lane; model: string; ok: false; message: string; code?: string; status?: number };

export function liveCheck(o: LiveOutcome, identity: UpstreamIdentity): DoctorCheck {
  const id = `live:${o.lane}`;
  if (o.ok) {
    const said = o.text.trim() ? `"${o.text.trim().slice(0, 60)}"` : 'with no text';
    const tokens = o.outputTokens === null ? '' : `${o.outputTokens} output tokens, `;
    const account = o.account ? `${o.account}, ` : '';
    return check(
      id,
      'live',
      'ok',
      `${o.lane}: ${o.model} → ${o.upstreamModel} answered ${said} (${tokens}${account}${o.ms} ms).`,
    );
  }
  const what = `${o.lane}: ${o.model} failed${o.status ? ` (HTTP ${o.status})` : ''}: ${o.message}`;
  if (o.code === 'identity_refused') return check(id, 'live', 'fail', what, identityFix(identity));
  if (o.status === 429)
    return check(id, 'live', 'fail', what, 'Wait for the reset the message names, or add another account.');
  return check(
    id,
    'live',
    'fail',
    what,
    'The checks above usually say why; the full error is in the log (dashboard → Logs).',
  );
}

export function countChecks(checks: readonly DoctorCheck[]): Record<DoctorStatus, number> {
  const counts: Record<DoctorStatus, number> = { ok: 0, warn: 0, fail: 0, skip: 0 };
  for (const c of checks) counts[c.status]++;
  return counts;
}
