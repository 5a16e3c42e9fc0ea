// Shared set-up for the accounts tests: a throw-away home, a pool on file secrets, a log that
// remembers what it was told, and Codex auth.json files.
import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createAccountPool, type AccountPoolOptions } from '../../../main/core/accounts/index.js';
import type { PoolLog } from '../../../main/core/accounts/pool.js';
import { codexTokens } from '../../fakes/jwt.js';
import { classifyHttp, classifyStream } from '../../../main/core/upstream/failure.js';
import type { UpstreamOutcome } from '../../../main/core/accounts/types.js';

export interface MemoryLog extends PoolLog {
  lines: string[];
}

export function memoryLog(): MemoryLog {
  const lines: string[] = [];
  const push =
    (level: string) =>
    (obj: object | string, msg?: string): void => {
      lines.push(`${level} ${typeof obj === 'string' ? obj : `${msg ?? ''} ${JSON.stringify(obj)}`}`);
    };
  return { lines, info: push('info'), warn: push('warn'), error: push('error') };
}

export async function tempHome(prefix = 'ccp-acc-'): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), prefix));
}

export type TestPool = Awaited<ReturnType<typeof createAccountPool>>;

export async function openPool(
  home: string,
  overrides: Partial<AccountPoolOptions> & { log?: MemoryLog } = {},
): Promise<{ pool: TestPool; log: MemoryLog }> {
  const log = overrides.log ?? memoryLog();
  const pool = await createAccountPool({
    home,
    env: { CODEX_CLAUDE_PROXY_SECRETS: 'file', ...overrides.env },
    backendUrl: 'http://127.0.0.1:9/backend-api',
    authUrl: 'http://127.0.0.1:9',
    usagePollMs: 0,
    ...overrides,
    log,
  });
  return { pool, log };
}

export interface AuthJsonOptions {
  accountId: string;
  email?: string;
  plan?: string;
  userId?: string;
  expiresInSec?: number;
  refreshToken?: string | null;
  tokens?: { id_token: string; access_token: string; refresh_token?: string };
}

/** Writes a Codex CLI auth.json and returns its path. */
export async function writeAuthJson(dir: string, opts: AuthJsonOptions): Promise<string> {
  await mkdir(dir, { recursive: true });
  const pair =
    opts.tokens ??
    codexTokens({
      accountId: opts.accountId,
      email: opts.email,
      plan: opts.plan,
      userId: opts.userId,
      expiresInSec: opts.expiresInSec ?? 3600,
    });
  const refresh =
    opts.tokens?.refresh_token ?? (opts.refreshToken === undefined ? `rt-${opts.accountId}` : opts.refreshToken);
  const file = path.join(dir, 'auth.json');
  await writeFile(
    file,
    JSON.stringify({
      OPENAI_API_KEY: null,
      tokens: {
        id_token: pair.id_token,
        access_token: pair.access_token,
        refresh_token: refresh,
        account_id: opts.accountId,
      },
      last_refresh: new Date().toISOString(),
    }),
  );
  return file;
}

/** A response header set like the backend's, for report(). */
export function quotaHeaders(h: Record<string, string | number>): Headers {
  return new Headers(Object.fromEntries(Object.entries(h).map(([k, v]) => [k, String(v)])));
}

export type UsageBody = Record<string, unknown>;

/**
 * A pool with accounts acc-0…acc-(n-1) (emails u0@example.test…), whose /wham/usage is answered
 * from `usage` by ChatGPT account id, read live; `usageCalls` lists the accounts asked about.
 */
export async function usagePool(
  n: number,
  usage: Record<string, UsageBody> = {},
  overrides: Partial<Omit<AccountPoolOptions, 'log'>> = {},
): Promise<{ pool: TestPool; ids: string[]; home: string; usageCalls: string[] }> {
  const dir = await tempHome();
  const usageCalls: string[] = [];
  const fakeFetch: typeof fetch = async (input, init) => {
    const url = String(input);
    const account = new Headers(init?.headers).get('chatgpt-account-id') ?? '';
    if (!url.endsWith('/backend-api/wham/usage')) return new Response('not found', { status: 404 });
    usageCalls.push(account);
    return Response.json(usage[account] ?? { rate_limit: {} });
  };
  const { pool } = await openPool(dir, {
    fetch: fakeFetch,
    backendUrl: 'http://backend.test/backend-api',
    ...overrides,
  });
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const imported = await pool.importCodexAuth(
      await writeAuthJson(path.join(dir, `codex-${i}`), { accountId: `acc-${i}`, email: `u${i}@example.test` }),
    );
    ids.push(imported.id);
  }
  return { pool, ids, home: dir, usageCalls };
}

/** The backend's answer to an account whose usage is spent until `resetsAt` (unix s), for report(). */
/** An upstream answer as the request path reports it: classified once, as the Codex lane does. */
export function answered(a: {
  status: number;
  headers?: Headers;
  body?: string;
  streamError?: Record<string, unknown>;
}): UpstreamOutcome {
  const headers = a.headers ?? new Headers();
  const ok = a.status >= 200 && a.status < 300;
  const verdict = a.streamError
    ? classifyStream(a.streamError, Date.now()).verdict
    : ok
      ? ({ kind: 'ok' } as const)
      : classifyHttp(a.status, a.body ?? '', headers, Date.now()).verdict;
  return { status: a.status, headers, verdict };
}

export function usageLimit429(resetsAt: number): UpstreamOutcome {
  return answered({
    status: 429,
    headers: quotaHeaders({
      'x-codex-primary-used-percent': 100,
      'x-codex-primary-window-minutes': 300,
      'x-codex-primary-reset-at': resetsAt,
    }),
    body: JSON.stringify({
      error: {
        type: 'usage_limit_reached',
        message: 'The usage limit has been reached',
        plan_type: 'plus',
        resets_at: resetsAt,
      },
    }),
  });
}
