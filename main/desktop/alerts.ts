// Which account events deserve an OS notification. The core reports a change on every request
// and every quota poll, so this is a pure reducer over snapshots: it remembers which conditions
// were already announced and speaks only when a condition starts, so each event is told once.
import type { AccountSummary, QuotaWindow } from '../../shared/api.js';
import type { DashboardView } from './dashboard-view.js';
import { accountLabel, type TimeFormat } from './tray-menu.js';

export interface Notice {
  kind: 'high-usage' | 'account-limited' | 'all-limited' | 'needs-relogin' | 'port-busy' | 'signed-in' | 'error';
  title: string;
  body: string;
  /** What a click does: open the dashboard on a view, or start a new sign-in. */
  onClick: { open: DashboardView } | { signIn: true };
}

/** A quota window at or above this share used is worth a heads-up. */
export const HIGH_USAGE_PERCENT = 80;
/**
 * A window announced as high stays "high" until it drops below this (its reset): two sources
 * (response headers, usage polls) can disagree by a point, which must not re-announce it.
 */
const HIGH_USAGE_REARM_PERCENT = 70;

type WindowName = 'five_hour' | 'weekly';
const WINDOWS: readonly WindowName[] = ['five_hour', 'weekly'];
const WINDOW_LABELS: Record<WindowName, string> = { five_hour: '5-hour', weekly: 'weekly' };

/** What the last look saw: which accounts existed and which conditions held. */
export interface AlertMemory {
  readonly known: ReadonlySet<string>;
  readonly active: ReadonlySet<string>;
}

/** A window whose reset time has passed says nothing about now: it counts as unused. */
function usedNow(window: QuotaWindow | null, nowMs: number): number {
  if (!window) return 0;
  return window.resets_at !== null && window.resets_at * 1000 <= nowMs ? 0 : window.used_percent;
}

/** A cooldown because of usage limits (not a short overload pause). */
export function isLimited(account: AccountSummary): boolean {
  if (account.status !== 'cooldown') return false;
  const full = (w: QuotaWindow | null): boolean => w !== null && w.used_percent >= 100;
  return (
    /limit|quota|usage/i.test(account.status_reason ?? '') ||
    full(account.quota.five_hour) ||
    full(account.quota.weekly)
  );
}

/** Limited, or still marked usable although a poll already shows a window used up. */
export function atLimit(account: AccountSummary, nowMs: number): boolean {
  if (isLimited(account)) return true;
  return account.status === 'active' && WINDOWS.some((w) => usedNow(account.quota[w], nowMs) >= 100);
}

/** When a limited account works again (unix s), if known. */
function backAt(account: AccountSummary, nowMs: number): number | null {
  if (account.status === 'cooldown' && account.status_until !== null) return account.status_until;
  const resets = WINDOWS.map((w) => account.quota[w])
    .filter((w): w is QuotaWindow => w !== null && w.resets_at !== null && usedNow(w, nowMs) >= 100)
    .map((w) => w.resets_at as number);
  return resets.length ? Math.max(...resets) : null;
}

/** No account can serve, and at least one of them because of its limits. */
export function allLimited(accounts: readonly AccountSummary[], nowMs: number): boolean {
  const limited = accounts.filter((a) => atLimit(a, nowMs));
  return limited.length > 0 && accounts.every((a) => a.status !== 'active' || limited.includes(a));
}

/** The first moment a limited account works again (unix s), if any is known. */
export function earliestReset(accounts: readonly AccountSummary[], nowMs: number): number | null {
  const times = accounts
    .filter((a) => atLimit(a, nowMs))
    .map((a) => backAt(a, nowMs))
    .filter((t): t is number => t !== null);
  return times.length ? Math.min(...times) : null;
}

type Condition =
  | { key: string; kind: 'all-limited' }
  | { key: string; kind: 'needs-relogin' | 'account-limited'; account: AccountSummary }
  | { key: string; kind: 'high-usage'; account: AccountSummary; window: WindowName };

