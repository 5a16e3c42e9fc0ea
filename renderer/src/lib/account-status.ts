// Status badge text for an account: `active`, `cooldown until 14:05 · 12m 30s`,
// `needs relogin by Mar 3, 09:00 · 2d 04h`.
import type { AccountStatus, AccountSummary } from '../../../shared/api.js';
import { formatClock, formatCountdown, secondsUntil } from './format.js';

export interface StatusBadgeView {
  status: AccountStatus;
  text: string;
  /** Extra detail for a tooltip (the server's reason), if any. */
  title: string | null;
}

type StatusFields = Pick<AccountSummary, 'status' | 'status_until' | 'status_reason'>;

const LABELS: Record<AccountStatus, { label: string; until: string }> = {
  active: { label: 'active', until: 'active' },
  cooldown: { label: 'cooldown', until: 'cooldown until' },
  needs_relogin: { label: 'needs relogin', until: 'needs relogin by' },
  disabled: { label: 'disabled', until: 'disabled' },
};

export function statusBadge(account: StatusFields, nowMs: number): StatusBadgeView {
  const { status, status_until: until, status_reason: reason } = account;
  const labels = LABELS[status];
  const timed = until !== null && status !== 'active' && status !== 'disabled' && secondsUntil(until, nowMs) > 0;
  const text = timed ? `${labels.until} ${formatClock(until, nowMs)} · ${formatCountdown(until, nowMs)}` : labels.label;
  return { status, text, title: reason };
}
