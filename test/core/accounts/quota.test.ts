import { describe, expect, it } from 'vitest';
import {
  applyQuota,
  exhaustedUntil,
  headroomPercent,
  pooledQuota,
  quotaFromHeaders,
  quotaFromUsage,
  quotaShowsRoom,
} from '../../../main/core/accounts/quota.js';
import { emptyQuota } from '../../../main/core/accounts/store.js';
import { quotaHeaders } from './helpers.js';

const NOW = 1_790_000_000_000;
const NOW_S = NOW / 1000;

describe('quota headers', () => {
  it('reads the 5-hour and weekly windows, with reset-at or reset-after-seconds', () => {
    const q = quotaFromHeaders(
      quotaHeaders({
        'x-codex-primary-used-percent': '12.5',
        'x-codex-primary-window-minutes': 300,
        'x-codex-primary-reset-at': NOW_S + 600,
        'x-codex-secondary-used-percent': 40,
        'x-codex-secondary-window-minutes': 10080,
        'x-codex-secondary-reset-after-seconds': 7200,
        'x-codex-plan-type': 'pro',
      }),
      NOW,
    );
    expect(q).toEqual({
      five_hour: { used_percent: 12.5, window_minutes: 300, resets_at: NOW_S + 600 },
      weekly: { used_percent: 40, window_minutes: 10080, resets_at: NOW_S + 7200 },
      plan_type: 'pro',
    });
  });

  it('decides by window length, not by name: a weekly primary with an empty secondary (free plan)', () => {
    const q = quotaFromHeaders(
      quotaHeaders({
        'x-codex-primary-used-percent': 100,
        'x-codex-primary-window-minutes': 10080,
        'x-codex-primary-reset-at': NOW_S + 86_400,
        'x-codex-secondary-used-percent': 0,
        'x-codex-secondary-window-minutes': 0,
      }),
      NOW,
    );
    expect(q?.five_hour).toBeUndefined();
    expect(q?.weekly).toEqual({ used_percent: 100, window_minutes: 10080, resets_at: NOW_S + 86_400 });
  });

  it('ignores other header families and answers null when there is nothing', () => {
    expect(quotaFromHeaders(quotaHeaders({ 'x-codex-bengalfox-primary-used-percent': 50, 'content-type': 'text/event-stream' }), NOW)).toBeNull();
  });
});

describe('usage snapshot', () => {
  it('reads /wham/usage windows (seconds rounded up to minutes) and the verdict', () => {
    const q = quotaFromUsage(
      {
        plan_type: 'pro',
        rate_limit: {
          allowed: true,
          limit_reached: false,
          primary_window: { used_percent: 8, limit_window_seconds: 17940, reset_after_seconds: 6625, reset_at: NOW_S + 6625 },
          secondary_window: { used_percent: 15, limit_window_seconds: 604740, reset_after_seconds: 54618 },
        },
      },
      NOW,
    );
    expect(q.five_hour).toEqual({ used_percent: 8, window_minutes: 299, resets_at: NOW_S + 6625 });
    expect(q.weekly).toEqual({ used_percent: 15, window_minutes: 10079, resets_at: NOW_S + 54618 });
    expect(q.plan_type).toBe('pro');
    expect(q.limit_reached).toBe(false);
    expect(quotaShowsRoom(q, NOW)).toBe(true);
  });

  it('shows no room while a window is full or the backend says the limit is reached', () => {
    const full = quotaFromUsage({ rate_limit: { primary_window: { used_percent: 100, limit_window_seconds: 18000, reset_at: NOW_S + 60 } } }, NOW);
    expect(quotaShowsRoom(full, NOW)).toBe(false);
    // …but a full window whose reset time has passed is fresh again.
    expect(quotaShowsRoom(full, NOW + 61_000)).toBe(true);
    expect(quotaShowsRoom(quotaFromUsage({ rate_limit: { allowed: false } }, NOW), NOW)).toBe(false);
  });

  it("takes the snapshot's verdict over its windows: limit_reached false serves even with a full window (credits)", () => {
    const window = { used_percent: 100, limit_window_seconds: 18000, reset_at: NOW_S + 600 };
    expect(quotaShowsRoom(quotaFromUsage({ rate_limit: { limit_reached: false, primary_window: window } }, NOW), NOW)).toBe(true);
    expect(quotaShowsRoom(quotaFromUsage({ rate_limit: { limit_reached: true, primary_window: { ...window, used_percent: 5 } } }, NOW), NOW)).toBe(false);
  });
});

describe('derived figures', () => {
  const quota = applyQuota(
    emptyQuota(),
    {
      five_hour: { used_percent: 30, window_minutes: 300, resets_at: NOW_S + 100 },
      weekly: { used_percent: 100, window_minutes: 10080, resets_at: NOW_S + 5000 },
    },
    NOW,
  );

  it('headroom is the tightest window; an exhausted window gives its reset time', () => {
    expect(headroomPercent(quota, NOW)).toBe(0);
    expect(headroomPercent(emptyQuota(), NOW)).toBe(100);
    expect(exhaustedUntil(quota, NOW)).toBe(NOW_S + 5000);
  });

  it('pools usable accounts and finds the next reset', () => {
    const other = applyQuota(emptyQuota(), { five_hour: { used_percent: 50, window_minutes: 300, resets_at: NOW_S + 50 } }, NOW);
    expect(
      pooledQuota(
        [
          { quota, usable: false },
          { quota: other, usable: true },
        ],
        NOW,
      ),
    ).toEqual({ accounts: 2, usable: 1, five_hour_remaining_percent: 50, weekly_remaining_percent: null, next_reset_at: NOW_S + 50 });
  });
});
