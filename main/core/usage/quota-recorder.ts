// Quota over time: a sample per account whenever its numbers change, from the pool's change events
// (a quota poll or the x-codex-* headers of a response both end there), debounced because every
// response changes the pool.
import type { AccountsResponse } from '../../../shared/api.js';
import type { QuotaSample } from './quota-line.js';

export interface QuotaSource {
  list(): Promise<AccountsResponse>;
  on(event: 'change', listener: () => void): unknown;
  off(event: 'change', listener: () => void): unknown;
}

/** An unchanged quota is still written this often, so a chart shows it was watched. */
export const QUOTA_HEARTBEAT_MS = 15 * 60_000;
export const QUOTA_DEBOUNCE_MS = 1_000;

/** Whether `next` is worth a line after `prev` (same account). */
export function isNewSample(
  prev: QuotaSample | undefined,
  next: QuotaSample,
  heartbeatMs = QUOTA_HEARTBEAT_MS,
): boolean {
  if (!prev) return true;
  if (next.time <= prev.time) return false;
  return next.five_hour !== prev.five_hour || next.weekly !== prev.weekly || next.time - prev.time >= heartbeatMs;
}

/** The samples an accounts listing holds (accounts whose quota was never read have none). */
export function samplesOf(list: AccountsResponse): QuotaSample[] {
  return list.accounts.flatMap((a) =>
    a.quota.updated_at === null
      ? []
      : [
          {
            time: a.quota.updated_at,
            account: a.email ?? a.account_id,
            five_hour: a.quota.five_hour?.used_percent ?? null,
            weekly: a.quota.weekly?.used_percent ?? null,
          },
        ],
  );
}

export class QuotaRecorder {
  private readonly last = new Map<string, QuotaSample>();
  private timer: NodeJS.Timeout | null = null;
  private readonly onChange = (): void => {
    this.timer ??= setTimeout(() => {
      this.timer = null;
      void this.sample();
    }, this.debounceMs);
    this.timer.unref?.();
  };

  constructor(
    private readonly source: QuotaSource,
    private readonly write: (sample: QuotaSample) => void,
    private readonly debounceMs = QUOTA_DEBOUNCE_MS,
  ) {
    source.on('change', this.onChange);
  }

  /** The newest known sample per account, e.g. from the history file. */
  seed(samples: readonly QuotaSample[]): void {
    for (const s of samples) this.last.set(s.account, s);
  }

  async sample(): Promise<void> {
    let list: AccountsResponse;
    try {
      list = await this.source.list();
    } catch {
      return; // the next change tries again
    }
    for (const s of samplesOf(list)) {
      if (!isNewSample(this.last.get(s.account), s)) continue;
      this.last.set(s.account, s);
      this.write(s);
    }
  }

  close(): void {
    this.source.off('change', this.onChange);
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
