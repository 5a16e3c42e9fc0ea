// How a doctor report is shown, shared by the CLI's text and the dashboard's Doctor view so both
// say the same thing in the same order.
import type { DoctorCheck, DoctorGroup, DoctorStatus } from './api.js';

export const DOCTOR_MARKS: Record<DoctorStatus, string> = { ok: '✓', warn: '!', fail: '✗', skip: '–' };

/** Groups in the order a person fixes things: set-up first, what depends on it after. */
export const DOCTOR_GROUPS: ReadonlyArray<{ id: DoctorGroup; title: string }> = [
  { id: 'setup', title: 'Data and secrets' },
  { id: 'server', title: 'Proxy server' },
  { id: 'identity', title: 'Upstream identity' },
  { id: 'account', title: 'Accounts' },
  { id: 'lanes', title: 'Model lanes' },
  { id: 'claude', title: 'Claude Code' },
  { id: 'compatibility', title: 'Compatibility' },
  { id: 'live', title: 'Live requests' },
];

export function groupedChecks(
  checks: readonly DoctorCheck[],
): Array<{ id: DoctorGroup; title: string; checks: DoctorCheck[] }> {
  return DOCTOR_GROUPS.map((g) => ({ ...g, checks: checks.filter((c) => c.group === g.id) })).filter(
    (g) => g.checks.length > 0,
  );
}

/** "12 ok, 1 warning, 2 failed, 3 not checked" (zero counts left out). */
export function countsLine(counts: Record<DoctorStatus, number>): string {
  const parts = [
    counts.ok ? `${counts.ok} ok` : '',
    counts.warn ? `${counts.warn} warning${counts.warn === 1 ? '' : 's'}` : '',
    counts.fail ? `${counts.fail} failed` : '',
    counts.skip ? `${counts.skip} not checked` : '',
  ];
  return parts.filter(Boolean).join(', ') || 'no checks';
}
