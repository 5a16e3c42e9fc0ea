// What the proxy tells `codex-claude-proxy statusline` about one Claude Code session: where its
// model goes, that model's real window, and the quota of the account serving it.
import type { StatusLineInfo } from '../../../shared/api.js';
import type { AccountPool } from '../accounts/types.js';

export interface StatusLineSources {
  /** Where a requested model id goes (as /v1/messages would route it); null when it is refused. */
  routeModel(model: string): { slug: string; contextWindow: number | null } | null;
  pool: Pick<AccountPool, 'list' | 'quota' | 'sessions'>;
}

const usedOf = (remaining: number | null): number | null => (remaining === null ? null : 100 - remaining);

export async function statusLineInfo(
  sources: StatusLineSources,
  query: { model: string; session: string },
): Promise<StatusLineInfo> {
  const [{ accounts }, pooled] = await Promise.all([sources.pool.list(), sources.pool.quota()]);
  const accountId = query.session
    ? sources.pool.sessions().find((s) => s.session === query.session)?.account
    : undefined;
  const account = accounts.find((a) => a.id === accountId);
  const routed = query.model ? sources.routeModel(query.model) : null;
  return {
    model: routed ? { slug: routed.slug, context_window: routed.contextWindow } : null,
    account: account
      ? {
          email: account.email,
          status: account.status,
          five_hour_used_percent: account.quota.five_hour?.used_percent ?? null,
          weekly_used_percent: account.quota.weekly?.used_percent ?? null,
        }
      : null,
    pooled: {
      usable: pooled.usable,
      five_hour_used_percent: usedOf(pooled.five_hour_remaining_percent),
      weekly_used_percent: usedOf(pooled.weekly_remaining_percent),
    },
  };
}
