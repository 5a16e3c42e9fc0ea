// Which OS notifications a change in the accounts deserves. A pure comparison of two snapshots,
// so a notification fires once per transition (limited, all limited, sign-in lapsed) and never
// again while the state merely persists.
import { Notification } from 'electron';
import type { AccountSummary } from '../../shared/api.js';
import type { DashboardView } from './dashboard-view.js';
import { accountLabel, type TimeFormat } from './tray-menu.js';

export interface Notice {
  kind: 'account-limited' | 'all-limited' | 'needs-relogin' | 'port-busy' | 'signed-in' | 'error';
  title: string;
  body: string;
  /** What a click does: open the dashboard on a view, or start a new sign-in. */
  onClick: { open: DashboardView } | { signIn: true };
}

/** A cooldown because of usage limits (not a short overload pause). */
export function isLimited(account: AccountSummary): boolean {
  if (account.status !== 'cooldown') return false;
  const full = (w: AccountSummary['quota']['five_hour']): boolean => w !== null && w.used_percent >= 100;
  return /limit|quota|usage/i.test(account.status_reason ?? '') || full(account.quota.five_hour) || full(account.quota.weekly);
}

function allLimited(accounts: readonly AccountSummary[]): boolean {
  return accounts.length > 0 && accounts.every((a) => a.status !== 'active') && accounts.some(isLimited);
}

function earliestReset(accounts: readonly AccountSummary[]): number | null {
  const times = accounts.filter(isLimited).map((a) => a.status_until).filter((t): t is number => t !== null);
  return times.length ? Math.min(...times) : null;
}

/**
 * `previous` null means "first look": it only sets the baseline. When the last usable account
 * becomes limited, one "all limited" notice replaces the per-account one.
 */
export function accountNotices(previous: readonly AccountSummary[] | null, next: readonly AccountSummary[], time: TimeFormat): Notice[] {
  if (previous === null) return [];
  const before = new Map(previous.map((a) => [a.id, a]));
  const notices: Notice[] = [];
  const everyoneLimited = allLimited(next) && !allLimited(previous);

  if (everyoneLimited) {
    const reset = earliestReset(next);
    notices.push({
      kind: 'all-limited',
      title: 'All ChatGPT accounts are limited',
      body: `Claude Code requests will fail until a limit resets${reset ? ` (first at ${time(reset)})` : ''}. Add another account or wait.`,
      onClick: { open: 'accounts' },
    });
  }
  for (const account of next) {
    const old = before.get(account.id);
    if (!old) continue;
    if (!everyoneLimited && isLimited(account) && !isLimited(old)) {
      notices.push({
        kind: 'account-limited',
        title: `${accountLabel(account)} hit its limit`,
        body: `${account.status_until ? `Back at ${time(account.status_until)}. ` : ''}Requests go to your other accounts meanwhile.`,
        onClick: { open: 'accounts' },
      });
    }
    if (account.status === 'needs_relogin' && old.status !== 'needs_relogin') {
      notices.push({
        kind: 'needs-relogin',
        title: `${accountLabel(account)} needs a new sign-in`,
        body: `${account.status_reason ? `${account.status_reason}. ` : ''}Click to sign in with ChatGPT again.`,
        onClick: { signIn: true },
      });
    }
  }
  return notices;
}

/** Accounts present now that were not before (a sign-in just finished). */
export function addedAccounts(previous: readonly AccountSummary[] | null, next: readonly AccountSummary[]): AccountSummary[] {
  if (previous === null) return [];
  const known = new Set(previous.map((a) => a.id));
  return next.filter((a) => !known.has(a.id));
}

/** Shows notices as OS notifications; keeps each alive until it is clicked or closed. */
export class Notifier {
  private readonly live = new Set<Notification>();

  constructor(
    private readonly icon: string | undefined,
    private readonly onClick: (notice: Notice) => void,
  ) {}

  show(notice: Notice): void {
    if (!Notification.isSupported()) return;
    const note = new Notification({ title: notice.title, body: notice.body, icon: this.icon });
    // Without a reference the notification can be collected and its click handler lost.
    this.live.add(note);
    const release = (): void => void this.live.delete(note);
    note.on('click', () => {
      release();
      this.onClick(notice);
    });
    note.on('close', release);
    note.show();
  }
}
