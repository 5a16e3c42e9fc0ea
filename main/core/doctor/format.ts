// The report as the CLI prints it: a heading that says who ran the checks, then one line per
// check under its group, each fix right under what it fixes.
import type { DoctorReport } from '../../../shared/api.js';
import { countsLine, DOCTOR_MARKS, groupedChecks } from '../../../shared/doctor.js';

export function formatReport(report: DoctorReport, where: string): string[] {
  const lines = [`codex-claude-proxy ${report.version} doctor: ${where}`];
  if (!report.refresh) lines.push('Dry run: no token was refreshed (--refresh refreshes them).');
  for (const group of groupedChecks(report.checks)) {
    lines.push('', group.title);
    for (const c of group.checks) {
      lines.push(`  ${DOCTOR_MARKS[c.status]} ${c.summary}`);
      if (c.fix && c.status !== 'ok') lines.push(`      fix: ${c.fix}`);
    }
  }
  lines.push('', countsLine(report.counts));
  return lines;
}
