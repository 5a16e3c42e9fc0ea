// Smoke mode (`--smoke-test`, or CODEX_CLAUDE_PROXY_SMOKE_TEST=1): the packaged app checks its own
// main process with the real Electron, on a CI runner or a user's machine, and exits: 0 when the
// core answers /health, the tray and the window exist and the dashboard rendered in the window
// without a console error; 1 with the reasons otherwise. It runs on a throw-away home, userData and
// a free port, so it never touches the user's accounts and never meets a running instance.
import { mkdtempSync, rmSync } from 'node:fs';
import { EventEmitter, once } from 'node:events';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { app, type WebContents } from 'electron';
import { openDesktopCore, type OpenCore } from './core-adapter.js';
import { runDesktopApp, type DesktopApp } from './desktop-app.js';
import { memoryPrefs } from './prefs.js';
import { originOf } from './security.js';

export const SMOKE_TEST_FLAG = '--smoke-test';
export const SMOKE_TEST_ENV = 'CODEX_CLAUDE_PROXY_SMOKE_TEST';
const SMOKE_TIMEOUT_MS = 60_000;
/** Once the page rendered: time for late trouble (an API call that fails) to show in the console. */
const SETTLE_MS = 2_000;
/** A load replaced by the next one (the app navigating twice quickly) is not a failure. */
const ERR_ABORTED = -3;

export function smokeTestRequested(argv: readonly string[], env: NodeJS.ProcessEnv): boolean {
  return argv.includes(SMOKE_TEST_FLAG) || ['1', 'true'].includes(env[SMOKE_TEST_ENV] ?? '');
}

/** The core's environment for a smoke run: its own home and secrets file, no client key. */
export function smokeEnv(base: NodeJS.ProcessEnv, home: string): NodeJS.ProcessEnv {
  return { ...base, CODEX_CLAUDE_PROXY_HOME: home, CODEX_CLAUDE_PROXY_SECRETS: 'file', PROXY_API_KEY: '' };
}

const say = (line: string): void => void process.stdout.write(`smoke-test: ${line}\n`);

/** Everything the pages report while the smoke test runs. */
class PageWatch extends EventEmitter {
  readonly problems: string[] = [];
  readonly loaded: Array<{ page: WebContents; url: string }> = [];

  watch(page: WebContents): void {
    page.on('console-message', (details) => {
      if (details.level === 'error')
        this.problem(`console error: ${details.message} (${details.sourceId}:${details.lineNumber})`);
    });
    page.on('did-fail-load', (_event, code, description, url, isMainFrame) => {
      if (isMainFrame && code !== ERR_ABORTED) this.problem(`the page did not load: ${url}: ${description} (${code})`);
    });
    page.on('preload-error', (_event, preload, error) =>
      this.problem(`the preload ${preload} failed: ${error.message}`),
    );
    page.on('render-process-gone', (_event, details) => this.problem(`the page's process is gone: ${details.reason}`));
    page.on('did-finish-load', () => {
      this.loaded.push({ page, url: page.getURL() });
      this.emit('loaded');
    });
  }

  problem(text: string): void {
    this.problems.push(text);
    this.emit('problem');
  }

  /** The first page loaded from `origin`; rejects at the first problem. */
  async pageFrom(origin: string): Promise<WebContents> {
    for (;;) {
      if (this.problems.length) throw new Error(this.problems[0]);
      const hit = this.loaded.find((l) => originOf(l.url) === origin);
      if (hit) return hit.page;
      await Promise.race([once(this, 'loaded'), once(this, 'problem')]);
    }
  }
}

async function checkHealth(origin: string): Promise<string> {
  const res = await fetch(`${origin}/health`);
  const body = (await res.json().catch(() => null)) as { status?: string; version?: string } | null;
  if (res.status !== 200 || body?.status !== 'ok')
    throw new Error(`/health answered ${res.status} ${JSON.stringify(body)}`);
  return body.version ?? '?';
}

async function check(desktop: DesktopApp, pages: PageWatch): Promise<void> {
  const origin = desktop.origin();
  if (!origin) throw new Error('the proxy core did not start');
  say(`core answers ${origin}/health (version ${await checkHealth(origin)})`);
  const seen = desktop.inspect();
  if (!seen.tray) throw new Error('no tray icon was created');
  say('tray created');
  if (!seen.windowVisible) throw new Error('the dashboard window was not shown');
  const page = await pages.pageFrom(origin);
  // Svelte mounts the app into #app when its module runs, before the load event.
  const rendered = Number(await page.executeJavaScript("document.querySelector('#app')?.childElementCount ?? 0"));
  if (!(rendered > 0)) throw new Error(`the dashboard did not render in the window (${page.getURL()})`);
  say(`dashboard rendered in the window (${page.getURL()})`);
  await sleep(SETTLE_MS);
  if (pages.problems.length) throw new Error(pages.problems.join('\n  '));
}

/** Runs the app in smoke mode and exits the process with the verdict. */
export async function runSmokeTest(argv: readonly string[]): Promise<void> {
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'codex-claude-proxy-smoke-'));
  // Before anything reads it: the single-instance lock and Chromium's profile live in userData.
  app.setPath('userData', path.join(scratch, 'user-data'));
  const pages = new PageWatch();
  app.on('web-contents-created', (_event, page) => pages.watch(page));
  const env = smokeEnv(process.env, path.join(scratch, 'home'));
  const openCore: OpenCore = (opts) => openDesktopCore({ ...opts, port: 0, env });

  // Filled in by run(); read after a time-out as well.
  const started: { desktop: DesktopApp | null } = { desktop: null };
  let failure: string | null = null;
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${SMOKE_TIMEOUT_MS / 1000} s`)), SMOKE_TIMEOUT_MS);
  });
  const run = async (): Promise<void> => {
    const desktop = await runDesktopApp({ openCore, argv, prefs: memoryPrefs() });
    if (!desktop) throw new Error('another instance holds the single-instance lock');
    started.desktop = desktop;
    await check(desktop, pages);
  };
  try {
    await Promise.race([run(), timedOut]);
  } catch (err) {
    failure = err instanceof Error ? err.message : String(err);
  } finally {
    clearTimeout(timer);
  }
  await started.desktop?.shutdown().catch((err: unknown) => (failure ??= `shutdown failed: ${String(err)}`));
  rmSync(scratch, { recursive: true, force: true });
  if (failure) process.stderr.write(`smoke-test: FAILED: ${failure}\n`);
  else say('passed');
  app.exit(failure ? 1 : 0);
}