function conditions(accounts: readonly AccountSummary[], previous: ReadonlySet<string>, nowMs: number): Condition[] {
  const found: Condition[] = [];
  if (allLimited(accounts, nowMs)) found.push({ key: 'all-limited', kind: 'all-limited' });
  for (const account of accounts) {
    if (account.status === 'needs_relogin')
      found.push({ key: `relogin:${account.id}`, kind: 'needs-relogin', account });
    if (atLimit(account, nowMs)) found.push({ key: `limited:${account.id}`, kind: 'account-limited', account });
    for (const window of WINDOWS) {
      const key = `high:${account.id}:${window}`;
      const used = usedNow(account.quota[window], nowMs);
      if (used >= HIGH_USAGE_PERCENT || (previous.has(key) && used >= HIGH_USAGE_REARM_PERCENT)) {
        found.push({ key, kind: 'high-usage', account, window });
      }
    }
  }
  return found;
}

function noticeFor(condition: Condition, accounts: readonly AccountSummary[], nowMs: number, time: TimeFormat): Notice {
  switch (condition.kind) {
    case 'all-limited': {
      const reset = earliestReset(accounts, nowMs);
      return {
        kind: 'all-limited',
        title: 'All ChatGPT accounts are limited',
        body: `Claude Code requests will fail until a limit resets${reset ? ` (first at ${time(reset)})` : ''}. Add another account or wait.`,
        onClick: { open: 'accounts' },
      };
    }
    case 'account-limited': {
      const back = backAt(condition.account, nowMs);
      return {
        kind: 'account-limited',
        title: `${accountLabel(condition.account)} hit its limit`,
        body: `${back ? `Back at ${time(back)}. ` : ''}Requests go to your other accounts meanwhile.`,
        onClick: { open: 'accounts' },
      };
    }
    case 'needs-relogin':
      return {
        kind: 'needs-relogin',
        title: `${accountLabel(condition.account)} needs a new sign-in`,
        body: `${condition.account.status_reason ? `${condition.account.status_reason}. ` : ''}Click to sign in with ChatGPT again.`,
        onClick: { signIn: true },
      };
    case 'high-usage': {
      const { account, window } = condition;
      const quota = account.quota[window] as QuotaWindow;
      const others = accounts.some((a) => a.id !== account.id && a.status === 'active' && !atLimit(a, nowMs));
      return {
        kind: 'high-usage',
        title: `${accountLabel(account)} has used ${Math.floor(quota.used_percent)}% of its ${WINDOW_LABELS[window]} limit`,
        body:
          `${quota.resets_at ? `It resets at ${time(quota.resets_at)}. ` : ''}` +
          (others
            ? 'Requests move to your other accounts when it runs out.'
            : 'It is the only account serving Claude Code.'),
        onClick: { open: 'accounts' },
      };
    }
  }
}

/** A louder notice about the same thing makes the quieter one redundant. */
function covered(condition: Condition, fresh: readonly Condition[]): boolean {
  if (condition.kind === 'account-limited') return fresh.some((c) => c.kind === 'all-limited');
  if (condition.kind === 'high-usage') {
    return fresh.some(
      (c) => c.kind === 'all-limited' || (c.kind === 'account-limited' && c.account.id === condition.account.id),
    );
  }
  return false;
}

/**
 * Compares the accounts now with what the last look saw. `memory` null is the first look after
 * start: it announces only what needs the user (a lapsed sign-in, nothing left to serve) and takes
 * the rest as known. Conditions of an account that just appeared are taken as known too.
 */
export function accountAlerts(
  memory: AlertMemory | null,
  accounts: readonly AccountSummary[],
  nowMs: number,
  time: TimeFormat,
): { memory: AlertMemory; notices: Notice[] } {
  const current = conditions(accounts, memory?.active ?? new Set(), nowMs);
  const isNew = (c: Condition): boolean => {
    if (memory?.active.has(c.key)) return false;
    if (!memory) return c.kind === 'needs-relogin' || c.kind === 'all-limited';
    return c.kind === 'all-limited' || memory.known.has(c.account.id);
  };
  const fresh = current.filter(isNew);
  const notices = fresh.filter((c) => !covered(c, fresh)).map((c) => noticeFor(c, accounts, nowMs, time));
  return {
    memory: { known: new Set(accounts.map((a) => a.id)), active: new Set(current.map((c) => c.key)) },
    notices,
  };
}

/** Accounts present now that were not before (a sign-in just finished). */
export function addedAccounts(
  previous: readonly AccountSummary[] | null,
  next: readonly AccountSummary[],
): AccountSummary[] {
  if (previous === null) return [];
  const known = new Set(previous.map((a) => a.id));
  return next.filter((a) => !known.has(a.id));
}
