// `codex-claude-proxy statusline`: Claude Code's JSON on stdin → one line on stdout, always, and
// within about a second whatever the proxy or stdin do.
import { fetchStatusLineInfo } from './client.js';
import { formatStatusLine } from './format.js';
import { parseStatusLineInput } from './input.js';

/** Claude Code writes its JSON at once and closes the pipe; this only guards against a pipe left open. */
const STDIN_BUDGET_MS = 400;
/** Loopback answers take milliseconds; a proxy that needs longer is reported as not answering. */
const PROXY_BUDGET_MS = 600;
const MAX_INPUT = 256 * 1024;

export interface StatusLineRunOptions {
  stdin: NodeJS.ReadStream;
  /** Claude Code passes its environment on, settings.json's `env` block included. */
  env: NodeJS.ProcessEnv;
  /** Used when ANTHROPIC_BASE_URL is not set. */
  defaultBaseUrl: string;
  write(line: string): void;
}

function readInput(stdin: NodeJS.ReadStream): Promise<string> {
  if (stdin.isTTY) return Promise.resolve('');
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (): void => {
      clearTimeout(timer);
      stdin.off('data', onData).off('end', done).off('error', done);
      stdin.pause();
      // An open pipe would keep the process alive after the line is out.
      stdin.destroy();
      resolve(Buffer.concat(chunks).toString('utf8'));
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size <= MAX_INPUT) chunks.push(chunk);
      else done();
    };
    const timer = setTimeout(done, STDIN_BUDGET_MS);
    stdin.on('data', onData).once('end', done).once('error', done);
  });
}

export async function runStatusLine(opts: StatusLineRunOptions): Promise<void> {
  const input = parseStatusLineInput(await readInput(opts.stdin));
  const answer = await fetchStatusLineInfo(input, {
    baseUrl: opts.env.ANTHROPIC_BASE_URL?.trim() || opts.defaultBaseUrl,
    token: opts.env.ANTHROPIC_AUTH_TOKEN || opts.env.ANTHROPIC_API_KEY || undefined,
    timeoutMs: PROXY_BUDGET_MS,
  });
  opts.write(formatStatusLine(input, answer));
}
