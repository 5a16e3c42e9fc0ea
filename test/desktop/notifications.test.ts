import { beforeEach, describe, expect, it, vi } from 'vitest';
import { Notification, resetFakes } from './electron-fake.js';
import { account, limited } from './fixtures.js';

vi.mock('electron', async () => (await import('./electron-fake.js')).electronModule());

const { accountNotices, addedAccounts, isLimited, Notifier } = await import('../../main/desktop/notifications.js');

const time = (s: number): string => `T${s}`;
const kinds = (notices: Array<{ kind: string }>): string[] => notices.map((n) => n.kind);

beforeEach(() => resetFakes());

describe('accountNotices', () => {
  it('sets a baseline on the first look and says nothing', () => {
    expect(accountNotices(null, [limited('a', 100), account('b', { status: 'needs_relogin' })], time)).toEqual([]);
  });

  it('says nothing when nothing changed', () => {
    const now = [limited('a', 100), account('b')];
    expect(accountNotices(now, now, time)).toEqual([]);
  });

  it('tells when one account hits its limit while others still serve', () => {
    const notices = accountNotices([account('a'), account('b')], [limited('a', 1000), account('b')], time);
    expect(notices).toEqual([
      {
        kind: 'account-limited',
        title: 'a@example.com hit its limit',
        body: 'Back at T1000. Requests go to your other accounts meanwhile.',
        onClick: { open: 'accounts' },
      },
    ]);
  });

  it('tells once when the last usable account is limited, with the earliest reset', () => {
    const notices = accountNotices([limited('a', 2000), account('b')], [limited('a', 2000), limited('b', 1500)], time);
    expect(kinds(notices)).toEqual(['all-limited']);
    expect(notices[0].body).toContain('first at T1500');
    // …and not again while it lasts.
    expect(accountNotices([limited('a', 2000), limited('b', 1500)], [limited('a', 2000), limited('b', 1500)], time)).toEqual([]);
  });

  it('counts a single limited account as all limited', () => {
    expect(kinds(accountNotices([account('a')], [limited('a', 10)], time))).toEqual(['all-limited']);
  });

  it('ignores short overload pauses', () => {
    const paused = account('a', { status: 'cooldown', status_until: 50, status_reason: 'overloaded (HTTP 529)' });
    expect(isLimited(paused)).toBe(false);
    expect(accountNotices([account('a'), account('b')], [paused, account('b')], time)).toEqual([]);
  });

  it('treats a full quota window as a limit whatever the reason says', () => {
    const full = account('a', {
      status: 'cooldown',
      status_reason: 'HTTP 429',
      quota: { ...account('a').quota, five_hour: { used_percent: 100, window_minutes: 300, resets_at: null } },
    });
    expect(isLimited(full)).toBe(true);
  });

  it('asks for a new sign-in when an account needs one; a click signs in', () => {
    const notices = accountNotices(
      [account('a'), account('b')],
      [account('a', { status: 'needs_relogin', status_reason: 'refresh token revoked' }), account('b')],
      time,
    );
    expect(notices).toEqual([
      {
        kind: 'needs-relogin',
        title: 'a@example.com needs a new sign-in',
        body: 'refresh token revoked. Click to sign in with ChatGPT again.',
        onClick: { signIn: true },
      },
    ]);
  });

  it('does not announce accounts that were just added', () => {
    expect(accountNotices([account('a')], [account('a'), account('b', { status: 'needs_relogin' })], time)).toEqual([]);
  });
});

describe('addedAccounts', () => {
  it('finds accounts that appeared since the last look', () => {
    expect(addedAccounts([account('a')], [account('a'), account('b')]).map((a) => a.id)).toEqual(['b']);
    expect(addedAccounts(null, [account('a')])).toEqual([]);
    expect(addedAccounts([account('a'), account('b')], [account('a')])).toEqual([]);
  });
});

describe('Notifier', () => {
  it('shows an OS notification and reports its click', () => {
    const clicked = vi.fn();
    const notice = { kind: 'error' as const, title: 'T', body: 'B', onClick: { open: 'overview' as const } };
    new Notifier('/icon.png', clicked).show(notice);
    expect(Notification.shown).toHaveLength(1);
    expect(Notification.shown[0].options).toEqual({ title: 'T', body: 'B', icon: '/icon.png' });
    Notification.shown[0].emit('click');
    expect(clicked).toHaveBeenCalledWith(notice);
  });

  it('does nothing where notifications are unsupported', () => {
    Notification.isSupported.mockReturnValueOnce(false);
    new Notifier(undefined, vi.fn()).show({ kind: 'error', title: 'T', body: 'B', onClick: { open: 'overview' } });
    expect(Notification.shown).toHaveLength(0);
  });
});
