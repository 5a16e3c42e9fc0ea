// Runs the doctor: gathers the facts (the data dir, each account's tokens and its two backend
// calls, the lanes, the port, Claude Code's settings, the sentinel, optionally live requests) and
// turns them into the report with the pure checks. Nothing here refreshes a token unless asked,
// and nothing calls the backend when `upstream` is off (GET /api/doctor).
import type {
  AccountSummary,
  ClaudeConfigState,
  CompatFinding,
  DoctorCheck,
  DoctorReport,
} from '../../../shared/api.js';
import type { CodexModelInfo } from '../../../shared/codex.js';
import { LANES, type LaneMap } from '../../../shared/models.js';
import type { ManagedAccountPool } from '../accounts/index.js';
import type { UpstreamCredentials } from '../upstream/codex-client.js';
import { tokenExpiry } from '../accounts/claims.js';
import type { TokenBundle } from '../accounts/tokens.js';
import { UsageHttpError } from '../upstream/usage-client.js';
import { ModelCatalog } from '../models/catalog.js';
import { SECRETS_ENV } from '../secrets/index.js';
import type { MessagesService } from '../proxy/types.js';
import { UpstreamHttpError } from '../upstream/codex-client.js';
import type { UpstreamIdentity } from '../upstream/identity.js';
import {
  accountRef,
  accountStatusCheck,
  bundleOf,
  catalogCheck,
  claudeSettingsCheck,
  compatibilityChecks,
  countChecks,
  dataDirCheck,
  expiryCheck,
  identityCheck,
  isRefusedIdentity,
  laneCheck,
  liveCheck,
  modelsCheck,
  portCheck,
  refreshCheck,
  secretStoreCheck,
  tokenClaimsCheck,
  usageCheck,
  type CallOutcome,
  type CatalogFacts,
  type PortFacts,
} from './checks.js';
import { dataDirFacts } from './probes.js';
import { runLive } from './live.js';

export interface DoctorOptions {
  /** Call the backend (model list, usage). Off for GET /api/doctor. */
  upstream: boolean;
  refresh: boolean;
  live: boolean;
}

export interface DoctorDeps {
  source: DoctorReport['source'];
  version: string;
  home: string;
  env: NodeJS.ProcessEnv;
  backendUrl: string;
  defaultPort: number;
  pool: Pick<ManagedAccountPool, 'list' | 'secretStoreKind' | 'secretStoreDescription' | 'inspectTokens'>;
  models(credentials: UpstreamCredentials): Promise<CodexModelInfo[]>;
  usage(credentials: UpstreamCredentials): Promise<unknown>;
  identity(): UpstreamIdentity;
  /** The catalog requests resolve against; the doctor's own fetch stands in while it is not loaded. */
  catalog: ModelCatalog;
  lanes(): LaneMap;
  /** Who listens on the proxy's port, and the base URL Claude Code should use. */
  port(): Promise<PortFacts>;
  claudeState(baseUrl: string): Promise<ClaudeConfigState>;
  /** The sentinel's findings; null when this process is not the running proxy. */
  compatibility(): CompatFinding[] | null;
  messages: MessagesService;
  /** Before the live requests: let the request path load its catalog as a started proxy would. */
  prepareLive?(): Promise<void>;
  now(): number;
}

const NOT_FROM_GET =
  'a GET never calls the backend: run the diagnostics (POST /api/doctor or `codex-claude-proxy doctor`)';

async function call<T>(run: () => Promise<T>): Promise<CallOutcome<T>> {
  try {
    return { kind: 'ok', value: await run() };
  } catch (err) {
    if (err instanceof UpstreamHttpError) return { kind: 'http', status: err.status, headers: err.headers };
    if (err instanceof UsageHttpError) return { kind: 'http', status: err.status, headers: err.headers };
    const cause = (err as Error).cause as NodeJS.ErrnoException | undefined;
    return { kind: 'error', message: cause?.code ?? (err as Error).message };
  }
}

/** Why an account's backend calls are not made this time, or null to make them. */
function skipReason(upstream: boolean, bundle: TokenBundle | undefined, nowMs: number): string | null {
  if (!upstream) return NOT_FROM_GET;
  if (!bundle) return 'no readable tokens';
  const exp = tokenExpiry(bundle.access_token);
  // Asking with a dead token would only say 401; a dry run does not refresh it.
  if (exp !== null && exp * 1000 <= nowMs)
    return 'the access token expired; `doctor --refresh` checks with a fresh one';
  return null;
}

interface AccountResult {
  checks: DoctorCheck[];
  models: CallOutcome<CodexModelInfo[]>;
  usage: CallOutcome<unknown>;
}

async function checkAccount(a: AccountSummary, deps: DoctorDeps, opts: DoctorOptions): Promise<AccountResult> {
  const now = deps.now();
  const tokens = await deps.pool.inspectTokens(a.id, { refresh: opts.refresh });
  const bundle = bundleOf(tokens);
  const checks = [
    accountStatusCheck(a, now),
    tokenClaimsCheck(a, tokens),
    expiryCheck(a, bundle, now),
    refreshCheck(a, tokens, opts.refresh, now),
  ].filter((c): c is DoctorCheck => c !== null);

  const reason = skipReason(opts.upstream, bundle, now);
  let models: CallOutcome<CodexModelInfo[]> = { kind: 'skipped', reason: reason ?? '' };
  let usage: CallOutcome<unknown> = { kind: 'skipped', reason: reason ?? '' };
  if (reason === null && bundle) {
    const credentials: UpstreamCredentials = { accessToken: bundle.access_token, chatgptAccountId: a.account_id };
    models = await call(() => deps.models(credentials));
    usage = await call(() => deps.usage(credentials));
  }
  const ctx = { account: accountRef(a), identity: deps.identity(), backendUrl: deps.backendUrl };
  checks.push(modelsCheck(models, ctx), usageCheck(usage, ctx, deps.now()));
  return { checks, models, usage };
}

