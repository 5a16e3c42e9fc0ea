import { EventEmitter } from 'node:events';
import { mkdtemp, readdir, readFile, rm, stat, appendFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AccountsResponse, UsageRow } from '../../../shared/api.js';
import { createUsageLog, RETENTION_MS, type UsageLog } from '../../../main/core/usage/index.js';
import { isNewSample, type QuotaSource } from '../../../main/core/usage/quota-recorder.js';

let dir: string;
let logs: UsageLog[];
let now: number;
const warnings: string[] = [];

function open(extra: Partial<Parameters<typeof createUsageLog>[0]> = {}): UsageLog {
  const log = createUsageLog({ dir, warn: (m) => warnings.push(m), now: () => now, ...extra });
  logs.push(log);
  return log;
}

/** Records a row through a trace, the way the routes do. */
function record(log: UsageLog, row: Partial<UsageRow> & { session?: string }): void {
  const trace = log.begin({
    id: `req_${Math.random()}`,
    path: '/v1/messages',
    model: row.model ?? 'claude-sonnet-5-5',
    session: row.session,
    started: now - 500,
  });
  trace.attempt(row.account ?? 'a@example.test');
  trace.answered();
  trace.finish({
    status: row.status ?? 200,
    meta: { upstreamModel: row.upstream_model ?? 'gpt-6.2-sol', account: row.account ?? 'a@example.test' },
    usage: { input_tokens: 10, cache_read_input_tokens: 90, output_tokens: 5 },
  });
}

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'ccp-usage-'));
  logs = [];
  now = Date.UTC(2026, 2, 10, 12);
  warnings.length = 0;
});

afterEach(async () => {
  for (const log of logs) log.close();
  await rm(dir, { recursive: true, force: true });
});

describe('the usage log on disk', () => {
  it('keeps rows across a restart and answers the same summary', async () => {
    const first = open();
    record(first, { session: 's1' });
    record(first, { session: 's2', status: 429 });
    const before = first.summary('24h');
    first.close();

    const second = open();
    expect(second.rows('24h')).toEqual(first.rows('24h'));
    expect(second.summary('24h')).toEqual(before);
    expect(before.totals).toMatchObject({
      requests: 2,
      errors: 1,
      input_tokens: 200,
      cached_tokens: 180,
      output_tokens: 10,
    });
    expect(second.rows('24h')[0]).toMatchObject({ ttfb_ms: 500, duration_ms: 500, attempts: 1 });
  });

  it('rotates by size, keeps a bounded number of files, and loads what they hold', async () => {
    const small = { maxBytes: 2000, keep: 2 };
    const log = open({ rowsFile: small });
    for (let i = 0; i < 200; i++) {
      now += 1000;
      record(log, { session: `s${i}` });
    }
    const files = (await readdir(dir)).filter((f) => f.startsWith('requests.jsonl')).sort();
    expect(files).toEqual(['requests.jsonl', 'requests.jsonl.1', 'requests.jsonl.2']);
    for (const f of files) expect((await stat(path.join(dir, f))).size).toBeLessThanOrEqual(small.maxBytes);
    log.close();

    const reloaded = open({ rowsFile: small });
    const rows = reloaded.rows('24h');
    expect(rows.length).toBeGreaterThan(20);
    expect(rows.length).toBeLessThan(200);
    // The newest rows survive rotation, in order.
    expect(rows.at(-1)?.session).toBe('s199');
    expect(rows.map((r) => r.time)).toEqual([...rows.map((r) => r.time)].sort((a, b) => a - b));
  });

  it('skips a torn last line (a crash mid-write) and carries on appending', async () => {
    const log = open();
    record(log, {});
    log.close();
    await appendFile(path.join(dir, 'requests.jsonl'), '[1,1773144000000,"claude-son');
    const again = open();
    expect(again.rows('24h')).toHaveLength(1);
    record(again, {});
    again.close();
    expect(open().rows('24h')).toHaveLength(2);
  });

  it('holds no prompt text and no credentials, only counts and names', async () => {
    const log = open();
    record(log, { session: 'sess-xyz' });
    log.close();
    const text = await readFile(path.join(dir, 'requests.jsonl'), 'utf8');
    expect(JSON.parse(text)).toEqual([
      1,
      now,
      'claude-sonnet-5-5',
      'gpt-6.2-sol',
      'a@example.test',
      'sess-xyz',
      100,
      90,
      5,
      0,
      500,
      500,
      200,
      1,
    ]);
  });

  it('lets rows older than the longest range go', () => {
    const log = open();
    record(log, {});
    now += RETENTION_MS + 1;
    record(log, {});
    expect(log.size().rows).toBe(1);
  });

  it('keeps logging in memory when the directory cannot be written', async () => {
    // A directory under a plain file: ENOTDIR on the first write.
    await appendFile(path.join(dir, 'plain-file'), '');
    const log = open({ dir: path.join(dir, 'plain-file', 'usage') });
    record(log, {});
    expect(log.rows('1h')).toHaveLength(1);
    expect(warnings.join('\n')).toMatch(/usage file .* disabled/);
  });
});

