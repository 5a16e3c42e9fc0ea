// The alert rules as a pure reducer: each snapshot is one look at the accounts (the app takes one
// after every core change: each request, each quota poll), and a notice must come once per event.
import { describe, expect, it } from 'vitest';
import type { AccountSummary } from '../../shared/api.js';
import {
  accountAlerts,
  addedAccounts,
  allLimited,
  atLimit,
  earliestReset,
  isLimited,
  type AlertMemory,
  type Notice,
} from '../../main/desktop/alerts.js';
import { account, limited } from './fixtures.js';

const time = (s: number): string => `T${s}`;
const NOW = 1_800_000_000_000;

/** An active account whose `window` is `used` percent used, resetting at `resets` (unix s). */
function using(
  id: string,
  used: number,
  window: 'five_hour' | 'weekly' = 'five_hour',
  resets: number | null = 1_800_003_600,
): AccountSummary {
  const base = account(id);
  const minutes = window === 'five_hour' ? 300 : 10080;
  return account(id, {
    quota: { ...base.quota, [window]: { used_percent: used, window_minutes: minutes, resets_at: resets } },
  });
}

/** Folds the looks in order, from a first look that is `first` (null: the app just started). */
function looks(snapshots: AccountSummary[][], first: AlertMemory | null = null): Notice[][] {
  let memory = first;
  return snapshots.map((accounts) => {
    const out = accountAlerts(memory, accounts, NOW, time);
    memory = out.memory;
    return out.notices;
  });
}

/** The notices of every look after the first (which sets the baseline). */
function after(...snapshots: AccountSummary[][]): string[][] {
  return looks(snapshots)
    .slice(1)
    .map((notices) => notices.map((n) => n.kind));
}

describe('accountAlerts: once per event', () => {
  it('says nothing when nothing changed, however often it looks', () => {
    const same = [using('a', 85), limited('b', 1_800_001_000)];
    expect(after(same, same, same, same)).toEqual([[], [], []]);
  });

  it('tells once when an account crosses 80 % of a window, with the reset time', () => {
    const out = looks([
      [using('a', 60), account('b')],
      [using('a', 81), account('b')],
      [using('a', 90), account('b')],
      [using('a', 99), account('b')],
    ]);
    expect(out[1]).toEqual([
      {
        kind: 'high-usage',
        title: 'a@example.com has used 81% of its 5-hour limit',
        body: 'It resets at T1800003600. Requests move to your other accounts when it runs out.',
        onClick: { open: 'accounts' },
      },
    ]);
    expect([out[2], out[3]]).toEqual([[], []]);
  });

  it('treats the weekly window on its own, and says when no other account can take over', () => {
    const [, notices] = looks([[using('a', 10, 'weekly')], [using('a', 80, 'weekly', null)]]);
    expect(notices.map((n) => [n.title, n.body])).toEqual([
      ['a@example.com has used 80% of its weekly limit', 'It is the only account serving Claude Code.'],
    ]);
  });

  it('does not repeat when two sources disagree around 80 %, and tells again after the window reset', () => {
    expect(
      after(
        [using('a', 70)],
        [using('a', 80)],
        [using('a', 79)],
        [using('a', 80.5)],
        [using('a', 3)],
        [using('a', 82)],
      ),
    ).toEqual([['high-usage'], [], [], [], ['high-usage']]);
  });

  it('counts a window whose reset time has passed as fresh', () => {
    const past = using('a', 95, 'five_hour', NOW / 1000 - 60);
    expect(after([account('a')], [past], [using('a', 85)])).toEqual([[], ['high-usage']]);
  });

  it('tells when one account hits its limit while others still serve, once', () => {
    const out = looks([
      [account('a'), account('b')],
      [limited('a', 1000), account('b')],
      [limited('a', 1000), account('b')],
    ]);
    expect(out[1]).toEqual([
      {
        kind: 'account-limited',
        title: 'a@example.com hit its limit',
        body: 'Back at T1000. Requests go to your other accounts meanwhile.',
        onClick: { open: 'accounts' },
      },
    ]);
    expect(out[2]).toEqual([]);
  });

  it('a jump straight to the limit is one notice, not a high-usage one as well', () => {
    const full = account('a', {
      status: 'cooldown',
      status_until: 1000,
      status_reason: 'HTTP 429',
      quota: using('a', 100).quota,
    });
    expect(after([using('a', 50), account('b')], [full, account('b')])).toEqual([['account-limited']]);
  });

  it('counts an account whose poll shows a window used up as limited before a request fails', () => {
    expect(atLimit(using('a', 100), NOW)).toBe(true);
    const [, notices] = looks([
      [using('a', 90), account('b')],
      [using('a', 100), account('b')],
    ]);
    expect(notices.map((n) => [n.kind, n.body])).toEqual([
      ['account-limited', 'Back at T1800003600. Requests go to your other accounts meanwhile.'],
    ]);
  });

  it('tells once when the last usable account is limited, with the earliest reset, instead of per account', () => {
    const out = looks([
      [limited('a', 2000), using('b', 70)],
      [limited('a', 2000), limited('b', 1500)],
      [limited('a', 2000), limited('b', 1500)],
    ]);
    expect(out[1].map((n) => n.kind)).toEqual(['all-limited']);
    expect(out[1][0].body).toBe(
      'Claude Code requests will fail until a limit resets (first at T1500). Add another account or wait.',
    );
    expect(out[2]).toEqual([]);
  });

  it('tells "all limited" again only after an account served in between', () => {
    expect(after([account('a')], [limited('a', 10)], [limited('a', 10)], [account('a')], [limited('a', 20)])).toEqual([
      ['all-limited'],
      [],
      [],
      ['all-limited'],
    ]);
  });

  it('ignores short overload pauses', () => {
    const paused = account('a', { status: 'cooldown', status_until: 50, status_reason: 'overloaded (HTTP 529)' });
    expect(isLimited(paused)).toBe(false);
    expect(after([account('a'), account('b')], [paused, account('b')])).toEqual([[]]);
  });

  it('asks for a new sign-in when a refresh token died; a click signs in; once', () => {
    const dead = account('a', { status: 'needs_relogin', status_reason: 'refresh token revoked' });
    const out = looks([
      [account('a'), account('b')],
      [dead, account('b')],
      [dead, account('b')],
    ]);
    expect(out[1]).toEqual([
      {
        kind: 'needs-relogin',
        title: 'a@example.com needs a new sign-in',
        body: 'refresh token revoked. Click to sign in with ChatGPT again.',
        onClick: { signIn: true },
      },
    ]);
    expect(out[2]).toEqual([]);
  });

  it('asks again if a fresh sign-in lapses again', () => {
    const dead = account('a', { status: 'needs_relogin' });
    expect(after([account('a')], [dead], [account('a')], [dead])).toEqual([['needs-relogin'], [], ['needs-relogin']]);
  });
});

