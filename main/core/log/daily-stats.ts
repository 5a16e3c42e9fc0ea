// "Requests today" and "errors today" for the overview. Counted as entries arrive rather than
// read back from the ring, so the numbers survive the ring wrapping around on a busy day.
import type { LogEntry } from '../../../shared/api.js';
import { isErrorEntry } from './entry.js';

export interface DailyStats {
  requests_today: number;
  errors_today: number;
}

/** Local calendar day: "today" means the user's day, not UTC's. */
function dayKey(time: number): string {
  const d = new Date(time);
  return `${d.getFullYear()}-${d.getMonth() + 1}-${d.getDate()}`;
}

export class DailyCounter {
  private day = '';
  private requests = 0;
  private errors = 0;

  add(entry: LogEntry): void {
    this.rollTo(dayKey(entry.time));
    if (entry.request) this.requests++;
    if (isErrorEntry(entry)) this.errors++;
  }

  read(now: number = Date.now()): DailyStats {
    this.rollTo(dayKey(now));
    return { requests_today: this.requests, errors_today: this.errors };
  }

  private rollTo(day: string): void {
    if (day === this.day) return;
    this.day = day;
    this.requests = 0;
    this.errors = 0;
  }
}
