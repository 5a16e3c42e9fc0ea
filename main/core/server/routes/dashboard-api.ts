// The dashboard's read side: the overview and the logs (a page of recent entries, or a live SSE
// stream that starts with that page when asked).
import Router from '@koa/router';
import type { Context } from 'koa';
import type { LogEntry, OverviewResponse } from '../../../../shared/api.js';
import type { AccountPool } from '../../accounts/types.js';
import type { LogBus } from '../../log/index.js';
import { openSse, type SseStream } from '../sse.js';

export interface DashboardApiDeps {
  pool: AccountPool;
  logs: LogBus;
  version: string;
  host: () => string;
  port: () => number;
  startedAt: number;
  secretStore: () => 'keychain' | 'file';
  /** Keepalive comment interval on the log stream (default 15 s). */
  pingMs?: number;
}

export const DEFAULT_LOG_PAGE = 200;
/** Entries waiting for a slow stream client; beyond this the oldest are dropped (seq shows the gap). */
export const MAX_PENDING_LOG_ENTRIES = 1000;

/** `?limit=N` as a positive integer, else the default; the ring caps it anyway. */
function limitParam(ctx: Context, fallback: number): number {
  const limit = Number(ctx.query.limit);
  return Number.isInteger(limit) && limit > 0 ? limit : fallback;
}

function flag(value: unknown): boolean {
  return value === 'true' || value === '1' || value === '';
}

/**
 * Feeds entries to one SSE client in order, one write at a time, so a client that reads slowly
 * holds back its own queue (bounded) instead of piling up in the socket's buffer.
 */
async function pumpLogs(sse: SseStream, logs: LogBus, history: LogEntry[]): Promise<void> {
  const pending = history;
  let wake: (() => void) | null = null;
  const unsubscribe = logs.subscribe((entry) => {
    pending.push(entry);
    if (pending.length > MAX_PENDING_LOG_ENTRIES) pending.shift();
    wake?.();
  });
  sse.onClose(() => {
    unsubscribe();
    wake?.();
  });
  while (!sse.closed) {
    const entry = pending.shift();
    if (entry) await sse.send('log', entry);
    else await new Promise<void>((resolve) => (wake = resolve));
    wake = null;
  }
}

export function dashboardApiRouter(deps: DashboardApiDeps): Router {
  const router = new Router();

  router.get('/api/overview', async (ctx) => {
    const body: OverviewResponse = {
      version: deps.version,
      host: deps.host(),
      port: deps.port(),
      uptime_s: Math.round((Date.now() - deps.startedAt) / 1000),
      ...deps.logs.stats(),
      sessions: deps.pool.sessions(),
      pooled: await deps.pool.quota(),
      secret_store: deps.secretStore(),
    };
    ctx.body = body;
  });

  router.get('/api/logs', (ctx) => {
    ctx.body = { entries: deps.logs.recent(limitParam(ctx, DEFAULT_LOG_PAGE)) };
  });

  router.get('/api/logs/stream', async (ctx) => {
    // Taken in the same tick as the subscription inside pumpLogs: no entry is missed or doubled.
    const history = flag(ctx.query.history) ? deps.logs.recent(limitParam(ctx, MAX_PENDING_LOG_ENTRIES)) : [];
    const sse = openSse(ctx, { keepaliveMs: deps.pingMs ?? 15_000 });
    await pumpLogs(sse, deps.logs, history);
  });

  return router;
}
