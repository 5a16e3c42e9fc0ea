// Quota bar math. Bars show what is LEFT (they drain as the account is used), coloured by how
// little remains.
import type { QuotaWindow } from '../../../shared/api.js';
import { formatCountdown, secondsUntil } from './format.js';

export type QuotaLevel = 'ok' | 'low' | 'critical' | 'unknown';

export interface QuotaBarView {
  /** 0–100, whole numbers; null when unknown. */
  remaining: number | null;
  level: QuotaLevel;
  /** `resets in 2h 03m`, `reset`, or null when no reset time is known. */
  resetText: string | null;
}

/** Remaining percent at or below which a bar turns amber / red. */
export const LOW_AT = 25;
export const CRITICAL_AT = 10;

export function clampPercent(p: number): number {
  if (!Number.isFinite(p)) return 0;
  return Math.min(100, Math.max(0, p));
}

export function quotaLevel(remaining: number | null): QuotaLevel {
  if (remaining === null) return 'unknown';
  if (remaining <= CRITICAL_AT) return 'critical';
  if (remaining <= LOW_AT) return 'low';
  return 'ok';
}

/** A bar from a remaining percent (pooled quota) and an optional reset instant (Unix seconds). */
export function quotaBar(remainingPercent: number | null, resetsAt: number | null, nowMs: number): QuotaBarView {
  const remaining = remainingPercent === null ? null : Math.round(clampPercent(remainingPercent));
  let resetText: string | null = null;
  if (resetsAt !== null) resetText = secondsUntil(resetsAt, nowMs) > 0 ? `resets in ${formatCountdown(resetsAt, nowMs)}` : 'reset';
  return { remaining, level: quotaLevel(remaining), resetText };
}

/**
 * A bar for one account window. Once the window's reset time has passed, the usage we hold
 * describes the previous window, so the bar shows it as full until fresh figures arrive.
 */
export function windowBar(window: QuotaWindow | null, nowMs: number): QuotaBarView {
  if (window === null) return quotaBar(null, null, nowMs);
  const hasReset = window.resets_at !== null && secondsUntil(window.resets_at, nowMs) <= 0;
  const remaining = hasReset ? 100 : 100 - clampPercent(window.used_percent);
  return quotaBar(remaining, window.resets_at, nowMs);
}
