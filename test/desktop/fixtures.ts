// Account and tray-state builders shared by the desktop tests.
import type { AccountSummary, PooledQuota } from '../../shared/api.js';
import type { LaneMap } from '../../shared/models.js';
import type { TrayState } from '../../main/desktop/tray-menu.js';

export function account(id: string, over: Partial<AccountSummary> = {}): AccountSummary {
  return {
    id,
    email: `${id}@example.com`,
    account_id: `acct-${id}`,
    plan: 'plus',
    status: 'active',
    status_until: null,
    status_reason: null,
    quota: {
      five_hour: { used_percent: 20, window_minutes: 300, resets_at: null },
      weekly: { used_percent: 5, window_minutes: 10080, resets_at: null },
      plan_type: 'plus',
      updated_at: null,
    },
    preferred: false,
    added_at: '2026-11-01T00:00:00Z',
    source: 'oauth',
    ...over,
  };
}

/** An account in a usage-limit cooldown until `until` (unix seconds). */
export function limited(id: string, until: number): AccountSummary {
  return account(id, { status: 'cooldown', status_until: until, status_reason: 'usage limit reached' });
}

export function pooled(over: Partial<PooledQuota> = {}): PooledQuota {
  return {
    accounts: 2,
    usable: 2,
    five_hour_remaining_percent: 63.4,
    weekly_remaining_percent: 90,
    next_reset_at: null,
    ...over,
  };
}

/** Fixed lanes, so the tray tests do not follow changes of the shipped defaults. */
export const LANES_FIXTURE: LaneMap = {
  opus: { model: 'gpt-5.3-codex' },
  sonnet: { model: 'gpt-5.2-codex' },
  haiku: { model: 'gpt-5.2' },
};

export function trayState(over: Partial<TrayState> = {}): TrayState {
  return {
    server: 'running',
    port: 8081,
    busyPort: null,
    problem: null,
    accounts: [account('a', { preferred: true }), account('b')],
    strategy: 'sticky',
    pooled: pooled(),
    lanes: LANES_FIXTURE,
    models: [
      { slug: 'gpt-5.3-codex', displayName: 'GPT-5.3 Codex' },
      { slug: 'gpt-5.2-codex', displayName: 'gpt-5.2-codex' },
      { slug: 'gpt-5.2', displayName: 'GPT-5.2' },
    ],
    claude: { configured: false, canRestore: false },
    launchAtLogin: false,
    ...over,
  };
}
