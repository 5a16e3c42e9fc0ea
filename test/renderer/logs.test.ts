// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { appendLogs, extraFields, isNewer, levelAtLeast, logKey, matchesFilter, requestCells } from '../../renderer/src/lib/logs.js';
import { logEntry } from './support/fixtures.js';

const request = logEntry(7, {
  msg: 'request done',
  request: { id: 'req_9', method: 'POST', path: '/v1/messages', model: 'claude-sonnet-5-5', upstream_model: 'gpt-5.2-codex', account: 'one@example.com', status: 200, latency_ms: 1234 },
});

describe('log filtering', () => {
  it('orders levels', () => {
    expect(levelAtLeast('error', 'warn')).toBe(true);
    expect(levelAtLeast('info', 'warn')).toBe(false);
    expect(levelAtLeast('debug', 'debug')).toBe(true);
  });

  it('filters by minimum level and by text over the message and request fields', () => {
    const debug = logEntry(1, { level: 'debug', msg: 'noise' });
    expect(matchesFilter(debug, { level: 'info', text: '' })).toBe(false);
    expect(matchesFilter(debug, { level: 'debug', text: '' })).toBe(true);
    expect(matchesFilter(request, { level: 'info', text: 'GPT-5.2' })).toBe(true);
    expect(matchesFilter(request, { level: 'info', text: 'one@example' })).toBe(true);
    expect(matchesFilter(request, { level: 'info', text: '  200 ' })).toBe(true);
    expect(matchesFilter(request, { level: 'info', text: 'haiku' })).toBe(false);
  });

  it('separates extra fields from the ones every entry has', () => {
    expect(extraFields(request)).toBeNull();
    expect(extraFields(logEntry(2, { err: { message: 'boom' }, reason: 'x' }))).toEqual({ err: { message: 'boom' }, reason: 'x' });
  });

  it('turns request rows into columns: status, models, account, tokens, TTFB, duration', () => {
    expect(requestCells({ ...request.request!, input_tokens: 12_000, cached_tokens: 9000, output_tokens: 40, ttfb_ms: 320 })).toEqual({
      status: '200',
      statusClass: 'ok',
      model: 'claude-sonnet-5-5 → gpt-5.2-codex',
      account: 'one@example.com',
      tokens: '12,000 in · 9,000 cached · 40 out',
      ttfb: '320 ms',
      duration: '1234 ms',
    });
    expect(requestCells({ id: 'r', method: 'POST', path: '/v1/messages', status: 429, latency_ms: 65_000 })).toMatchObject({
      statusClass: 'client',
      model: '/v1/messages',
      tokens: null,
      ttfb: null,
      duration: '65.0 s',
    });
    expect(requestCells({ id: 'r', method: 'POST', path: '/v1/messages', status: 502 }).statusClass).toBe('error');
    expect(requestCells({ id: 'r', method: 'POST', path: '/v1/messages' })).toMatchObject({ status: '—', statusClass: 'none' });
  });
});

describe('log list', () => {
  it('recognises a history replay after a reconnect, but not a restarted server', () => {
    const last = logEntry(10);
    expect(isNewer(logEntry(11), last)).toBe(true);
    expect(isNewer(logEntry(10), last)).toBe(false);
    expect(isNewer(logEntry(3), last)).toBe(false);
    expect(isNewer(logEntry(1, { time: last.time + 5000 }), last)).toBe(true);
    expect(isNewer(logEntry(1), undefined)).toBe(true);
  });

  it('keeps only the newest rows', () => {
    const list = Array.from({ length: 5 }, (_, i) => logEntry(i + 1));
    const out = appendLogs(list, [logEntry(6), logEntry(7)], 5);
    expect(out.map((e) => e.seq)).toEqual([3, 4, 5, 6, 7]);
    expect(list).toHaveLength(5);
  });

  it('keys rows by time and seq', () => {
    expect(logKey(logEntry(1))).not.toBe(logKey(logEntry(1, { time: 1 })));
  });
});
