// The usage view and the request inspector in a real browser (Debian's Chromium via playwright-core)
// against the real server and the strict fake Codex backend. The usage files are seeded with a
// week of 100 000 requests before the proxy starts (so loading them at start is part of the run),
// and live requests from the Anthropic SDK are added on top. Each chart's numbers, read from its
// legend in the page, must equal sums of the rows behind it (GET /api/usage/rows). Screenshots at
// 1280 px and 360 px (dark) go to test-results/dashboard/.
import Anthropic from '@anthropic-ai/sdk';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { UsageRow, UsageSummary } from '../../shared/api.js';
import { createUsageLog } from '../../main/core/usage/index.js';
import { ev } from '../fakes/codex-events.js';
import { startTestProxy, type TestProxy } from '../support/proxy.js';
import {
  CHROMIUM_PATH,
  hasChromium,
  launchChromium,
  recordConsoleProblems,
  screenshot,
  type ConsoleProblem,
} from './dashboard/browser.js';
import { seedUsage } from './usage/seed.js';

const BUILT_DASHBOARD = path.resolve('dist', 'renderer', 'index.html');
const SEEDED_ROWS = 100_000;
const LIVE_SESSION = 'a11ce000-0000-4000-8000-00000000c0de';
const LIVE_USAGE = { input_tokens: 52_000, cached_tokens: 50_000, output_tokens: 900, reasoning_tokens: 300 };
/** A real 1×1 PNG (the fake backend refuses bytes that are no image). */
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

if (!hasChromium()) console.warn(`usage dashboard e2e skipped: no Chromium at ${CHROMIUM_PATH}`);

const number = (text: string | null): number => Number((text ?? '').replace(/[,%\s]/g, ''));
const isError = (r: UsageRow) => r.status >= 400 && r.status !== 499;
const cost = (input: number, cached: number, output: number) => Math.round(input - cached + cached * 0.1 + output * 8);

