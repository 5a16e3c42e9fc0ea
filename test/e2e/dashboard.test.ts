// The dashboard in a real browser (Debian's Chromium via playwright-core) against the real server,
// the strict fake Codex backend, the fake OAuth issuer and the fake OpenRouter: sign in, quota,
// test prompt, live logs, Claude Code settings on disk, strategy, models and the OpenRouter lane.
// The `it`s share one browser and one server and run in order; each view is saved as a screenshot.
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { AccountsResponse, OpenRouterConfig } from '../../shared/api.js';
import { ev, splitText } from '../fakes/codex-events.js';
import { startFakeIssuer, type FakeIssuer } from '../fakes/oauth-issuer.js';
import { startFakeOpenRouter, textReply, type FakeOpenRouter } from '../fakes/openrouter.js';
import { startTestProxy, type TestProxy } from '../support/proxy.js';
import {
  CHROMIUM_PATH,
  hasChromium,
  launchChromium,
  recordConsoleProblems,
  screenshot,
  type ConsoleProblem,
} from './dashboard/browser.js';
import { freePort } from './dashboard/free-port.js';

const BUILT_DASHBOARD = path.resolve('dist', 'renderer', 'index.html');
const VIEWS = ['overview', 'accounts', 'models', 'prompt', 'usage', 'logs', 'claude'] as const;
/** An element each view shows once its data is in, so a screenshot is not of a loading state. */
const LOADED: Record<(typeof VIEWS)[number], string> = {
  overview: 'overview-quota-5h',
  accounts: 'accounts-list',
  models: 'openrouter-key-state',
  prompt: 'prompt-usage',
  usage: 'usage-totals',
  logs: 'logs-list',
  claude: 'claude-state',
};
/** What the user had in settings.json before: configure must keep it, restore must bring it back byte for byte. */
const USER_SETTINGS = '{\n  "theme": "dark",\n  "env": { "MY_OWN_VAR": "1" }\n}\n';
const OPENROUTER_KEY = 'sk-or-v1-dashboard-e2e-secret';

if (!hasChromium()) console.warn(`dashboard e2e skipped: no Chromium at ${CHROMIUM_PATH} (apt-get install chromium)`);