/** The status of the first identity refusal the model list or usage call ran into. */
function upstreamRefusal(results: AccountResult[]): number | null {
  for (const r of results) {
    for (const o of [r.models, r.usage])
      if (o.kind === 'http' && isRefusedIdentity(o.status, o.headers)) return o.status;
  }
  return null;
}

/** The same, or from a live request, or from what the running proxy's sentinel saw. */
function refusedStatus(
  results: AccountResult[],
  findings: CompatFinding[] | null,
  liveRefusals: number[],
): number | null {
  const finding = findings?.find((f) => f.kind === 'identity_refused');
  return upstreamRefusal(results) ?? liveRefusals[0] ?? (finding ? Number(finding.subject) || 403 : null);
}

/** The catalog the lanes resolve against, and where it came from. */
async function laneCatalog(
  deps: DoctorDeps,
  accounts: AccountSummary[],
  results: AccountResult[],
  refused: boolean,
): Promise<{ catalog: ModelCatalog; facts: CatalogFacts }> {
  if (deps.catalog.loaded)
    return { catalog: deps.catalog, facts: { source: 'running', models: deps.catalog.available().length } };
  const i = results.findIndex((r) => r.models.kind === 'ok' && r.models.value.length > 0);
  const fetched = i >= 0 ? results[i].models : null;
  if (fetched?.kind === 'ok') {
    const catalog = new ModelCatalog(async () => fetched.value);
    await catalog.refresh();
    return {
      catalog,
      facts: { source: 'fetched', models: catalog.available().length, account: accountRef(accounts[i]).label },
    };
  }
  const unchecked = results.every((r) => r.models.kind === 'skipped');
  const reason = !accounts.length
    ? 'no account'
    : refused
      ? "the backend refused this client's identity"
      : unchecked
        ? 'not loaded yet'
        : 'no account could fetch it';
  return { catalog: deps.catalog, facts: { source: 'offline', reason } };
}

export async function runDoctor(deps: DoctorDeps, opts: DoctorOptions): Promise<DoctorReport> {
  const identity = deps.identity();
  const setup = [
    dataDirCheck(await dataDirFacts(deps.home)),
    secretStoreCheck({
      kind: deps.pool.secretStoreKind,
      description: deps.pool.secretStoreDescription,
      forcedFile: deps.env[SECRETS_ENV]?.trim().toLowerCase() === 'file',
    }),
  ];

  const port = await deps.port();
  const server = [portCheck(port, deps.defaultPort)];

  const { accounts } = await deps.pool.list();
  const results: AccountResult[] = [];
  for (const a of accounts) results.push(await checkAccount(a, deps, opts));
  const accountChecks: DoctorCheck[] = accounts.length
    ? results.flatMap((r) => r.checks)
    : [
        {
          id: 'accounts',
          group: 'account',
          status: 'fail',
          summary: 'No ChatGPT account has been added.',
          fix: '`codex-claude-proxy accounts import` (the Codex CLI login) or `codex-claude-proxy accounts add`.',
        },
      ];

  const { catalog, facts } = await laneCatalog(deps, accounts, results, upstreamRefusal(results) !== null);
  const configured = deps.lanes();
  const lanes = [
    catalogCheck(facts),
    ...LANES.map((lane) => {
      const r = catalog.resolveLane(lane, configured[lane]);
      return laneCheck(lane, {
        configured: r.configured,
        resolved: r.resolved,
        context_window: r.facts.contextWindow,
        effort: r.effort,
      });
    }),
  ];

  const claude = [
    claudeSettingsCheck(
      await deps.claudeState(port.url).catch((err: Error) => ({ error: err.message })),
      port.url,
      deps.defaultPort,
    ),
  ];
  let live: DoctorCheck[] = [];
  const liveRefusals: number[] = [];
  if (opts.live) {
    await deps.prepareLive?.();
    const outcomes = await runLive(deps.messages, deps.now);
    live = outcomes.map((o) => liveCheck(o, identity));
    for (const o of outcomes) if (!o.ok && o.code === 'identity_refused') liveRefusals.push(o.status ?? 403);
  }
  // After the live requests: what they ran into is among the findings.
  const findings = deps.compatibility();

  const checks = [
    ...setup,
    ...server,
    identityCheck(identity, refusedStatus(results, findings, liveRefusals)),
    ...accountChecks,
    ...lanes,
    ...claude,
    ...compatibilityChecks(findings, identity),
    ...live,
  ];
  return {
    version: deps.version,
    ran_at: new Date(deps.now()).toISOString(),
    source: deps.source,
    home: deps.home,
    upstream: opts.upstream,
    refresh: opts.refresh,
    live: opts.live,
    checks,
    counts: countChecks(checks),
  };
}
