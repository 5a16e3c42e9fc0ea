// One observation of an account's quota ↔ one line of the quota history file.
import { versionedFields } from './row-line.js';

export interface QuotaSample {
  /** Unix ms of the observation (the quota's `updated_at`). */
  time: number;
  /** The account's label, as usage rows name it (email, else the ChatGPT account id). */
  account: string;
  /** Used percent of the 5-hour and the weekly window; null when the account has no such window. */
  five_hour: number | null;
  weekly: number | null;
}

const LINE_VERSION = 1;

export function encodeSample(s: QuotaSample): string {
  return `${JSON.stringify([LINE_VERSION, s.time, s.account, s.five_hour, s.weekly])}\n`;
}

const percentOrNull = (v: unknown): number | null | undefined =>
  v === null ? null : typeof v === 'number' && Number.isFinite(v) ? v : undefined;

export function decodeSample(line: string): QuotaSample | null {
  const raw = versionedFields(line, LINE_VERSION, 5);
  if (!raw) return null;
  const [, time, account] = raw;
  const fiveHour = percentOrNull(raw[3]);
  const weekly = percentOrNull(raw[4]);
  if (typeof time !== 'number' || !Number.isFinite(time) || typeof account !== 'string') return null;
  if (fiveHour === undefined || weekly === undefined) return null;
  return { time, account, five_hour: fiveHour, weekly };
}
