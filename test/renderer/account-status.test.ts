// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { statusBadge } from '../../renderer/src/lib/account-status.js';
import { NOW, NOW_S } from './support/fixtures.js';

describe('statusBadge', () => {
  it('says active plainly', () => {
    expect(statusBadge({ status: 'active', status_until: null, status_reason: null }, NOW)).toEqual({ status: 'active', text: 'active', title: null });
  });

  it('shows a cooldown with its end time and a countdown', () => {
    const badge = statusBadge({ status: 'cooldown', status_until: NOW_S + 750, status_reason: 'usage limit reached' }, NOW);
    expect(badge.text).toMatch(/^cooldown until .+ · 12m 30s$/);
    expect(badge.title).toBe('usage limit reached');
  });

  it('shows when a re-login is due', () => {
    const badge = statusBadge({ status: 'needs_relogin', status_until: NOW_S + 2 * 86_400 + 4 * 3600, status_reason: null }, NOW);
    expect(badge.text).toMatch(/^needs relogin by .+ · 2d 04h$/);
  });

  it('drops the time once it has passed or when unknown', () => {
    expect(statusBadge({ status: 'cooldown', status_until: NOW_S - 5, status_reason: null }, NOW).text).toBe('cooldown');
    expect(statusBadge({ status: 'needs_relogin', status_until: null, status_reason: null }, NOW).text).toBe('needs relogin');
    expect(statusBadge({ status: 'disabled', status_until: NOW_S + 60, status_reason: null }, NOW).text).toBe('disabled');
  });
});
