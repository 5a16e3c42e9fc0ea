// Builders for usage rows in tests.
import type { UsageRow } from '../../../shared/api.js';

export function usageRow(overrides: Partial<UsageRow> = {}): UsageRow {
  return {
    time: Date.UTC(2026, 2, 1, 12, 0, 0),
    model: 'claude-sonnet-5-5',
    upstream_model: 'gpt-6.2-sol',
    account: 'a@example.test',
    session: 'session-1',
    input_tokens: 1000,
    cached_tokens: 800,
    output_tokens: 50,
    reasoning_tokens: 20,
    ttfb_ms: 300,
    duration_ms: 1200,
    status: 200,
    attempts: 1,
    ...overrides,
  };
}
