import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import AccountsView from '../../renderer/src/views/AccountsView.svelte';
import { ApiError } from '../../renderer/src/lib/errors.js';
import type { AccountsResponse } from '../../shared/api.js';
import { account, mockApi, NOW, NOW_S } from './support/fixtures.js';

function accountsResponse(): AccountsResponse {
  return {
    strategy: 'sticky',
    secret_store: 'keychain',
    accounts: [
      account({ id: 'a1', email: 'one@example.com', preferred: true }),
      account({ id: 'a2', email: 'two@example.com', status: 'cooldown', status_until: NOW_S + 750, status_reason: 'usage limit' }),
      account({ id: 'a3', email: 'three@example.com', status: 'needs_relogin', status_until: NOW_S + 3600, plan: 'pro' }),
    ],
  };
}

function setup(overrides: Parameters<typeof mockApi>[0] = {}) {
  const api = mockApi({ accounts: vi.fn(async () => accountsResponse()), ...overrides });
  render(AccountsView, { props: { api, now: NOW, refreshMs: 3_600_000 } });
  return api;
}

describe('AccountsView', () => {
  it('lists accounts with status badges and quota bars', async () => {
    setup();
    await screen.findByTestId('account-row-a1');

    expect(screen.getByTestId('account-status-a1')).toHaveProperty('textContent', 'active');
    const cooldown = screen.getByTestId('account-status-a2');
    expect(cooldown.dataset.status).toBe('cooldown');
    expect(cooldown.textContent).toMatch(/^cooldown until .+ · 12m 30s$/);
    expect(cooldown.title).toBe('usage limit');
    expect(screen.getByTestId('account-status-a3').textContent).toMatch(/^needs relogin by .+ · 1h 00m$/);

    expect(screen.getByTestId('account-quota-5h-a1-value').textContent).toBe('70% left');
    expect(screen.getByTestId('account-quota-5h-a1-reset').textContent).toBe('resets in 1h 00m');
    const weekly = screen.getByTestId('account-quota-weekly-a1');
    expect(weekly.dataset.level).toBe('low');
    expect(within(weekly).getByRole('progressbar').getAttribute('aria-valuenow')).toBe('20');

    expect(screen.getByTestId('account-plan-a3').textContent).toBe('pro');
    expect(screen.getByTestId('account-preferred-a1')).toBeTruthy();
    expect(screen.getByTestId('account-switch-a1')).toHaveProperty('disabled', true);
    expect(screen.getByTestId<HTMLSelectElement>('strategy-select').value).toBe('sticky');
  });

  it('removes an account only after confirmation, then reloads', async () => {
    const removeAccount = vi.fn(async () => undefined);
    const api = setup({ removeAccount });
    await fireEvent.click(await screen.findByTestId('account-remove-a2'));
    expect(removeAccount).not.toHaveBeenCalled();

    await fireEvent.click(screen.getByTestId('account-remove-cancel-a2'));
    expect(screen.queryByTestId('account-remove-confirm-a2')).toBeNull();

    await fireEvent.click(screen.getByTestId('account-remove-a2'));
    await fireEvent.click(screen.getByTestId('account-remove-confirm-a2'));
    await waitFor(() => expect(removeAccount).toHaveBeenCalledWith('a2'));
    await waitFor(() => expect(api.accounts).toHaveBeenCalledTimes(2));
  });

  it('switches, refreshes and changes the strategy', async () => {
    const switchAccount = vi.fn(async () => undefined);
    const refreshAccount = vi.fn(async () => undefined);
    const setStrategy = vi.fn(async () => undefined);
    setup({ switchAccount, refreshAccount, setStrategy });
    await fireEvent.click(await screen.findByTestId('account-switch-a2'));
    await waitFor(() => expect(switchAccount).toHaveBeenCalledWith('a2'));
    await fireEvent.click(screen.getByTestId('account-refresh-a3'));
    await waitFor(() => expect(refreshAccount).toHaveBeenCalledWith('a3'));
    await fireEvent.change(screen.getByTestId('strategy-select'), { target: { value: 'least-used' } });
    await waitFor(() => expect(setStrategy).toHaveBeenCalledWith('least-used'));
  });

  it('shows the server error message when an action fails', async () => {
    setup({ refreshAccount: async () => Promise.reject(new ApiError(401, 'authentication_error', 'Refresh token was revoked; sign in again.')) });
    await fireEvent.click(await screen.findByTestId('account-refresh-a1'));
    expect((await screen.findByTestId('accounts-error')).textContent).toBe('Refresh token was revoked; sign in again.');
  });

  it('imports the Codex CLI login and reports warnings', async () => {
    const importFromCodex = vi.fn(async () => ({ ...account({ id: 'a9', email: 'nine@example.com' }), warnings: ['token expires soon'] }));
    setup({ importFromCodex });
    await fireEvent.click(await screen.findByTestId('account-import'));
    expect((await screen.findByTestId('accounts-notice')).textContent).toBe('Imported nine@example.com (token expires soon)');
  });

  it('says so when there are no accounts, and warns about an unencrypted secret store', async () => {
    setup({ accounts: async () => ({ accounts: [], strategy: 'sticky', secret_store: 'file' }) });
    await screen.findByTestId('accounts-empty');
    expect(screen.getByTestId('accounts-secret-store').textContent).toContain('unencrypted');
  });
});
