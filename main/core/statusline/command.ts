// The shell command Claude Code runs for its status line: this very CLI, by absolute paths, so it
// works without codex-claude-proxy on PATH (npx, a checkout) and with whichever Node runs us now.
import { realpathSync } from 'node:fs';
import path from 'node:path';
import { STATUS_LINE_SUBCOMMAND } from '../claude/status-line-setting.js';

/** Quoted for POSIX shells and cmd.exe alike when it holds anything but plain path characters. */
export function shellWord(word: string): string {
  if (/^[\w@%+=:,./\\-]+$/.test(word)) return word;
  return `"${word.replace(/(["\\$`])/g, '\\$1')}"`;
}

/**
 * `<node> <…/dist/cli.js> statusline`, or null when this process is not the CLI (the desktop app,
 * a test runner): then nothing can be installed.
 */
export function cliStatusLineCommand(
  argv: readonly string[] = process.argv,
  execPath = process.execPath,
): string | null {
  const script = argv[1];
  if (!script) return null;
  let real: string;
  try {
    real = realpathSync(script);
  } catch {
    return null;
  }
  if (path.basename(real) !== 'cli.js' || path.basename(path.dirname(real)) !== 'dist') return null;
  return [execPath, real, STATUS_LINE_SUBCOMMAND].map(shellWord).join(' ');
}
