// Pure display formatting shared by the views. Times coming from the API are Unix seconds unless
// a DTO says otherwise; `nowMs` is always passed in so the output is deterministic in tests.

/** Epoch values below this are seconds, above it milliseconds (1e12 ms is in 2001). */
const MS_THRESHOLD = 1e12;

/** Normalise an epoch timestamp whose unit the DTO leaves open (seconds or milliseconds). */
export function toMs(epoch: number): number {
  return epoch < MS_THRESHOLD ? epoch * 1000 : epoch;
}

/** Whole seconds from `nowMs` until `epochSeconds` (negative once it has passed). */
export function secondsUntil(epochSeconds: number, nowMs: number): number {
  return Math.floor(epochSeconds - nowMs / 1000);
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

/**
 * A short, fixed-shape duration: `45s`, `12m 05s`, `3h 07m`, `2d 04h`. Negative or zero is `0s`.
 * Two units at most, so a ticking countdown never changes width much.
 */
export function formatDuration(totalSeconds: number): string {
  const s = Math.max(0, Math.floor(totalSeconds));
  const days = Math.floor(s / 86_400);
  const hours = Math.floor((s % 86_400) / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  const seconds = s % 60;
  if (days > 0) return `${days}d ${pad2(hours)}h`;
  if (hours > 0) return `${hours}h ${pad2(minutes)}m`;
  if (minutes > 0) return `${minutes}m ${pad2(seconds)}s`;
  return `${seconds}s`;
}

/** Countdown to an epoch-seconds instant, or null when unknown. */
export function formatCountdown(epochSeconds: number | null, nowMs: number): string | null {
  if (epochSeconds === null) return null;
  return formatDuration(secondsUntil(epochSeconds, nowMs));
}

/** How long ago an epoch (s or ms) was: `just now`, `12s ago`, `3h 07m ago`. */
export function formatAgo(epoch: number, nowMs: number): string {
  const seconds = Math.floor((nowMs - toMs(epoch)) / 1000);
  return seconds < 1 ? 'just now' : `${formatDuration(seconds)} ago`;
}

/** Local wall-clock time of an epoch (s or ms); the date is added when it is not today. */
export function formatClock(epoch: number, nowMs: number): string {
  const at = new Date(toMs(epoch));
  const time = at.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
  if (at.toDateString() === new Date(nowMs).toDateString()) return time;
  return `${at.toLocaleDateString(undefined, { month: 'short', day: 'numeric' })}, ${time}`;
}

/** Log timestamp with seconds and milliseconds: `14:05:09.123`. */
export function formatLogTime(epoch: number): string {
  const at = new Date(toMs(epoch));
  return `${pad2(at.getHours())}:${pad2(at.getMinutes())}:${pad2(at.getSeconds())}.${String(at.getMilliseconds()).padStart(3, '0')}`;
}

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

export function formatCount(n: number | null | undefined): string {
  return n === null || n === undefined ? '—' : integer.format(n);
}

/** Context windows as `400k`, `1M`, `128k`. */
export function formatTokensShort(n: number): string {
  if (n >= 1_000_000) return `${Number((n / 1_000_000).toFixed(1))}M`;
  if (n >= 1000) return `${Math.round(n / 1000)}k`;
  return String(n);
}
