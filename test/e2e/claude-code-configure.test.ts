// `codex-claude-proxy claude configure` (the built CLI) against real Claude Code 2.1.332: the
// auto-compaction window it writes comes from the live catalog and shows in `/context`; in an
// interactive session there is no auto-mode offer, /fast is offered, and the status line shows
// the lane model, its real window and the session account's quota; restore brings the user's
// own settings back byte for byte.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compactionWindow } from '../../main/core/claude/index.js';
import { laneResolution } from '../../main/core/models/lanes.js';
import { startTestProxy, type TestProxy } from '../support/proxy.js';
import { canRunClaudeCode, canRunInteractive, runClaude, startInteractiveClaude } from '../support/claude-code.js';

const cli = path.resolve('dist/cli.js');
const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

function runCli(p: TestProxy, args: string[]): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, ...args], { env: p.env, timeout: 60_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? 1 : 0, stdout, stderr }),
    );
  });
}

describe.skipIf(!canRunClaudeCode || !existsSync(cli))('claude configure with real Claude Code', () => {
  let p: TestProxy;
  let project: string;
  let settingsFile: string;
  let original: string;
  const port = (): string => new URL(p.url).port;
  const configure = (): Promise<CliRun> => runCli(p, ['claude', 'configure', '--port', port(), '--statusline']);

  beforeAll(async () => {
    p = await startTestProxy();
    project = path.join(p.home, 'project');
    await mkdir(project, { recursive: true });
    settingsFile = path.join(p.home, '.claude', 'settings.json');
    await mkdir(path.dirname(settingsFile), { recursive: true });
    // The user's own settings, status line included: configure must give them all back.
    original = `${JSON.stringify({ theme: 'dark', statusLine: { type: 'command', command: 'echo mine' } }, null, 2)}\n`;
    await writeFile(settingsFile, original);
    // Trusting the folder is the user's first-run step, not configure's.
    await writeFile(
      path.join(p.home, '.claude.json'),
      JSON.stringify({ hasCompletedOnboarding: true, projects: { [project]: { hasTrustDialogAccepted: true } } }),
    );
    await p.core.catalog.refresh();
  });
  afterAll(async () => {
    await p?.close();
  });

  const settings = async (): Promise<{
    env: Record<string, string>;
    permissions: Record<string, string>;
    statusLine?: { command: string };
  }> => JSON.parse(await readFile(settingsFile, 'utf8'));

  it('writes the smallest lane window of the live catalog, and /context shows it', async () => {
    const expected = compactionWindow(laneResolution(p.core.catalog, p.core.settings));
    expect(expected).toBeLessThan(1_000_000);
    const configured = await configure();
    expect(configured.code).toBe(0);
    expect(configured.stdout).toContain(`Auto-compaction window: ${expected} tokens`);
    const written = await settings();
    expect(written.env).toMatchObject({
      ANTHROPIC_BASE_URL: p.url,
      CLAUDE_CODE_AUTO_COMPACT_WINDOW: String(expected),
      CLAUDE_CODE_SKIP_FAST_MODE_ORG_CHECK: '1',
    });
    expect(written.env).not.toHaveProperty('CLAUDE_CODE_MAX_CONTEXT_TOKENS');
    expect(written.permissions).toEqual({ defaultMode: 'default', disableAutoMode: 'disable' });
    expect(written.statusLine?.command).toMatch(/dist\/cli\.js"? statusline$/);

    const run = await runClaude({
      baseUrl: p.url,
      home: p.home,
      cwd: project,
      args: ['-p', '/context', '--output-format', 'json'],
    });
    const result = (JSON.parse(run.stdout) as { result: string }).result;
    expect(result).toMatch(new RegExp(`\\*\\*Tokens:\\*\\* [\\d.]+k / ${expected / 1000}k \\(`));
  });

  it('follows the lanes: every lane on a 500k model gives a 500k window', async () => {
    const lanes = p.core.settings.lanes;
    const big = p.core.catalog.available().find((m) => (m.contextWindow ?? 0) >= 500_000)!;
    try {
      p.core.settings.setLanes({ opus: { model: big.slug }, sonnet: { model: big.slug }, haiku: { model: big.slug } });
      const configured = await configure();
      expect(configured.stdout).toContain(`Auto-compaction window: ${big.contextWindow} tokens`);
      const run = await runClaude({
        baseUrl: p.url,
        home: p.home,
        cwd: project,
        args: ['-p', '/context', '--output-format', 'json'],
      });
      expect((JSON.parse(run.stdout) as { result: string }).result).toContain(` / ${big.contextWindow! / 1000}k (`);
    } finally {
      p.core.settings.setLanes(lanes);
      await configure();
    }
  });

  it.skipIf(!canRunInteractive)(
    'interactive: no auto-mode offer, the status line from the proxy, /fast offered, no auto in the mode cycle',
    async () => {
      const opus = p.core.catalog.resolveLane('opus', p.core.settings.lanes.opus);
      const window = `${opus.facts.contextWindow! / 1000}k`;
      expect((await configure()).code).toBe(0);
      const claude = await startInteractiveClaude({ home: p.home, cwd: project });
      try {
        // Before the first request the session has no account yet: the pool's numbers.
        const first = await claude.waitFor(
          new RegExp(`${escape(opus.resolved)} · ctx 0% of ${window}`),
          'the status line',
        );
        expect(first).not.toContain('Make auto mode your default');

        await claude.type('Say hello. MARKER-STATUSLINE');
        await claude.press('Enter');
        await claude.waitFor(/● Echo:/, 'the answer');
        // The fake backend reports 12 % of the 5-hour and 34 % of the weekly window.
        await claude.waitFor(
          new RegExp(`${escape(opus.resolved)} · ctx \\d+% of ${window} · 5h 12% · wk 34% · u@…`),
          "the session account's quota in the status line",
        );

        await claude.type('/fast');
        await claude.press('Enter');
        const fast = await claude.waitFor(/Fast mode\s+OFF/, 'the fast-mode toggle');
        expect(fast).not.toContain('disabled by your organization');
        await claude.press('Escape');
        await claude.waitFor(/Kept Fast mode OFF/, 'the fast-mode dialog closed');

        await claude.press('BTab');
        await claude.waitFor(/accept edits on/, 'accept-edits mode');
        await claude.press('BTab');
        await claude.waitFor(/plan mode on/, 'plan mode');
        await claude.press('BTab');
        const back = await claude.waitFor(/manual mode on/, 'manual mode again, auto skipped');
        expect(back).not.toContain('auto mode on');
      } finally {
        await claude.close();
      }
    },
    120_000,
  );

  it("restore gives the user's settings back byte for byte, their status line included", async () => {
    expect((await configure()).code).toBe(0);
    const restored = await runCli(p, ['claude', 'restore']);
    expect(restored.code).toBe(0);
    expect(await readFile(settingsFile, 'utf8')).toBe(original);
    expect(existsSync(`${settingsFile}.codex-claude-proxy.bak`)).toBe(false);
  });
});
