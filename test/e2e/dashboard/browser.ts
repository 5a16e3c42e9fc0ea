// Debian's Chromium driven by playwright-core for the dashboard end-to-end test: launch flags that
// keep it offline and headless, a record of console errors and page errors, and screenshots.
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/** The system Chromium (apt `chromium`); a browser is never downloaded. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

export const hasChromium = (): boolean => existsSync(CHROMIUM_PATH);

// Headless, no sandbox (containers), and no background traffic to Google's services.
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

export interface ConsoleProblem {
  kind: 'console-error' | 'console-warning' | 'page-error';
  text: string;
  /** The page that logged it. */
  page: string;
}

/** Every console error or warning and every uncaught page error of a context's pages, as they happen. */
export function recordConsoleProblems(context: BrowserContext): ConsoleProblem[] {
  const problems: ConsoleProblem[] = [];
  context.on('console', (msg) => {
    const type = msg.type();
    if (type !== 'error' && type !== 'warning') return;
    const where = msg.location().url;
    problems.push({
      kind: type === 'error' ? 'console-error' : 'console-warning',
      text: where ? `${msg.text()} (${where})` : msg.text(),
      page: msg.page()?.url() ?? '',
    });
  });
  context.on('weberror', (err) => {
    problems.push({
      kind: 'page-error',
      text: err.error().stack ?? err.error().message,
      page: err.page()?.url() ?? '',
    });
  });
  return problems;
}

/** Screenshots go to test-results/dashboard/<name>.png (git-ignored). */
export const SCREENSHOT_DIR = path.resolve('test-results', 'dashboard');

export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  // A sticky header would otherwise be drawn where the page happens to be scrolled to.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
