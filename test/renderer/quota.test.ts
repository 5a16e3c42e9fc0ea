// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { clampPercent, CRITICAL_AT, LOW_AT, quotaBar, quotaLevel, windowBar } from '../../renderer/src/lib/quota.js';
import { NOW, NOW_S } from './support/fixtures.js';

describe('quota bar math', () => {
  it('clamps percentages into 0–100', () => {
    expect(clampPercent(-3)).toBe(0);
    expect(clampPercent(130)).toBe(100);
    expect(clampPercent(Number.NaN)).toBe(0);
    expect(clampPercent(42.5)).toBe(42.5);
  });

  it('colours by what is left', () => {
    expect(quotaLevel(null)).toBe('unknown');
    expect(quotaLevel(100)).toBe('ok');
    expect(quotaLevel(LOW_AT + 1)).toBe('ok');
    expect(quotaLevel(LOW_AT)).toBe('low');
    expect(quotaLevel(CRITICAL_AT)).toBe('critical');
    expect(quotaLevel(0)).toBe('critical');
  });

  it('shows the remaining share of an account window with its reset countdown', () => {
    const bar = windowBar({ used_percent: 30.4, window_minutes: 300, resets_at: NOW_S + 2 * 3600 + 3 * 60 }, NOW);
    expect(bar).toEqual({ remaining: 70, level: 'ok', resetText: 'resets in 2h 03m' });
  });

  it('treats over-use as empty', () => {
    expect(windowBar({ used_percent: 104, window_minutes: 300, resets_at: NOW_S + 60 }, NOW).remaining).toBe(0);
  });

  it('shows a window whose reset time has passed as full again', () => {
    const bar = windowBar({ used_percent: 95, window_minutes: 300, resets_at: NOW_S - 1 }, NOW);
    expect(bar).toEqual({ remaining: 100, level: 'ok', resetText: 'reset' });
  });

  it('handles unknown windows and unknown reset times', () => {
    expect(windowBar(null, NOW)).toEqual({ remaining: null, level: 'unknown', resetText: null });
    expect(windowBar({ used_percent: 50, window_minutes: 300, resets_at: null }, NOW)).toEqual({ remaining: 50, level: 'ok', resetText: null });
  });

  it('rounds pooled remaining percentages', () => {
    expect(quotaBar(8.6, null, NOW)).toEqual({ remaining: 9, level: 'critical', resetText: null });
    expect(quotaBar(null, null, NOW).remaining).toBeNull();
  });
});