describe.skipIf(!hasChromium())('dashboard in Chromium', () => {
  let issuer: FakeIssuer;
  let openRouter: FakeOpenRouter;
  let proxy: TestProxy;
  let claudeDir: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let problems: ConsoleProblem[];

  beforeAll(async () => {
    if (!existsSync(BUILT_DASHBOARD)) throw new Error(`${BUILT_DASHBOARD} is missing: run \`npm run build\` first`);
    issuer = await startFakeIssuer({ identity: { accountId: 'acct-dash', email: 'dash@example.test', plan: 'pro' } });
    const callbackPort = await freePort();
    issuer.registerRedirectUri(`http://localhost:${callbackPort}/auth/callback`);
    openRouter = await startFakeOpenRouter({ apiKey: OPENROUTER_KEY });
    claudeDir = await mkdtemp(path.join(os.tmpdir(), 'ccp-dash-claude-'));
    await writeFile(path.join(claudeDir, 'settings.json'), USER_SETTINGS);
    proxy = await startTestProxy({
      accounts: 0,
      env: {
        OPENAI_AUTH_URL: issuer.url,
        CODEX_CLAUDE_PROXY_CALLBACK_PORT: String(callbackPort),
        CLAUDE_CONFIG_DIR: claudeDir,
        OPENROUTER_BASE_URL: openRouter.url,
      },
    });
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: 'light' });
    context.setDefaultTimeout(10_000);
    problems = recordConsoleProblems(context);
    page = await context.newPage();
    await page.goto(`${proxy.url}/`);
  });

  afterAll(async () => {
    await browser?.close();
    await proxy?.close();
    await openRouter?.close();
    await issuer?.close();
    if (claudeDir) await rm(claudeDir, { recursive: true, force: true });
  });

  afterEach(() => {
    expect(
      problems.splice(0),
      'browser console errors, warnings or page errors',
    ).toEqual([]);
  });

  const open = async (view: (typeof VIEWS)[number]): Promise<void> => {
    await page.getByTestId(`tab-${view}`).click();
    await page.getByTestId(`view-${view}`).waitFor();
  };
  const api = async <T>(route: string): Promise<T> => (await fetch(`${proxy.url}${route}`)).json() as Promise<T>;

  it('starts empty, then signs in through the OAuth issuer and shows the account with its quota', async () => {
    await page.getByTestId('overview-status').filter({ hasText: 'Running' }).waitFor();
    await page
      .getByTestId('overview-accounts')
      .filter({ hasText: /0\s*\/\s*0/ })
      .waitFor();
    await open('accounts');
    await page.getByTestId('accounts-empty').waitFor();

    // The page opens the issuer in a new tab; the issuer redirects to our callback server.
    const [signIn] = await Promise.all([context.waitForEvent('page'), page.getByTestId('account-add').click()]);
    await signIn.waitForURL(/localhost:\d+\/auth\/callback/);
    await signIn.waitForLoadState();
    expect(await signIn.textContent('body')).toContain('dash@example.test is now available to codex-claude-proxy');
    await signIn.close();

    await page.getByTestId('account-add-status').and(page.locator('[data-state="done"]')).waitFor();
    const row = page.locator('[data-testid^="account-row-"]');
    await row.filter({ hasText: 'dash@example.test' }).waitFor();
    const id = ((await row.getAttribute('data-testid')) ?? '').replace('account-row-', '');
    expect(await page.getByTestId(`account-status-${id}`).getAttribute('data-status')).toBe('active');

    // Quota comes from the usage endpoint (fake: 12 % of the 5-hour window used, 34 % of the week).
    await page.getByTestId(`account-refresh-${id}`).click();
    await page.getByTestId(`account-quota-5h-${id}-value`).filter({ hasText: '88% left' }).waitFor();
    await page.getByTestId(`account-quota-weekly-${id}-value`).filter({ hasText: '66% left' }).waitFor();
    expect(
      await page.getByTestId(`account-quota-5h-${id}`).getByRole('progressbar').getAttribute('aria-valuenow'),
    ).toBe('88');
    expect(await page.getByTestId(`account-quota-5h-${id}-reset`).textContent()).toMatch(/\d/);
    await screenshot(page, 'accounts');
  });

  it('switches the selection strategy', async () => {
    await page.getByTestId('strategy-select').selectOption('round-robin');
    await vi.waitFor(async () => expect((await api<AccountsResponse>('/accounts')).strategy).toBe('round-robin'));
    await page.reload();
    await page.getByTestId('accounts-list').waitFor();
    expect(await page.getByTestId('strategy-select').inputValue()).toBe('round-robin');
  });

  it('streams a test prompt through the fake Codex backend', async () => {
    const answer = 'Hello from the fake Codex backend, one piece at a time.';
    // Paced events, so the page is seen mid-stream: text already there, the answer not finished.
    proxy.fake.setScript(() => ({
      kind: 'sse',
      chunkDelayMs: 150,
      events: [
        ev.rateLimits(),
        ev.created(),
        ...ev.textMessage(answer, { chunks: splitText(answer, 4) }),
        ev.completed(),
      ],
    }));
    await open('prompt');
    await page.getByTestId('prompt-model').selectOption('claude-sonnet-5-5');
    await page.getByTestId('prompt-input').fill('Say hello from the browser');
    await page.getByTestId('prompt-send').click();
    await page.getByTestId('prompt-status').and(page.locator('[data-state="streaming"]')).waitFor();
    await page.getByTestId('prompt-output').filter({ hasText: /\S/ }).waitFor();
    expect(answer.startsWith((await page.getByTestId('prompt-output').textContent()) ?? '')).toBe(true);
    await page.getByTestId('prompt-status').and(page.locator('[data-state="done"]')).waitFor();
    expect(await page.getByTestId('prompt-output').textContent()).toBe(answer);
    expect(await page.getByTestId('prompt-usage-model').textContent()).toBe('claude-sonnet-5-5');
    expect(Number(await page.getByTestId('prompt-usage-output').textContent())).toBeGreaterThan(0);
    expect(proxy.fake.requests.some((r) => r.path.startsWith('/backend-api/codex/responses'))).toBe(true);
    await screenshot(page, 'prompt');
  });

  it('counts the request on the overview and pools the quota', async () => {
    await open('overview');
    await page
      .getByTestId('overview-accounts')
      .filter({ hasText: /1\s*\/\s*1/ })
      .waitFor();
    expect(Number(await page.getByTestId('overview-requests').textContent())).toBeGreaterThanOrEqual(1);
    expect(await page.getByTestId('overview-quota-5h-value').textContent()).toContain('88%');
    await screenshot(page, 'overview');
  });

  it('shows that request in the live logs', async () => {
    await open('logs');
    await page.getByTestId('logs-connection').and(page.locator('[data-state="live"]')).waitFor();
    const request = page.locator('[data-request="true"]').filter({ hasText: '/v1/messages' }).last();
    await request.waitFor();
    const seq = ((await request.getAttribute('data-testid')) ?? '').replace('log-row-', '');
    await page.getByTestId(`log-row-toggle-${seq}`).click();
    const details = (await page.getByTestId(`log-details-${seq}`).textContent()) ?? '';
    expect(details).toContain('claude-sonnet-5-5');
    expect(details).toContain('200');
    await screenshot(page, 'logs');
  });

  it('configures Claude Code in settings.json, then restores the previous file', async () => {
    const settingsPath = path.join(claudeDir, 'settings.json');
    await open('claude');
    await page.getByTestId('claude-configured').filter({ hasText: 'no' }).waitFor();
    await page.getByTestId('claude-configure').click();
    await page.getByTestId('claude-notice').waitFor();
    await page.getByTestId('claude-configured').filter({ hasText: 'yes' }).waitFor();
    const written = JSON.parse(await readFile(settingsPath, 'utf8')) as { theme: string; env: Record<string, string> };
    expect(written.env.ANTHROPIC_BASE_URL).toBe(proxy.url);
    expect(written).toMatchObject({ theme: 'dark', env: { MY_OWN_VAR: '1' } });
    expect(await page.getByTestId('claude-base-url').textContent()).toBe(proxy.url);
    await screenshot(page, 'claude');

    await page.getByTestId('claude-restore').click();
    await page.getByTestId('claude-configured').filter({ hasText: 'no' }).waitFor();
    expect(await readFile(settingsPath, 'utf8')).toBe(USER_SETTINGS);
    expect(await page.getByTestId('claude-restore').isDisabled()).toBe(true);
  });

  it('renders the models view and stores an OpenRouter key that is never shown back', async () => {
    await open('models');
    for (const lane of ['opus', 'sonnet', 'haiku']) await page.getByTestId(`models-lane-${lane}`).waitFor();
    expect(await page.getByTestId('models-sonnet-model').locator('option').count()).toBeGreaterThan(1);
    await page.getByTestId('openrouter-key-state').filter({ hasText: 'not set' }).waitFor();

    await page.getByTestId('openrouter-enabled').check();
    await page.getByTestId('openrouter-model').selectOption('z-ai/glm-5');
    await page.getByTestId('openrouter-key').fill(OPENROUTER_KEY);
    await page.getByTestId('openrouter-save').click();
    await page.getByTestId('openrouter-saved').waitFor();
    await page.getByTestId('openrouter-key-state').filter({ hasText: 'stored' }).waitFor();
    expect(await page.getByTestId('openrouter-key').inputValue()).toBe('');

    const state = await api<OpenRouterConfig>('/api/openrouter');
    expect(state).toMatchObject({ enabled: true, model: 'z-ai/glm-5', has_key: true });
    expect(JSON.stringify(state)).not.toContain(OPENROUTER_KEY);
    await page.reload();
    await page.getByTestId('openrouter-key-state').filter({ hasText: 'stored' }).waitFor();
    expect(await page.content()).not.toContain(OPENROUTER_KEY);
    await screenshot(page, 'models');

    // A haiku prompt now goes to OpenRouter with that key.
    openRouter.setScript(() => textReply('Hello from OpenRouter'));
    await open('prompt');
    await page.getByTestId('prompt-model').selectOption('claude-haiku-5-5');
    await page.getByTestId('prompt-input').fill('Who answers?');
    await page.getByTestId('prompt-send').click();
    await page.getByTestId('prompt-status').and(page.locator('[data-state="done"]')).waitFor();
    expect(await page.getByTestId('prompt-output').textContent()).toBe('Hello from OpenRouter');
    expect(openRouter.requests.at(-1)?.headers.authorization).toBe(`Bearer ${OPENROUTER_KEY}`);
  });

  it('fits 360 px in dark mode', async () => {
    const narrow = await browser.newContext({ viewport: { width: 360, height: 740 }, colorScheme: 'dark' });
    narrow.setDefaultTimeout(10_000);
    const narrowProblems = recordConsoleProblems(narrow);
    try {
      const small = await narrow.newPage();
      for (const view of VIEWS) {
        await small.goto(`${proxy.url}/#/${view}`);
        await small.getByTestId(LOADED[view]).waitFor();
        // Nothing may stick out sideways (the tab bar scrolls inside itself).
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