class FakePool extends EventEmitter implements QuotaSource {
  list_: AccountsResponse = { accounts: [], strategy: 'sticky', secret_store: 'file' };
  listed = 0;
  async list(): Promise<AccountsResponse> {
    this.listed++;
    return this.list_;
  }
  set(email: string, fiveHour: number, weekly: number, updatedAt: number): void {
    const quota = {
      five_hour: { used_percent: fiveHour, window_minutes: 300, resets_at: null },
      weekly: { used_percent: weekly, window_minutes: 10_080, resets_at: null },
      plan_type: 'plus',
      updated_at: updatedAt,
    };
    this.list_ = {
      ...this.list_,
      accounts: [
        ...this.list_.accounts.filter((a) => a.email !== email),
        {
          id: email,
          email,
          account_id: email,
          plan: 'plus',
          status: 'active',
          status_until: null,
          status_reason: null,
          quota,
          preferred: false,
          added_at: '',
          source: 'oauth',
        },
      ],
    };
    this.emit('change');
  }
}

describe('quota over time', () => {
  it('writes a sample when an account’s numbers change, or after the heartbeat', () => {
    const a = { time: 1000, account: 'a', five_hour: 10, weekly: 20 };
    expect(isNewSample(undefined, a)).toBe(true);
    expect(isNewSample(a, { ...a, time: 2000 })).toBe(false);
    expect(isNewSample(a, { ...a, time: 2000, five_hour: 11 })).toBe(true);
    expect(isNewSample(a, { ...a, time: 999, five_hour: 11 })).toBe(false);
    expect(isNewSample(a, { ...a, time: 1000 + 15 * 60_000 })).toBe(true);
  });

  it('samples the pool on its change events (debounced) and keeps the history across a restart', async () => {
    const pool = new FakePool();
    const log = open({ quota: pool, quotaDebounceMs: 50 });
    pool.set('a@x', 10, 30, now - 60_000);
    pool.set('a@x', 12, 31, now - 30_000);
    pool.set('b@x', 50, 60, now - 10_000);
    await vi.waitFor(() => expect(log.size().quota).toBe(2));
    expect(pool.listed).toBe(1);
    const q = log.summary('1h').quota;
    // Debounced: one sampling after the burst sees the latest numbers of both accounts.
    expect(q.accounts.map((a) => a.account)).toEqual(['a@x', 'b@x']);
    expect(q.accounts[0].five_hour.filter((v) => v !== null)).toEqual([12, 12]);
    log.close();

    const again = open({ quota: new FakePool() });
    expect(again.summary('1h').quota).toEqual(q);
    expect(again.size().quota).toBe(2);
  });

  it('does not write an unchanged sample again after a restart', async () => {
    const pool = new FakePool();
    const log = open({ quota: pool, quotaDebounceMs: 0 });
    pool.set('a@x', 10, 30, now - 60_000);
    await vi.waitFor(() => expect(log.size().quota).toBe(1));
    log.close();
    const again = open({ quota: pool, quotaDebounceMs: 0 });
    pool.emit('change');
    await vi.waitFor(() => expect(pool.listed).toBe(2));
    await new Promise((r) => setImmediate(r));
    expect(again.size().quota).toBe(1);
  });
});
