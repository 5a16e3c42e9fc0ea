// With an API key set, the real dashboard in a real browser (Chromium) still works without the
// user typing the key: the page served by the proxy carries the session cookie, and every call the
// page makes (fetch and the EventSource of the live log) sends it back. Another site's page in the
// same browser changes nothing. Skipped without Chromium or a built dashboard.
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  hasChromium,
  launchChromium,
  recordConsoleProblems,
  type ConsoleProblem,
} from '../../e2e/dashboard/browser.js';
import { startHarness, type Harness } from './harness.js';

const BUILT = path.resolve('dist', 'renderer');
const available = hasChromium() && existsSync(path.join(BUILT, 'index.html'));

describe.skipIf(!available)('the dashboard with an API key, in Chromium', () => {
  let h: Harness;
  let browser: Browser;
  let context: BrowserContext;
  let problems: ConsoleProblem[];

  beforeAll(async () => {
    h = await startHarness({ apiKey: 'dashboard-e2e-key', rendererDir: BUILT });
    browser = await launchChromium();
    context = await browser.newContext();
    context.setDefaultTimeout(15_000);
    problems = recordConsoleProblems(context);
  });
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  it('shows accounts, quota and the live log without asking for the key', async () => {
    const page = await context.newPage();
    await page.goto(`${h.url}/#/overview`);
    await page.getByTestId('overview-status').filter({ hasText: 'Running' }).waitFor();
    await page
      .getByTestId('overview-accounts')
      .filter({ hasText: /1\s*\/\s*1/ })
      .waitFor();
    await page.goto(`${h.url}/#/logs`);
    await page.getByTestId('logs-connection').and(page.locator('[data-state="live"]')).waitFor();
    await page.locator('[data-testid^="log-row-"]').first().waitFor();
    const cookies = await context.cookies(h.url);
    expect(cookies.map((c) => ({ httpOnly: c.httpOnly, sameSite: c.sameSite }))).toEqual([
      { httpOnly: true, sameSite: 'Strict' },
    ]);
    expect(problems).toEqual([]);
    await page.close();
  });

  it("another site's page in the same browser cannot change anything", async () => {
    const before = (await h.core.pool.list()).strategy;
    const page = await context.newPage();
    // localhost and 127.0.0.1 are different sites to the browser: this page is "another site".
    await page.goto(`http://localhost:${h.port}/health`);
    const target = before === 'sticky' ? 'round-robin' : 'sticky';
    await page.evaluate(
      async ([url, strategy]) => {
        // A simple request needs no preflight; the cookie stays home (SameSite=Strict).
        await fetch(`${url}/accounts/strategy`, {
          method: 'POST',
          mode: 'no-cors',
          credentials: 'include',
          headers: { 'content-type': 'text/plain' },
          body: JSON.stringify({ strategy }),
        });
      },
      [h.url, target],
    );
    expect((await h.core.pool.list()).strategy).toBe(before);
    await page.close();
  });
});
