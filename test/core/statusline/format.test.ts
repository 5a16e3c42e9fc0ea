import { describe, expect, it } from 'vitest';
import type { StatusLineInfo } from '../../../shared/api.js';
import { accountLabel, formatStatusLine, tokenSize } from '../../../main/core/statusline/format.js';
import { parseStatusLineInput } from '../../../main/core/statusline/input.js';

// The shape Claude Code 2.1.332 pipes to a statusLine command (captured; values ours).
const piped = (usage: Record<string, number> | null) =>
  JSON.stringify({
    session_id: 'sess-1',
    model: { id: 'claude-sonnet-5-5', display_name: 'Sonnet 5.5' },
    context_window: { context_window_size: 1000000, current_usage: usage, used_percentage: usage ? 20 : null },
    cost: { total_cost_usd: 0 },
    version: '2.1.332',
  });

const info = (over: Partial<StatusLineInfo> = {}): StatusLineInfo => ({
  model: { slug: 'gpt-6.2-sol', context_window: 500_000 },
  account: { email: 'alice@example.com', status: 'active', five_hour_used_percent: 12.4, weekly_used_percent: 33 },
  pooled: { usable: 2, five_hour_used_percent: 40, weekly_used_percent: 50 },
  ...over,
});

const input = parseStatusLineInput(
  piped({
    input_tokens: 5000,
    cache_creation_input_tokens: 15000,
    cache_read_input_tokens: 185000,
    output_tokens: 900,
  }),
);

describe('parseStatusLineInput', () => {
  it('reads session, model and the tokens in context (input + cache writes + cache reads)', () => {
    expect(input).toEqual({
      sessionId: 'sess-1',
      modelId: 'claude-sonnet-5-5',
      modelName: 'Sonnet 5.5',
      contextTokens: 205000,
    });
  });

  it('treats anything else as unknown', () => {
    expect(parseStatusLineInput(piped(null)).contextTokens).toBeNull();
    for (const text of [
      '',
      'not json',
      '[1]',
      '{"model": "x", "context_window": {"current_usage": {"input_tokens": "9"}}}',
    ]) {
      expect(parseStatusLineInput(text)).toMatchObject({ sessionId: '', modelId: '' });
    }
  });
});

describe('formatStatusLine', () => {
  it('shows the Codex model, its real window, and the session account’s quota', () => {
    expect(formatStatusLine(input, { kind: 'ok', info: info() })).toBe(
      'gpt-6.2-sol · ctx 41% of 500k · 5h 12% · wk 33% · a@…',
    );
  });

  it('says when the account is limited or must sign in again', () => {
    const limited = info({ account: { ...info().account!, status: 'cooldown', five_hour_used_percent: 100 } });
    expect(formatStatusLine(input, { kind: 'ok', info: limited })).toBe(
      'gpt-6.2-sol · ctx 41% of 500k · 5h 100% · wk 33% · a@… limited',
    );
    const relogin = info({ account: { ...info().account!, status: 'needs_relogin' } });
    expect(formatStatusLine(input, { kind: 'ok', info: relogin })).toContain('a@… sign-in needed');
  });

  it('uses the pooled quota before the session has an account, and says when none is usable', () => {
    expect(formatStatusLine(input, { kind: 'ok', info: info({ account: null }) })).toBe(
      'gpt-6.2-sol · ctx 41% of 500k · 5h 40% · wk 50% · pool',
    );
    const none = info({
      account: null,
      pooled: { usable: 0, five_hour_used_percent: null, weekly_used_percent: null },
    });
    expect(formatStatusLine(input, { kind: 'ok', info: none })).toBe(
      'gpt-6.2-sol · ctx 41% of 500k · no usable account',
    );
  });

  it('falls back to what Claude Code knows when the proxy does not route the model', () => {
    expect(formatStatusLine(input, { kind: 'ok', info: info({ model: null }) })).toBe(
      'Sonnet 5.5 · ctx 205k · 5h 12% · wk 33% · a@…',
    );
    const fresh = parseStatusLineInput(piped(null));
    expect(formatStatusLine(fresh, { kind: 'ok', info: info() })).toBe(
      'gpt-6.2-sol · ctx 0% of 500k · 5h 12% · wk 33% · a@…',
    );
  });

  it('prints something sensible for every way the proxy can fail', () => {
    const where = '127.0.0.1:8081';
    expect(formatStatusLine(input, { kind: 'offline', where })).toBe('proxy offline (127.0.0.1:8081) · Sonnet 5.5');
    expect(formatStatusLine(input, { kind: 'timeout', where })).toBe(
      'proxy not answering (127.0.0.1:8081) · Sonnet 5.5',
    );
    expect(formatStatusLine(input, { kind: 'refused', where })).toBe(
      'proxy refused the token (127.0.0.1:8081) · Sonnet 5.5',
    );
    expect(formatStatusLine(input, { kind: 'error', where, status: 502 })).toBe(
      'proxy error 502 (127.0.0.1:8081) · Sonnet 5.5',
    );
    expect(formatStatusLine(parseStatusLineInput(''), { kind: 'offline', where })).toBe(
      'proxy offline (127.0.0.1:8081)',
    );
  });

  it('never lets control characters through to the terminal', () => {
    const evil = parseStatusLineInput(JSON.stringify({ model: { id: 'x', display_name: 'A\u001b[31mB\nC' } }));
    expect(formatStatusLine(evil, { kind: 'offline', where: 'h' })).toBe('proxy offline (h) · A[31mBC');
  });
});

describe('sizes and labels', () => {
  it('writes sizes as Claude Code does', () => {
    expect([
      tokenSize(272_000),
      tokenSize(500_000),
      tokenSize(1_000_000),
      tokenSize(1_050_000),
      tokenSize(950),
    ]).toEqual(['272k', '500k', '1m', '1.1m', '950']);
  });

  it('shows an account by its first letter only', () => {
    expect([accountLabel('bob@x.org'), accountLabel(null), accountLabel('@weird')]).toEqual([
      'b@…',
      'account',
      'account',
    ]);
  });
});
