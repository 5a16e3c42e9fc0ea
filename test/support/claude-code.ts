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
    execFile(
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
  });
}
