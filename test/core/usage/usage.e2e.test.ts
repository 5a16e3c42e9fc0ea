// The usage log and the request inspector through the real server against the strict fake Codex
// backend, with the official SDKs as clients: rows with the upstream's token counts, failover
// attempts, quota history from the x-codex-* headers, opt-in redacted captures and their export,
// and the rows surviving a restart.
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { rm } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CaptureState, LogEntry, RequestCapture, UsageRow, UsageSummary } from '../../../shared/api.js';
import { createCore } from '../../../main/core/index.js';
import { ev } from '../../fakes/codex-events.js';
import { usageLimitReply, type Reply } from '../../fakes/codex-backend.js';
import { startTestProxy, type TestProxy } from '../../support/proxy.js';

const SESSION = '6f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b';
const USAGE = { input_tokens: 1200, cached_tokens: 1000, output_tokens: 40, reasoning_tokens: 25 };

let p: TestProxy;
let failFirst: boolean;

function answer(): Reply {
  return {
    kind: 'sse',
    events: [
      ev.created(),
      ...ev.reasoning(['Thinking it over.'], 'encrypted-reasoning'),
      ...ev.textMessage('Hello there.'),
      ev.completed(USAGE),
    ],
  };
}

beforeEach(async () => {
  failFirst = false;
  p = await startTestProxy({
    accounts: 2,
    fake: { script: (_req, n) => (failFirst && n === 0 ? usageLimitReply(3600) : answer()) },
  });
});

afterEach(async () => {
  await p.close();
});

async function get<T>(route: string): Promise<{ status: number; body: T }> {
  const res = await fetch(`${p.url}${route}`);
  return { status: res.status, body: (await res.json()) as T };
}

