// The request inspector's captures: opt-in (the next N requests, or every request of one session),
// redacted, and kept in memory within a count and a byte budget, oldest dropped first.
import type { CaptureListItem, CaptureMode, CaptureState, RequestCapture } from '../../../shared/api.js';
import { scrubSecretText } from '../log/redact.js';
import { redactForCapture } from './capture-redact.js';

export interface CaptureLimits {
  captures: number;
  bytes: number;
  bytesPerCapture: number;
}

export const DEFAULT_CAPTURE_LIMITS: CaptureLimits = {
  captures: 50,
  bytes: 32 * 1024 * 1024,
  bytesPerCapture: 4 * 1024 * 1024,
};
export const MAX_CAPTURE_COUNT = 1000;
/** An upstream error body is a few hundred bytes; more is an HTML page (a Cloudflare challenge). */
const REFUSAL_BODY_CHARS = 4000;

/** The body of PUT /api/capture, or the reason it is not one. */
export function parseCaptureMode(body: unknown): CaptureMode | { error: string } {
  const b = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  if (b.kind === 'off') return { kind: 'off' };
  if (b.kind === 'next') {
    const count = b.count;
    if (typeof count === 'number' && Number.isInteger(count) && count >= 1 && count <= MAX_CAPTURE_COUNT)
      return { kind: 'next', count };
    return { error: `count must be a whole number from 1 to ${MAX_CAPTURE_COUNT}.` };
  }
  if (b.kind === 'session') {
    const session = typeof b.session === 'string' ? b.session.trim() : '';
    if (session && session.length <= 200) return { kind: 'session', session };
    return { error: 'session must be a Claude Code session id.' };
  }
  return { error: 'kind must be "off", "next" or "session".' };
}

/** Builds one capture as the request goes; stops adding events at the per-capture byte limit. */
export class CaptureBuilder {
  private readonly capture: RequestCapture;
  private requestBytes = 0;

  constructor(
    start: { id: string; time: number; path: string; model: string | null; session: string | null },
    private readonly maxBytes: number,
  ) {
    this.capture = {
      ...start,
      upstream_request: null,
      attempts: [],
      upstream_events: [],
      client_events: [],
      status: null,
      truncated: false,
      bytes: 0,
    };
  }

  /** Each attempt's body; the last one is kept (they differ only when reasoning is left out). */
  upstreamRequest(body: string): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      parsed = body;
    }
    const redacted = redactForCapture(parsed);
    this.capture.bytes -= this.requestBytes;
    this.requestBytes = 0;
    this.capture.upstream_request = null;
    const bytes = this.take(redacted);
    if (bytes === null) return;
    this.requestBytes = bytes;
    this.capture.upstream_request = redacted;
  }

  attempt(account: string): void {
    this.capture.attempts.push({ account });
  }

  refused(status: number, body: string): void {
    const last = this.capture.attempts.at(-1);
    if (!last) return;
    last.status = status;
    last.body = scrubSecretText(body.slice(0, REFUSAL_BODY_CHARS));
  }

  upstreamEvents(batch: readonly unknown[]): void {
    this.add(this.capture.upstream_events, batch);
  }

  clientEvents(batch: readonly unknown[]): void {
    this.add(this.capture.client_events, batch);
  }

  finish(status: number): RequestCapture {
    this.capture.status = status;
    return this.capture;
  }

  private add(into: unknown[], batch: readonly unknown[]): void {
    for (const ev of batch) {
      const redacted = redactForCapture(ev);
      if (this.take(redacted) === null) return;
      into.push(redacted);
    }
  }

  /** Counts `value` against the budget: its size, or null (and truncated from now on) when it does not fit. */
  private take(value: unknown): number | null {
    if (this.capture.truncated) return null;
    const bytes = JSON.stringify(value)?.length ?? 0;
    if (this.capture.bytes + bytes > this.maxBytes) {
      this.capture.truncated = true;
      return null;
    }
    this.capture.bytes += bytes;
    return bytes;
  }
}

export class CaptureStore {
  private mode: CaptureMode = { kind: 'off' };
  /** Insertion order is age order: the first entry is the oldest. */
  private readonly captures = new Map<string, RequestCapture>();
  private bytes = 0;

  constructor(private readonly limits: CaptureLimits = DEFAULT_CAPTURE_LIMITS) {}

  arm(mode: CaptureMode): void {
    this.mode = mode;
  }

  /** A builder when this request is to be captured (counting down "the next N"), else null. */
  claim(start: {
    id: string;
    time: number;
    path: string;
    model: string | null;
    session: string | null;
  }): CaptureBuilder | null {
    const mode = this.mode;
    if (mode.kind === 'off') return null;
    if (mode.kind === 'session' && start.session !== mode.session) return null;
    if (mode.kind === 'next') this.mode = mode.count > 1 ? { kind: 'next', count: mode.count - 1 } : { kind: 'off' };
    return new CaptureBuilder(start, this.limits.bytesPerCapture);
  }

  save(capture: RequestCapture): void {
    this.drop(capture.id);
    this.captures.set(capture.id, capture);
    this.bytes += capture.bytes;
    for (const [id] of this.captures) {
      if (this.captures.size <= this.limits.captures && this.bytes <= this.limits.bytes) break;
      this.drop(id);
    }
  }

  get(id: string): RequestCapture | undefined {
    return this.captures.get(id);
  }

  clear(): void {
    this.captures.clear();
    this.bytes = 0;
  }

  state(): CaptureState {
    const captures: CaptureListItem[] = [...this.captures.values()].reverse().map((c) => ({
      id: c.id,
      time: c.time,
      model: c.model,
      session: c.session,
      status: c.status,
      bytes: c.bytes,
    }));
    const { captures: count, bytes, bytesPerCapture } = this.limits;
    return { mode: this.mode, captures, limits: { captures: count, bytes, bytes_per_capture: bytesPerCapture } };
  }

  private drop(id: string): void {
    const old = this.captures.get(id);
    if (!old) return;
    this.captures.delete(id);
    this.bytes -= old.bytes;
  }
}
