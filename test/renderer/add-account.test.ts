import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import AddAccount from '../../renderer/src/components/AddAccount.svelte';
import type { LoginOutcome } from '../../renderer/src/lib/api.js';
import { account, mockApi } from './support/fixtures.js';

afterEach(() => vi.restoreAllMocks());

describe('AddAccount', () => {
  it('opens the sign-in page, polls until done and reports the new account', async () => {
    const open = vi.spyOn(window, 'open').mockReturnValue(null);
    const answers: LoginOutcome[] = [{ status: 'pending' }, { status: 'pending' }, { status: 'done', account: account({ email: 'new@example.com' }) }];
    const loginStatus = vi.fn(async () => answers.shift() ?? { status: 'pending' as const });
    const onAdded = vi.fn();
    const api = mockApi({ startLogin: async () => ({ auth_url: 'https://auth.example/authorize?x=1', login_id: 'L1', callback_listening: true }), loginStatus });
    render(AddAccount, { props: { api, onAdded, pollMs: 5 } });

    await fireEvent.click(screen.getByTestId('account-add'));
    expect(open).toHaveBeenCalledWith('https://auth.example/authorize?x=1', '_blank', 'noopener,noreferrer');
    expect(screen.getByTestId('account-add-link').getAttribute('href')).toBe('https://auth.example/authorize?x=1');

    await waitFor(() => expect(onAdded).toHaveBeenCalledOnce());
    expect(loginStatus).toHaveBeenCalledWith('L1');
    expect(screen.getByTestId('account-add-status').textContent).toBe('Added new@example.com');
    expect(screen.queryByTestId('account-add-link')).toBeNull();
  });

  it('shows why a sign-in failed', async () => {
    vi.spyOn(window, 'open').mockReturnValue(null);
    const api = mockApi({
      startLogin: async () => ({ auth_url: 'https://auth.example/a', login_id: 'L2', callback_listening: true }),
      loginStatus: async () => ({ status: 'failed', error: 'state mismatch' }),
    });
    render(AddAccount, { props: { api, onAdded: vi.fn(), pollMs: 5 } });
    await fireEvent.click(screen.getByTestId('account-add'));
    expect((await screen.findByTestId('account-add-error')).textContent).toBe('state mismatch');
    expect(screen.getByTestId('account-add')).toHaveProperty('disabled', false);
  });

  it('cancels a pending sign-in on the server and warns when the callback cannot arrive', async () => {
    vi.spyOn(window, 'open').mockReturnValue(null);
    const cancelLogin = vi.fn(async () => undefined);
    const api = mockApi({
      startLogin: async () => ({ auth_url: 'https://auth.example/a', login_id: 'L4', callback_listening: false, callback_error: 'Port 1455 is in use.' }),
      loginStatus: async () => ({ status: 'pending' }),
      cancelLogin,
    });
    render(AddAccount, { props: { api, onAdded: vi.fn(), pollMs: 60_000 } });
    await fireEvent.click(screen.getByTestId('account-add'));
    expect((await screen.findByTestId('account-add-callback-error')).textContent).toContain('Port 1455 is in use.');
    await fireEvent.click(screen.getByTestId('account-add-cancel'));
    expect(cancelLogin).toHaveBeenCalledWith('L4');
    expect(screen.queryByTestId('account-add-link')).toBeNull();
    expect(screen.getByTestId('account-add')).toHaveProperty('disabled', false);
  });

  it('completes a headless sign-in from a pasted callback URL, tied to the pending login', async () => {
    vi.spyOn(window, 'open').mockReturnValue(null);
    const completeLoginManually = vi.fn(async () => account({ email: 'pasted@example.com' }));
    const onAdded = vi.fn();
    const api = mockApi({
      startLogin: async () => ({ auth_url: 'https://auth.example/a', login_id: 'L3', callback_listening: true }),
      loginStatus: async () => ({ status: 'pending' }),
      completeLoginManually,
    });
    render(AddAccount, { props: { api, onAdded, pollMs: 60_000 } });
    await fireEvent.click(screen.getByTestId('account-add'));
    await fireEvent.input(screen.getByTestId('account-manual-input'), { target: { value: ' http://localhost:1455/auth/callback?code=abc&state=s ' } });
    await fireEvent.click(screen.getByTestId('account-manual-submit'));
    await waitFor(() => expect(onAdded).toHaveBeenCalledOnce());
    expect(completeLoginManually).toHaveBeenCalledWith('http://localhost:1455/auth/callback?code=abc&state=s', 'L3');
    expect(screen.getByTestId('account-add-status').textContent).toBe('Added pasted@example.com');
  });
});