describe('accountAlerts: first look and new accounts', () => {
  it('at start-up announces what needs the user (lapsed sign-in, all limited) and takes the rest as known', () => {
    const [first] = looks([[account('a', { status: 'needs_relogin' }), limited('b', 900), using('c', 95)]]);
    expect(first.map((n) => n.kind)).toEqual(['needs-relogin']);
    const [allOut] = looks([[limited('a', 900), limited('b', 800)]]);
    expect(allOut.map((n) => [n.kind, n.body])).toEqual([
      [
        'all-limited',
        'Claude Code requests will fail until a limit resets (first at T800). Add another account or wait.',
      ],
    ]);
    // …and what it took as known stays quiet afterwards.
    expect(after([limited('b', 900), using('c', 95)], [limited('b', 900), using('c', 96)])).toEqual([[]]);
  });

  it('does not announce accounts that were just added', () => {
    expect(after([account('a')], [account('a'), account('b', { status: 'needs_relogin' }), using('c', 90)])).toEqual([
      [],
    ]);
  });
});

describe('pool helpers', () => {
  it('allLimited needs one limited account and nobody serving', () => {
    expect(allLimited([], NOW)).toBe(false);
    expect(allLimited([account('a', { status: 'needs_relogin' })], NOW)).toBe(false);
    expect(allLimited([account('a', { status: 'needs_relogin' }), limited('b', 5)], NOW)).toBe(true);
    expect(allLimited([limited('a', 5), account('b')], NOW)).toBe(false);
  });

  it('earliestReset is the first limited account back', () => {
    expect(earliestReset([limited('a', 50), limited('b', 40), account('c')], NOW)).toBe(40);
    expect(earliestReset([account('a')], NOW)).toBeNull();
  });

  it('treats a full quota window as a limit whatever the cooldown reason says', () => {
    const full = account('a', { status: 'cooldown', status_reason: 'HTTP 429', quota: using('a', 100).quota });
    expect(isLimited(full)).toBe(true);
  });
});

describe('addedAccounts', () => {
  it('finds accounts that appeared since the last look', () => {
    expect(addedAccounts([account('a')], [account('a'), account('b')]).map((a) => a.id)).toEqual(['b']);
    expect(addedAccounts(null, [account('a')])).toEqual([]);
    expect(addedAccounts([account('a'), account('b')], [account('a')])).toEqual([]);
  });
});
