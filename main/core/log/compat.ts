// The compatibility sentinel: the first sign that Claude Code or the Codex backend moved on
// without us. Each finding (an upstream event type or error code we do not know, a lane model
// that left the catalog, a request field we do not translate, a refused client identity) is
// logged once per process and kept for /health, the doctor and the dashboard.
import type { Logger } from 'pino';
import type { CompatFinding, CompatKind } from '../../../shared/api.js';

const MAX_FINDINGS = 200;

export class CompatSentinel {
  private readonly findings = new Map<string, CompatFinding>();

  constructor(private readonly log: Pick<Logger, 'warn'>) {}

  report(kind: CompatKind, subject: string, message: string): void {
    const key = `${kind}\u0000${subject}`;
    const seen = this.findings.get(key);
    if (seen) {
      seen.count++;
      seen.last_seen = new Date().toISOString();
      return;
    }
    if (this.findings.size >= MAX_FINDINGS) return;
    const now = new Date().toISOString();
    this.findings.set(key, { kind, subject, message, count: 1, first_seen: now, last_seen: now });
    this.log.warn({ compat: { kind, subject } }, `compatibility: ${message}`);
  }

  list(): CompatFinding[] {
    return [...this.findings.values()].map((f) => ({ ...f }));
  }
}