describe.skipIf(!hasChromium())('usage view and request inspector in Chromium', () => {
  let dataDir: string;
  let proxy: TestProxy;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let problems: ConsoleProblem[];
  const timings: Record<string, number> = {};

  beforeAll(async () => {
    if (!existsSync(BUILT_DASHBOARD)) throw new Error(`${BUILT_DASHBOARD} is missing: run \`npm run build\` first`);
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'ccp-usage-e2e-'));
    seedUsage(path.join(dataDir, 'usage'), {
      rows: SEEDED_ROWS,
      now: Date.now(),
      accounts: ['user1@example.com', 'user2@example.com'],
    });
    // What the core pays at start for a full week on disk.
    const loadStart = performance.now();
    createUsageLog({ dir: path.join(dataDir, 'usage'), warn: () => undefined }).close();
    timings.load_100k_rows_ms = Math.round(performance.now() - loadStart);

    proxy = await startTestProxy({
      accounts: 2,
      env: { CODEX_CLAUDE_PROXY_HOME: dataDir },
      fake: {
        script: () => ({ kind: 'sse', events: [ev.created(), ...ev.textMessage('Fine.'), ev.completed(LIVE_USAGE)] }),
      },
    });
    const client = new Anthropic({
      baseURL: proxy.url,
      apiKey: 'k',
      maxRetries: 0,
      defaultHeaders: { 'x-claude-code-session-id': LIVE_SESSION },
    });
    for (let i = 0; i < 3; i++) {
      await client.messages.create({
        model: 'claude-sonnet-5-5',
        max_tokens: 200,
        messages: [{ role: 'user', content: `Hello ${i}` }],
      });
    }
    browser = await launchChromium();
    context = await browser.newContext({
      viewport: { width: 1280, height: 800 },
      colorScheme: 'light',
      acceptDownloads: true,
    });
    context.setDefaultTimeout(15_000);
    problems = recordConsoleProblems(context);
    page = await context.newPage();
  });

  afterAll(async () => {
    console.log(`usage view timings (ms): ${JSON.stringify(timings)}`);
    await browser?.close();
    await proxy?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  afterEach(() => {
    expect(problems.splice(0), 'browser console errors, warnings or page errors').toEqual([]);
  });

  const api = async <T>(route: string): Promise<T> => (await fetch(`${proxy.url}${route}`)).json() as Promise<T>;

  /** Moves the cursor to the right edge of a chart (its newest bucket) and reads the legend. */
  async function legendAtNewest(testid: string): Promise<Map<string, string>> {
    const over = page.getByTestId(testid).locator('.u-over');
    const box = (await over.boundingBox())!;
    await over.hover({ position: { x: box.width - 2, y: box.height / 2 } });
    const entries = page.getByTestId(testid).locator('.u-legend .u-series');
    const out = new Map<string, string>();
    for (let i = 0; i < (await entries.count()); i++) {
      const label = (await entries.nth(i).locator('.u-label').textContent()) ?? '';
      out.set(label.trim(), ((await entries.nth(i).locator('.u-value').textContent()) ?? '').trim());
    }
    return out;
  }

  it('draws the last 24 hours from 100 000 rows, and every number equals the rows behind it', async () => {
    const started = performance.now();
    await page.goto(`${proxy.url}/#/usage`);
    await page.locator('[data-testid="view-usage"][data-loaded="24h/1h"]').waitFor();
    await page.getByTestId('usage-chart-tokens').locator('canvas').waitFor();
    timings.first_paint_24h_ms = Math.round(performance.now() - started);

    // The rows of the window the page shows (a new hour may have begun since it loaded).
    const view = page.getByTestId('view-usage');
    const [from, to, newestBucket] = await Promise.all(
      ['data-from', 'data-to', 'data-newest'].map(async (a) => Number(await view.getAttribute(a))),
    );
    const summary = await api<UsageSummary>('/api/usage?range=24h');
    const week = await api<{ rows: UsageRow[] }>('/api/usage/rows?range=7d');
    const rows = week.rows.filter((r) => r.time >= from && r.time < to);
    expect(rows.length).toBeGreaterThan(10_000);
    expect(rows.filter((r) => r.session === LIVE_SESSION)).toHaveLength(3);

    // Totals.
    const sum = (list: UsageRow[], f: (r: UsageRow) => number) => list.reduce((s, r) => s + f(r), 0);
    expect(number(await page.getByTestId('usage-requests').textContent())).toBe(rows.length);
    expect(number(await page.getByTestId('usage-errors').textContent())).toBe(rows.filter(isError).length);
    expect(number(await page.getByTestId('usage-input').textContent())).toBe(sum(rows, (r) => r.input_tokens));
    expect(number(await page.getByTestId('usage-output').textContent())).toBe(sum(rows, (r) => r.output_tokens));
    const hit = Math.round((sum(rows, (r) => r.cached_tokens) / sum(rows, (r) => r.input_tokens)) * 1000) / 10;
    expect(number(await page.getByTestId('usage-hit-rate').textContent())).toBe(hit);

    // The stacked token chart: each model's value in the newest hour.
    const newest = rows.filter((r) => r.time >= newestBucket);
    const legend = await legendAtNewest('usage-chart-tokens');
    const models = [...new Set(rows.map((r) => r.upstream_model!))];
    expect([...legend.keys()].slice(1).sort()).toEqual(models.sort());
    for (const model of models) {
      const expected = sum(
        newest.filter((r) => r.upstream_model === model),
        (r) => r.input_tokens + r.output_tokens,
      );
      expect(number(legend.get(model)!), model).toBe(expected);
    }

    // The cache-hit line in the newest hour.
    const cacheLegend = await legendAtNewest('usage-chart-cache');
    const newestHit =
      Math.round((sum(newest, (r) => r.cached_tokens) / sum(newest, (r) => r.input_tokens)) * 1000) / 10;
    expect(number(cacheLegend.get('cache hit')!)).toBe(newestHit);

    // Requests and errors per account, as the table under the chart lists them.
    const accountRows = page.getByTestId('usage-account-row');
    for (let i = 0; i < (await accountRows.count()); i++) {
      const cells = await accountRows.nth(i).locator('td').allTextContents();
      const mine = rows.filter((r) => r.account === cells[0]);
      expect([number(cells[1]), number(cells[2])], cells[0]).toEqual([mine.length, mine.filter(isError).length]);
    }

    // The costliest sessions, in order, with their cost.
    const bySession = new Map<string, number>();
    for (const s of new Set(rows.map((r) => r.session!))) {
      const mine = rows.filter((r) => r.session === s);
      bySession.set(
        s,
        cost(
          sum(mine, (r) => r.input_tokens),
          sum(mine, (r) => r.cached_tokens),
          sum(mine, (r) => r.output_tokens),
        ),
      );
    }
    const top = [...bySession].sort((a, b) => b[1] - a[1]).slice(0, 10);
    const tableRows = page.getByTestId('usage-session-row');
    expect(await tableRows.count()).toBe(top.length);
    for (let i = 0; i < top.length; i++) {
      expect(await tableRows.nth(i).getAttribute('data-session')).toBe(top[i][0]);
      expect(number(await tableRows.nth(i).getByTestId('usage-session-cost').textContent())).toBe(top[i][1]);
    }

    // Quota: each account's newest reading, held to the right edge (the account that served the
    // live requests has the reading of their x-codex-* headers, 12 %).
    const quotaLegend = await legendAtNewest('usage-chart-quota-5h');
    for (const a of summary.quota.accounts) {
      expect(number(quotaLegend.get(a.account)!), a.account).toBe(a.five_hour.at(-1));
    }
    expect(summary.quota.accounts.map((a) => a.five_hour.at(-1))).toContain(12);
    await screenshot(page, 'usage');
  });

  it('switches to 7 days of daily buckets', async () => {
    const started = performance.now();
    await page.getByTestId('usage-range-7d').click();
    await page.locator('[data-testid="view-usage"][data-loaded="7d/1d"]').waitFor();
    timings.switch_to_7d_ms = Math.round(performance.now() - started);
    const serverStart = performance.now();
    const summary = await api<UsageSummary>('/api/usage?range=7d');
    timings.server_summary_7d_ms = Math.round(performance.now() - serverStart);
    expect(summary.totals.requests).toBeGreaterThanOrEqual(SEEDED_ROWS);
    expect(number(await page.getByTestId('usage-requests').textContent())).toBe(summary.totals.requests);
    const legend = await legendAtNewest('usage-chart-tokens');
    for (const m of summary.tokens_by_model) expect(number(legend.get(m.model)!)).toBe(m.tokens.at(-1));
    const hourly = performance.now();
    await page.getByTestId('usage-bucket').selectOption('1h');
    await page.locator('[data-testid="view-usage"][data-loaded="7d/1h"]').waitFor();
    timings.switch_to_7d_hourly_ms = Math.round(performance.now() - hourly);
    await page.getByTestId('usage-bucket').selectOption('1d');
    await page.locator('[data-testid="view-usage"][data-loaded="7d/1d"]').waitFor();
    await screenshot(page, 'usage-7d');
  });

  it('captures the next request from the Logs view, shows it in the inspector and exports it', async () => {
    await page.goto(`${proxy.url}/#/logs`);
    await page.getByTestId('logs-connection').and(page.locator('[data-state="live"]')).waitFor();
    await page.getByTestId('capture-next-count').fill('1');
    await page.getByTestId('capture-next').click();
    await page.getByTestId('capture-mode').filter({ hasText: 'Capturing the next 1 request' }).waitFor();

    const client = new Anthropic({
      baseURL: proxy.url,
      apiKey: 'k',
      maxRetries: 0,
      defaultHeaders: { 'x-claude-code-session-id': LIVE_SESSION },
    });
    await client.messages.create({
      model: 'claude-opus-5-5',
      max_tokens: 200,
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Describe the image.' },
            { type: 'image', source: { type: 'base64', media_type: 'image/png', data: PNG } },
          ],
        },
      ],
    });

    const badge = page.locator('[data-testid^="log-captured-"]');
    await badge.waitFor();
    const seq = ((await badge.getAttribute('data-testid')) ?? '').replace('log-captured-', '');
    const row = page.getByTestId(`log-row-${seq}`);
    expect(await page.getByTestId(`log-model-${seq}`).textContent()).toMatch(/^claude-opus-5-5 → gpt-/);
    expect(await page.getByTestId(`log-tokens-${seq}`).textContent()).toBe('52,000 in · 50,000 cached · 900 out');
    expect(await page.getByTestId(`log-ttfb-${seq}`).textContent()).toMatch(/^TTFB \d+ ms$/);
    expect(await page.getByTestId(`log-status-${seq}`).textContent()).toBe('200');
    await page.getByTestId(`log-row-toggle-${seq}`).click();
    const body = (await row.getByTestId('inspector-upstream-request').textContent()) ?? '';
    const sent = proxy.fake.requests.filter((r) => r.path.endsWith('/codex/responses')).at(-1)!.body as {
      model: string;
    };
    expect(JSON.parse(body)).toMatchObject({ model: sent.model, stream: true });
    expect(body).toContain('Describe the image.');
    expect(body).toMatch(/\[image\/png elided, \d+ chars\]/);
    expect(body).not.toContain(PNG.slice(0, 30));
    await row.getByTestId('inspector-upstream-events-summary').click();
    expect(await row.getByTestId('inspector-upstream-events').locator('li').count()).toBeGreaterThan(3);
    await screenshot(page, 'logs-inspector');

    const [download] = await Promise.all([page.waitForEvent('download'), row.getByTestId('inspector-export').click()]);
    const id = ((await row.locator('[data-testid^="inspector-req_"]').getAttribute('data-testid')) ?? '').replace(
      'inspector-',
      '',
    );
    expect(download.suggestedFilename()).toBe(`codex-claude-proxy-capture-${id}.json`);
    const file = JSON.parse(readFileSync((await download.path())!, 'utf8')) as {
      exported_by: string;
      id: string;
      upstream_events: unknown[];
    };
    expect(file).toMatchObject({ exported_by: 'codex-claude-proxy', id });
    expect(file.upstream_events.length).toBeGreaterThan(3);
    expect(JSON.stringify(file)).not.toMatch(/eyJ[A-Za-z0-9_-]{4,}\./);
    // "The next 1" is used up: the controls say capture is off again (they poll every 3 s).
    await page.locator('[data-testid="capture-mode"][data-kind="off"]').waitFor();
  });

  it('fits 360 px in dark mode', async () => {
    const narrow = await browser.newContext({ viewport: { width: 360, height: 740 }, colorScheme: 'dark' });
    narrow.setDefaultTimeout(15_000);
    const narrowProblems = recordConsoleProblems(narrow);
    try {
      const small = await narrow.newPage();
      for (const [view, ready] of [
        ['usage', '[data-testid="view-usage"][data-loaded="24h/1h"]'],
        ['logs', '[data-testid="logs-list"]'],
      ] as const) {
        await small.goto(`${proxy.url}/#/${view}`);
        await small.locator(ready).waitFor();
        if (view === 'usage') await small.getByTestId('usage-chart-tokens').locator('canvas').waitFor();
        const overflow = await small.evaluate(
          () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
        );
        expect(overflow, `${view} is wider than 360 px`).toBeLessThanOrEqual(0);
        await screenshot(small, `${view}-360-dark`);
      }
    } finally {
      await narrow.close();
    }
    expect(narrowProblems).toEqual([]);
  });
});
