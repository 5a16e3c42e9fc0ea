import { render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import OverviewView from '../../renderer/src/views/OverviewView.svelte';
import type { HealthResponse, OverviewResponse } from '../../shared/api.js';
import { mockApi, NOW, NOW_S } from './support/fixtures.js';

const health: HealthResponse = { status: 'ok', version: '0.1.0', accounts: { total: 2, usable: 1 }, uptime_s: 3725, warnings: ['No OS keychain.'] };
const overview: OverviewResponse = {
  version: '0.1.0',
  host: '127.0.0.1',
  port: 8081,
  uptime_s: 3725,
  requests_today: 1234,
  errors_today: 3,
  sessions: [{ session: '0f9c2d4e-aaaa-bbbb-cccc-1234567890ab', account: 'one@example.com', last_used: NOW - 90_000 }],
  pooled: { accounts: 2, usable: 1, five_hour_remaining_percent: 64.4, weekly_remaining_percent: 8, next_reset_at: NOW_S + 1800 },
  secret_store: 'keychain',
};

describe('OverviewView', () => {
  it('shows server status, counters, pooled quota and sessions', async () => {
    render(OverviewView, { props: { api: mockApi({ health: async () => health, overview: async () => overview }), now: NOW, refreshMs: 3_600_000 } });
    await waitFor(() => expect(screen.getByTestId('overview-status').textContent).toBe('Running'));
    expect(screen.getByTestId('overview-address').textContent).toBe('127.0.0.1:8081');
    expect(screen.getByTestId('overview-uptime').textContent).toBe('1h 02m');
    expect(screen.getByTestId('overview-requests').textContent).toBe('1,234');
    expect(screen.getByTestId('overview-errors').textContent).toBe('3');
    expect(screen.getByTestId('overview-accounts').textContent).toBe('1 / 2');
    expect(screen.getByTestId('overview-quota-5h-value').textContent).toBe('64% left');
    expect(screen.getByTestId('overview-quota-weekly').dataset.level).toBe('critical');
    expect(screen.getByTestId('overview-next-reset').textContent?.trim()).toBe('Next reset in 30m 00s');
    expect(screen.getByTestId('overview-warnings').textContent).toContain('No OS keychain.');
    const sessions = screen.getByTestId('overview-sessions').textContent ?? '';
    expect(sessions).toContain('0f9c2d4e-aaa');
    expect(sessions).toContain('one@example.com');
    expect(sessions).toContain('1m 30s ago');
  });

  it('says the server is unreachable when it does not answer', async () => {
    const down = async () => Promise.reject(new TypeError('Failed to fetch'));
    render(OverviewView, { props: { api: mockApi({ health: down, overview: down }), now: NOW, refreshMs: 3_600_000 } });
    await waitFor(() => expect(screen.getByTestId('overview-status').textContent).toBe('Unreachable'));
    expect(screen.getByTestId('overview-error').textContent).toBe('Failed to fetch');
  });

  it('stays "Running" when only the overview is refused, and says why', async () => {
    const refused = async () => Promise.reject(new Error('Cross-origin request refused.'));
    render(OverviewView, { props: { api: mockApi({ health: async () => health, overview: refused }), now: NOW, refreshMs: 3_600_000 } });
    await waitFor(() => expect(screen.getByTestId('overview-error').textContent).toBe('Cross-origin request refused.'));
    expect(screen.getByTestId('overview-status').textContent).toBe('Running');
    expect(screen.getByTestId('overview-version').textContent).toBe('0.1.0');
  });
});
