// Runs the real Claude Code CLI (the npm package's native binary) in `-p` mode against a proxy,
// with a throwaway HOME and all non-essential traffic off.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export const claudeBin = path.join(
  path.dirname(require.resolve('@anthropic-ai/claude-code/package.json')),
  '..',
  'claude-code-linux-x64',
  'claude',
);

/** The binary the npm package ships for this platform is the linux-x64 one here. */
export const canRunClaudeCode = process.platform === 'linux' && process.arch === 'x64';

export interface ClaudeRun {
  code: number;
  stdout: string;
  stderr: string;
}

export function runClaude(opts: {
  baseUrl: string;
  home: string;
  cwd: string;
  args: string[];
  env?: Record<string, string>;
}): Promise<ClaudeRun> {
  return new Promise((resolve) => {
    const child = execFile(
      claudeBin,
      opts.args,
      {
        cwd: opts.cwd,
        timeout: 120_000,
        env: {
          PATH: process.env.PATH,
          HOME: opts.home,
          ANTHROPIC_BASE_URL: opts.baseUrl,
          ANTHROPIC_AUTH_TOKEN: 'test-token',
          DISABLE_TELEMETRY: '1',
          DISABLE_ERROR_REPORTING: '1',
          DISABLE_AUTOUPDATER: '1',
          CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
          ...opts.env,
        },
      },
      (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
    // An open stdin makes `claude -p` wait 3 s for piped input first.
    child.stdin?.end();
  });
}

// ---- interactive sessions (tmux) ----------------------------------------------------------------

const execTmux = (args: string[]): Promise<string> =>
  new Promise((resolve, reject) => {
    execFile('tmux', args, (err, stdout) => (err ? reject(err) : resolve(stdout)));
  });

/** Interactive runs need tmux to give Claude Code a terminal. */
export const canRunInteractive: Promise<boolean> = canRunClaudeCode
  ? execTmux(['-V']).then(
      () => true,
      () => false,
    )
  : Promise.resolve(false);

export interface InteractiveClaude {
  /** The visible screen, as text. */
  screen(): Promise<string>;
  /** Literal text, as typed. */
  type(text: string): Promise<void>;
  /** Keys as tmux names them: `Enter`, `Escape`, `BTab`, `Space`, `Down`. */
  press(...keys: string[]): Promise<void>;
  /** Polls the screen until `test` passes; throws with the last screen when it never does. */
  waitFor(test: RegExp | ((screen: string) => boolean), what: string, timeoutMs?: number): Promise<string>;
  close(): Promise<void>;
}

let sessions = 0;

/**
 * Claude Code in a detached tmux session of its own (killed by close()), with a throwaway HOME.
 * The project folder must be trusted in HOME/.claude.json, or Claude Code asks first.
 */
export async function startInteractiveClaude(opts: {
  home: string;
  cwd: string;
  env?: Record<string, string>;
  args?: string[];
}): Promise<InteractiveClaude> {
  const name = `ccp-test-${process.pid}-${++sessions}`;
  const env = {
    HOME: opts.home,
    TERM: 'xterm-256color',
    DISABLE_TELEMETRY: '1',
    DISABLE_ERROR_REPORTING: '1',
    DISABLE_AUTOUPDATER: '1',
    ...opts.env,
  };
  const envArgs = Object.entries(env).map(([k, v]) => `${k}=${v}`);
  await execTmux([
    'new-session',
    '-d',
    '-s',
    name,
    '-x',
    '160',
    '-y',
    '45',
    '-c',
    opts.cwd,
    'env',
    '-i',
    `PATH=${process.env.PATH ?? ''}`,
    ...envArgs,
    claudeBin,
    ...(opts.args ?? []),
  ]);
  const screen = (): Promise<string> => execTmux(['capture-pane', '-p', '-t', name]);
  return {
    screen,
    async type(text) {
      await execTmux(['send-keys', '-t', name, '-l', text]);
    },
    async press(...keys) {
      for (const key of keys) await execTmux(['send-keys', '-t', name, key]);
    },
    async waitFor(test, what, timeoutMs = 30_000) {
      const ok = typeof test === 'function' ? test : (s: string) => test.test(s);
      const deadline = Date.now() + timeoutMs;
      let last = '';
      while (Date.now() < deadline) {
        last = await screen().catch(() => last);
        if (ok(last)) return last;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      throw new Error(`Claude Code never showed ${what}. Last screen:\n${last}`);
    },
    async close() {
      await execTmux(['kill-session', '-t', name]).catch(() => undefined);
    },
  };
}