async function put<T>(route: string, body: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(`${p.url}${route}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as T };
}

function anthropic(): Anthropic {
  return new Anthropic({
    baseURL: p.url,
    apiKey: 'test-key',
    maxRetries: 0,
    defaultHeaders: { 'x-claude-code-session-id': SESSION },
  });
}

const rows = async (range = '1h') => (await get<{ rows: UsageRow[] }>(`/api/usage/rows?range=${range}`)).body.rows;
const requestEntries = async () =>
  (await get<{ entries: LogEntry[] }>('/api/logs')).body.entries.filter((e) => e.request);

describe('usage log through the server', () => {
  it('records one row per request with the upstream token counts, TTFB and the session', async () => {
    const stream = anthropic().messages.stream({
      model: 'claude-sonnet-5-5',
      max_tokens: 1000,
      messages: [{ role: 'user', content: 'Hi' }],
    });
    await stream.finalMessage();
    await anthropic().messages.create({
      model: 'claude-opus-5-5',
      max_tokens: 1000,
      messages: [{ role: 'user', content: 'Hi' }],
    });
    const openai = new OpenAI({ baseURL: `${p.url}/v1`, apiKey: 'k', maxRetries: 0 });
    await openai.chat.completions.create({ model: 'claude-haiku-5-5', messages: [{ role: 'user', content: 'Hi' }] });

    const all = await rows();
    expect(all).toHaveLength(3);
    for (const row of all) {
      expect(row).toMatchObject({
        input_tokens: 1200,
        cached_tokens: 1000,
        output_tokens: 40,
        reasoning_tokens: 25,
        status: 200,
        attempts: 1,
      });
      expect(row.upstream_model).toMatch(/^gpt-/);
      expect(row.account).toMatch(/@example\.com$/);
      expect(row.ttfb_ms).toBeGreaterThanOrEqual(0);
      expect(row.duration_ms).toBeGreaterThanOrEqual(row.ttfb_ms!);
    }
    expect(all.map((r) => [r.model, r.session])).toEqual([
      ['claude-sonnet-5-5', SESSION],
      ['claude-opus-5-5', SESSION],
      ['claude-haiku-5-5', null],
    ]);

    const summary = (await get<UsageSummary>('/api/usage?range=1h')).body;
    expect(summary.totals).toMatchObject({
      requests: 3,
      errors: 0,
      input_tokens: 3600,
      cached_tokens: 3000,
      output_tokens: 120,
    });
    expect(summary.tokens_by_model.reduce((s, m) => s + m.total, 0)).toBe(3 * 1240);
    expect(summary.sessions).toEqual([
      expect.objectContaining({ session: SESSION, requests: 2, cost: 2 * (200 + 100 + 320) }),
    ]);

    // The log rows carry the same numbers for the Logs view.
    const logged = (await requestEntries()).map((e) => e.request);
    expect(logged).toHaveLength(3);
    expect(logged[0]).toMatchObject({ input_tokens: 1200, cached_tokens: 1000, reasoning_tokens: 25, attempts: 1 });
    expect(logged[0]?.ttfb_ms).toBe(all[0].ttfb_ms);
  });

  it('counts failover attempts and the refused account’s error', async () => {
    failFirst = true;
    await anthropic().messages.create({
      model: 'claude-sonnet-5-5',
      max_tokens: 100,
      messages: [{ role: 'user', content: 'Hi' }],
    });
    const [row] = await rows();
    expect(row).toMatchObject({ status: 200, attempts: 2 });
    const summary = (await get<UsageSummary>('/api/usage?range=1h')).body;
    expect(summary.totals.failovers).toBe(1);
  });

  it('records a refused request as an error of its account', async () => {
    await p.core.pool.list();
    p.fake.limitAccount('acct-1', 3600);
    p.fake.limitAccount('acct-2', 3600);
    await expect(
      anthropic().messages.create({
        model: 'claude-sonnet-5-5',
        max_tokens: 100,
        messages: [{ role: 'user', content: 'Hi' }],
      }),
    ).rejects.toThrow();
    const [row] = await rows();
    expect(row.status).toBe(429);
    expect(row.attempts).toBe(2);
    const summary = (await get<UsageSummary>('/api/usage?range=1h')).body;
    expect(summary.totals.errors).toBe(1);
    expect(summary.accounts.reduce((s, a) => s + a.errors, 0)).toBe(1);
  });

  it('records the quota the x-codex-* headers report, per account', async () => {
    await anthropic().messages.create({
      model: 'claude-sonnet-5-5',
      max_tokens: 100,
      messages: [{ role: 'user', content: 'Hi' }],
    });
    await vi.waitFor(
      async () => {
        const { quota } = (await get<UsageSummary>('/api/usage?range=1h')).body;
        expect(quota.accounts.length).toBeGreaterThan(0);
        expect(quota.accounts[0].five_hour).toContain(12);
        expect(quota.accounts[0].weekly).toContain(34);
      },
      { timeout: 10_000, interval: 200 },
    );
  });

  it('answers bad parameters with an Anthropic-shaped 400', async () => {
    for (const route of ['/api/usage?range=2d', '/api/usage?range=1h&bucket=1w', '/api/usage/rows?range=']) {
      const res = await get<{ type: string; error: { type: string } }>(route);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } });
    }
    const bad = await put<{ error: { message: string } }>('/api/capture', { kind: 'next', count: -1 });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/count/);
    const missing = await get<{ error: { type: string } }>('/api/captures/req_nope');
    expect(missing.status).toBe(404);
    expect(missing.body.error.type).toBe('not_found_error');
  });

  it('keeps the rows across a restart of the core', async () => {
    await anthropic().messages.create({
      model: 'claude-sonnet-5-5',
      max_tokens: 100,
      messages: [{ role: 'user', content: 'Hi' }],
    });
    const before = await rows();
    await p.core.close();
    const core = await createCore({ env: p.env, port: 0, host: '127.0.0.1' });
    try {
      const { url } = await core.start();
      const after = ((await (await fetch(`${url}/api/usage/rows?range=1h`)).json()) as { rows: UsageRow[] }).rows;
      expect(after).toEqual(before);
    } finally {
      await core.close();
      // p.close() would close the first core again; release the rest by hand.
      await p.fake.close();
      await rm(p.home, { recursive: true, force: true });
      p.close = async () => undefined;
    }
  });
});

describe('request inspector captures', () => {
  it('captures the next request only, redacted, and exports it as a file', async () => {
    const armed = await put<CaptureState>('/api/capture', { kind: 'next', count: 1 });
    expect(armed.body.mode).toEqual({ kind: 'next', count: 1 });
    // A real 1×1 PNG: the fake backend, like the real one, refuses bytes that are no image.
    const png = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';
    await anthropic().messages.create({
      model: 'claude-sonnet-5-5',
      max_tokens: 100,
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is in this picture?' },
            { type: 'image', source: { type: 'base64', media_type: 'image/png', data: png } },
          ],
        },
      ],
    });
    await anthropic().messages.create({
      model: 'claude-sonnet-5-5',
      max_tokens: 100,
      messages: [{ role: 'user', content: 'Not captured' }],
    });

    const state = (await get<CaptureState>('/api/capture')).body;
    expect(state.mode).toEqual({ kind: 'off' });
    expect(state.captures).toHaveLength(1);
    const [entry] = await requestEntries();
    expect(entry.request?.captured).toBe(true);
    expect((await requestEntries())[1].request?.captured).toBeUndefined();
    expect(state.captures[0].id).toBe(entry.request?.id);

    const capture = (await get<RequestCapture>(`/api/captures/${state.captures[0].id}`)).body;
    const sent = p.fake.requests.filter((r) => r.path.endsWith('/codex/responses'))[0].body as { model: string };
    expect(capture.upstream_request).toMatchObject({ model: sent.model, stream: true });
    const text = JSON.stringify(capture);
    expect(text).toContain('What is in this picture?');
    expect(text).not.toContain(png.slice(0, 40));
    expect(text).toMatch(/\[image\/png elided, \d+ chars\]/);
    expect(text).not.toMatch(/eyJ[A-Za-z0-9_-]{4,}\./);
    expect(capture.upstream_events.map((e) => (e as { type: string }).type)).toContain('response.completed');
    expect(capture.client_events.map((e) => (e as { type: string }).type)).toEqual(
      expect.arrayContaining(['message_start', 'message_stop']),
    );
    expect(capture.attempts).toEqual([{ account: expect.stringMatching(/@example\.com$/) }]);
    expect(capture.status).toBe(200);

    const exported = await fetch(`${p.url}/api/captures/${capture.id}/export`);
    expect(exported.headers.get('content-disposition')).toBe(
      `attachment; filename="codex-claude-proxy-capture-${capture.id}.json"`,
    );
    expect(await exported.json()).toEqual({ exported_by: 'codex-claude-proxy', ...capture });

    const cleared = await fetch(`${p.url}/api/captures`, { method: 'DELETE' });
    expect(((await cleared.json()) as CaptureState).captures).toEqual([]);
  });

  it('captures a whole session until turned off', async () => {
    await put('/api/capture', { kind: 'session', session: SESSION });
    const other = new Anthropic({ baseURL: p.url, apiKey: 'k', maxRetries: 0 });
    await other.messages.create({
      model: 'claude-sonnet-5-5',
      max_tokens: 100,
      messages: [{ role: 'user', content: 'other' }],
    });
    await anthropic().messages.create({
      model: 'claude-sonnet-5-5',
      max_tokens: 100,
      messages: [{ role: 'user', content: 'one' }],
    });
    await anthropic().messages.create({
      model: 'claude-sonnet-5-5',
      max_tokens: 100,
      messages: [{ role: 'user', content: 'two' }],
    });
    await put('/api/capture', { kind: 'off' });
    await anthropic().messages.create({
      model: 'claude-sonnet-5-5',
      max_tokens: 100,
      messages: [{ role: 'user', content: 'three' }],
    });
    const state = (await get<CaptureState>('/api/capture')).body;
    expect(state.captures.map((c) => c.session)).toEqual([SESSION, SESSION]);
  });
});
