// Quota facts from the backend: the x-codex-* headers on every response (passive) and the
// /wham/usage snapshot (active). Windows are told apart by their length, never by their name:
// on free plans "primary" was the weekly window.
import type { AccountQuota, PooledQuota, QuotaWindow } from '../../../shared/api.js';

/** Windows up to a day long count as the short ("5-hour") window, longer ones as weekly. */
const SHORT_WINDOW_MAX_MINUTES = 24 * 60;

export interface QuotaUpdate {
  five_hour?: QuotaWindow;
  weekly?: QuotaWindow;
  plan_type?: string;
  /** The usage snapshot's own verdict, when it gives one. */
  limit_reached?: boolean;
}

function number(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'string' && v.trim()) {
    const n = Number(v);
    return Number.isFinite(n) ? n : null;
  }
  return null;
}

function place(update: QuotaUpdate, window: QuotaWindow): void {
  update[window.window_minutes <= SHORT_WINDOW_MAX_MINUTES ? 'five_hour' : 'weekly'] ??= window;
}

/** When a response does not say how long a window is, assume the usual: primary 5 h, secondary a week. */
const USUAL_MINUTES = { primary: 300, secondary: 7 * 24 * 60 } as const;

function headerWindow(headers: Headers, prefix: 'primary' | 'secondary', nowMs: number): QuotaWindow | null {
  const used = number(headers.get(`x-codex-${prefix}-used-percent`));
  const minutes = number(headers.get(`x-codex-${prefix}-window-minutes`)) ?? USUAL_MINUTES[prefix];
  // A zero-length window is the backend saying "no such limit on this plan".
  if (used === null || minutes <= 0) return null;
  const resetAt = number(headers.get(`x-codex-${prefix}-reset-at`));
  const resetAfter = number(headers.get(`x-codex-${prefix}-reset-after-seconds`));
  return {
    used_percent: used,
    window_minutes: minutes,
    resets_at: resetAt ?? (resetAfter !== null ? Math.round(nowMs / 1000 + resetAfter) : null),
  };
}

/** Reads `x-codex-primary-*` / `x-codex-secondary-*`; null when the response carried none. */
export function quotaFromHeaders(headers: Headers, nowMs: number): QuotaUpdate | null {
  const update: QuotaUpdate = {};
  for (const prefix of ['primary', 'secondary'] as const) {
    const window = headerWindow(headers, prefix, nowMs);
    if (window) place(update, window);
  }
  const plan = headers.get('x-codex-plan-type');
  if (plan) update.plan_type = plan;
  return update.five_hour || update.weekly || update.plan_type ? update : null;
}

type Loose = Record<string, unknown>;

function usageWindow(raw: unknown, nowMs: number): QuotaWindow | null {
  if (!raw || typeof raw !== 'object') return null;
  const w = raw as Loose;
  const used = number(w.used_percent);
  const seconds = number(w.limit_window_seconds) ?? 0;
  if (used === null || seconds <= 0) return null;
  const resetAt = number(w.reset_at);
  const resetAfter = number(w.reset_after_seconds);
  return {
    used_percent: used,
    // Rounded up, as the Codex CLI does: 17940 s is the 300-minute window.
    window_minutes: Math.ceil(seconds / 60),
    resets_at: resetAt ?? (resetAfter !== null ? Math.round(nowMs / 1000 + resetAfter) : null),
  };
}

/** Reads the body of GET /wham/usage. */
export function quotaFromUsage(body: unknown, nowMs: number): QuotaUpdate {
  const root = (body && typeof body === 'object' ? body : {}) as Loose;
  const rate = (root.rate_limit && typeof root.rate_limit === 'object' ? root.rate_limit : {}) as Loose;
  const update: QuotaUpdate = {};
  for (const raw of [rate.primary_window, rate.secondary_window]) {
    const window = usageWindow(raw, nowMs);
    if (window) place(update, window);
  }
  if (typeof root.plan_type === 'string') update.plan_type = root.plan_type;
  if (typeof rate.limit_reached === 'boolean') update.limit_reached = rate.limit_reached;
  else if (rate.allowed === false) update.limit_reached = true;
  return update;
}

export function applyQuota(prev: AccountQuota, update: QuotaUpdate, nowMs: number): AccountQuota {
  return {
    five_hour: update.five_hour ?? prev.five_hour,
    weekly: update.weekly ?? prev.weekly,
    plan_type: update.plan_type ?? prev.plan_type,
    updated_at: nowMs,
  };
}

function windows(q: AccountQuota): QuotaWindow[] {
  return [q.five_hour, q.weekly].filter((w): w is QuotaWindow => w !== null);
}

/** A window whose reset time has passed says nothing about now: count it as fresh. */
function usedNow(w: QuotaWindow, nowMs: number): number {
  return w.resets_at !== null && w.resets_at * 1000 <= nowMs ? 0 : w.used_percent;
}

/**
 * True when fresh data says a usage-limit cooldown can end: the usage snapshot's own verdict when
 * it gives one (bought credits serve with a full window), else room in every known window, a
 * window whose reset time has passed counting as empty (the response headers carry no verdict).
 */
export function quotaShowsRoom(update: QuotaUpdate, nowMs: number): boolean {
  if (update.limit_reached !== undefined) return !update.limit_reached;
  const known = [update.five_hour, update.weekly].filter((w): w is QuotaWindow => !!w);
  return known.length > 0 && known.every((w) => usedNow(w, nowMs) < 100);
}

/** Percent left in the tightest window (100 when nothing is known). */
export function headroomPercent(q: AccountQuota, nowMs: number): number {
  return Math.min(100, ...windows(q).map((w) => Math.max(0, 100 - usedNow(w, nowMs))));
}

/** The soonest future reset among the account's windows (unix s), if any. */
export function nextReset(q: AccountQuota, nowMs: number): number | null {
  const future = windows(q)
    .map((w) => w.resets_at)
    .filter((t): t is number => t !== null && t * 1000 > nowMs);
  return future.length ? Math.min(...future) : null;
}

/** The window that is exhausted right now, if any (its reset is when the account works again). */
export function exhaustedUntil(q: AccountQuota, nowMs: number): number | null {
  const full = windows(q).filter((w) => usedNow(w, nowMs) >= 100 && w.resets_at !== null);
  return full.length ? Math.max(...full.map((w) => w.resets_at as number)) : null;
}

function averageRemaining(list: Array<QuotaWindow | null>, nowMs: number): number | null {
  const known = list.filter((w): w is QuotaWindow => w !== null);
  if (!known.length) return null;
  const sum = known.reduce((acc, w) => acc + Math.max(0, 100 - usedNow(w, nowMs)), 0);
  return Math.round((sum / known.length) * 10) / 10;
}

export function pooledQuota(all: Array<{ quota: AccountQuota; usable: boolean }>, nowMs: number): PooledQuota {
  const usable = all.filter((a) => a.usable);
  const resets = all.map((a) => nextReset(a.quota, nowMs)).filter((t): t is number => t !== null);
  return {
    accounts: all.length,
    usable: usable.length,
    five_hour_remaining_percent: averageRemaining(usable.map((a) => a.quota.five_hour), nowMs),
    weekly_remaining_percent: averageRemaining(usable.map((a) => a.quota.weekly), nowMs),
    next_reset_at: resets.length ? Math.min(...resets) : null,
  };
}
