// Small builders for the dashboard's DTOs, so each test spells out only what it is about.
import type { AccountSummary, CaptureState, LogEntry, ModelsConfig, UsageSummary } from '../../../shared/api.js';
import type { DashboardApi } from '../../../renderer/src/lib/api.js';

/** 2026-03-01T12:00:00Z */
export const NOW = Date.UTC(2026, 2, 1, 12, 0, 0);
export const NOW_S = NOW / 1000;

export function account(overrides: Partial<AccountSummary> = {}): AccountSummary {
  return {
    id: 'acc-1',
    email: 'one@example.com',
    account_id: 'acct_1',
    plan: 'plus',
    status: 'active',
    status_until: null,
    status_reason: null,
    quota: {
      five_hour: { used_percent: 30, window_minutes: 300, resets_at: NOW_S + 3600 },
      weekly: { used_percent: 80, window_minutes: 10_080, resets_at: NOW_S + 2 * 86_400 },
      plan_type: 'plus',
      updated_at: NOW,
    },
    preferred: false,
    added_at: '2026-02-01T10:00:00.000Z',
    source: 'oauth',
    ...overrides,
  };
}

export function logEntry(seq: number, overrides: Partial<LogEntry> = {}): LogEntry {
  return { seq, time: NOW + seq, level: 'info', msg: `message ${seq}`, ...overrides };
}

export function modelsConfig(overrides: Partial<ModelsConfig> = {}): ModelsConfig {
  return {
    lanes: { opus: { model: 'gpt-5.3-codex', effort: 'high' }, sonnet: { model: 'gpt-5.2-codex' }, haiku: { model: 'gpt-5.2' } },
    available: [
      { slug: 'gpt-5.3-codex', display_name: 'GPT-5.3 Codex', context_window: 400_000, efforts: ['low', 'medium', 'high', 'xhigh'] },
      { slug: 'gpt-5.2-codex', display_name: 'GPT-5.2 Codex', context_window: 400_000, efforts: ['low', 'medium', 'high'] },
      { slug: 'gpt-5.4-mini', display_name: 'GPT-5.4 mini', context_window: 272_000, efforts: ['low', 'medium'] },
    ],
    resolved: {
      opus: { configured: 'gpt-5.3-codex', resolved: 'gpt-5.3-codex', context_window: 400_000 },
      sonnet: { configured: 'gpt-5.2-codex', resolved: 'gpt-5.2-codex', context_window: 400_000 },
      haiku: { configured: 'gpt-5.2', resolved: 'gpt-5.4-mini', context_window: 272_000 },
    },
    ...overrides,
  };
}

/** A DashboardApi whose every method fails loudly unless the test provides it. */
export function mockApi(overrides: Partial<DashboardApi>): DashboardApi {
  return new Proxy(overrides as DashboardApi, {
    get(target, name: string) {
      if (name in target) return target[name as keyof DashboardApi];
      return () => Promise.reject(new Error(`mockApi: ${name} not mocked`));
    },
  });
}

/** A Response whose body delivers `chunks` one by one, as a network stream would. */
export function streamResponse(chunks: string[], init: ResponseInit = {}): Response {
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
  return new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' }, ...init });
}

/** `event: <type>\ndata: <json>\n\n` for an Anthropic stream event. */
export function sse(data: { type: string } & Record<string, unknown>): string {
  return `event: ${data.type}\ndata: ${JSON.stringify(data)}\n\n`;
}

export function captureState(overrides: Partial<CaptureState> = {}): CaptureState {
  return { mode: { kind: 'off' }, captures: [], limits: { captures: 50, bytes: 33_554_432, bytes_per_capture: 4_194_304 }, ...overrides };
}

const HOUR = 3_600_000;

/** A 24-hour summary over three hourly buckets, two models, two accounts and one session. */
export function usageSummary(overrides: Partial<UsageSummary> = {}): UsageSummary {
  const buckets = [NOW - 2 * HOUR, NOW - HOUR, NOW];
  return {
    range: '24h',
    bucket: '1h',
    from: buckets[0],
    to: NOW + 1,
    buckets,
    tokens_by_model: [
      { model: 'gpt-6.2-sol', tokens: [1000, 0, 3000], total: 4000 },
      { model: 'gpt-6-luna', tokens: [100, 200, 0], total: 300 },
    ],
    input_tokens: [1000, 180, 2900],
    cached_tokens: [900, 0, 1450],
    totals: { requests: 7, errors: 2, input_tokens: 4080, cached_tokens: 2350, output_tokens: 220, reasoning_tokens: 60, failovers: 1 },
    accounts: [
      { account: 'one@example.com', requests: 5, errors: 1, tokens: 4000 },
      { account: 'two@example.com', requests: 2, errors: 1, tokens: 300 },
    ],
    sessions: [
      {
        session: '0f2c9a7e-session-one',
        requests: 4,
        input_tokens: 3000,
        cached_tokens: 2000,
        output_tokens: 100,
        reasoning_tokens: 30,
        cost: 1000 + 200 + 800,
        models: ['gpt-6.2-sol'],
        accounts: ['one@example.com'],
        first: NOW - 2 * HOUR,
        last: NOW - 60_000,
      },
    ],
    quota: {
      times: [NOW - 2 * HOUR, NOW - HOUR, NOW],
      accounts: [{ account: 'one@example.com', five_hour: [10, 25, 25], weekly: [40, 42, 42] }],
    },
    ...overrides,
  };
}
