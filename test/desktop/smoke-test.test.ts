// Smoke mode of the built main bundle (`--smoke-test`), run with the stub electron: the real core
// and /health, the real tray and window code, a page load played by the stub. What the stub cannot
// play (Chromium rendering the dashboard, CSP, the preload) the release workflow checks with the
// real Electron under xvfb-run.
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { StubApp } from './stub-app.js';

vi.mock('electron', async () => (await import('./electron-fake.js')).electronModule());
vi.mock('electron-store', () => ({ default: class {} }));

const { smokeEnv, smokeTestRequested, SMOKE_TEST_ENV, SMOKE_TEST_FLAG } =
  await import('../../main/desktop/smoke-test.js');

async function smoke(
  env: Record<string, string> = {},
  args = [SMOKE_TEST_FLAG],
): Promise<{ code: number | null; app: StubApp }> {
  const app = new StubApp(args, env);
  try {
    return { code: await app.exit, app };
  } finally {
    app.dispose();
  }
}

describe('smoke mode: when', () => {
  it('runs for --smoke-test or the env flag only', () => {
    expect(smokeTestRequested(['electron', '.', SMOKE_TEST_FLAG], {})).toBe(true);
    expect(smokeTestRequested(['electron', '.'], { [SMOKE_TEST_ENV]: '1' })).toBe(true);
    expect(smokeTestRequested(['electron', '.'], { [SMOKE_TEST_ENV]: '0' })).toBe(false);
    expect(smokeTestRequested(['electron', '.', '--hidden'], {})).toBe(false);
  });

  it('gives the core its own home and secrets file, and no client key', () => {
    expect(
      smokeEnv({ PATH: '/bin', PROXY_API_KEY: 'k', CODEX_CLAUDE_PROXY_HOME: '/home/u/real' }, '/tmp/s/home'),
    ).toEqual({
      PATH: '/bin',
      PROXY_API_KEY: '',
      CODEX_CLAUDE_PROXY_HOME: '/tmp/s/home',
      CODEX_CLAUDE_PROXY_SECRETS: 'file',
    });
  });
});

describe('smoke mode of the built bundle (stub electron)', () => {
  it('starts the core, tray and window, checks /health and the page, cleans up and exits 0', async () => {
    const realHome = mkdtempSync(path.join(os.tmpdir(), 'ccp-real-home-'));
    const { code, app } = await smoke({ CODEX_CLAUDE_PROXY_HOME: realHome });
    // The user's own home is never touched.
    expect(readdirSync(realHome)).toEqual([]);
    rmSync(realHome, { recursive: true });
    expect({ code, stderr: app.stderr }).toEqual({ code: 0, stderr: '' });
    expect(app.lines.filter((l) => l.startsWith('smoke-test:'))).toEqual([
      expect.stringMatching(/^smoke-test: core answers http:\/\/127\.0\.0\.1:\d+\/health \(version \d+\.\d+\.\d+\)$/),
      'smoke-test: tray created',
      expect.stringMatching(
        /^smoke-test: dashboard rendered in the window \(http:\/\/127\.0\.0\.1:\d+\/#\/accounts\)$/,
      ),
      'smoke-test: passed',
    ]);
    const events = app.reports.map((r) => r.event);
    expect(events).toEqual(expect.arrayContaining(['setPath', 'tray', 'window', 'loadURL', 'tray-destroyed', 'exit']));
    // A throw-away userData: the single-instance lock and the profile are the run's own.
    const userData = String(app.reports.find((r) => r.event === 'setPath')?.value);
    expect(userData).toMatch(/codex-claude-proxy-smoke-/);
    expect(existsSync(userData)).toBe(false);
  });

  it('also runs from the env flag', async () => {
    const { code, app } = await smoke({ [SMOKE_TEST_ENV]: '1' }, []);
    expect(code).toBe(0);
    expect(app.lines).toContain('smoke-test: passed');
  });

  it('fails with the message when the page logs a console error', async () => {
    const { code, app } = await smoke({ STUB_CONSOLE_ERROR: 'Uncaught TypeError: x is not a function' });
    expect(code).toBe(1);
    expect(app.stderr).toMatch(
      /^smoke-test: FAILED: console error: Uncaught TypeError: x is not a function \(http:\/\/127\.0\.0\.1:\d+\/#\/accounts:0\)$/m,
    );
    expect(app.lines).not.toContain('smoke-test: passed');
  });

  it('fails when the dashboard did not render', async () => {
    const { code, app } = await smoke({ STUB_RENDERED: '0' });
    expect(code).toBe(1);
    expect(app.stderr).toContain('smoke-test: FAILED: the dashboard did not render in the window');
  });
});
