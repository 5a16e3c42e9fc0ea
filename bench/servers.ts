// Starting the three servers of a benchmark run: the fake upstream, the byte pass-through, and our
// proxy exactly as users run it (the built CLI, `start --port 0`) on a throwaway data dir with
// file secrets and one imported account.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createAccountPool } from '../main/core/accounts/index.js';
import { codexTokens } from '../test/fakes/jwt.js';
import { cliReadyLine, jsonUrlLine, startChild, type Child } from './processes.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const CLI = path.join(HERE, '..', 'dist', 'cli.js');
const TSX = ['--import', 'tsx'];

export function startFakeUpstream(): Promise<Child> {
  return startChild([...TSX, path.join(HERE, 'fake-upstream.ts')], process.env, jsonUrlLine);
}

export function startPassthrough(upstreamUrl: string): Promise<Child> {
  return startChild(
    [...TSX, path.join(HERE, 'passthrough.ts')],
    { ...process.env, UPSTREAM: upstreamUrl },
    jsonUrlLine,
  );
}

export interface ProxyHome {
  env: NodeJS.ProcessEnv;
  remove(): void;
}

/** A data dir with one imported account (file secrets), pointed at the fake upstream. */
export async function prepareHome(upstreamUrl: string): Promise<ProxyHome> {
  const root = mkdtempSync(path.join(os.tmpdir(), 'ccp-bench-'));
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: root,
    CODEX_CLAUDE_PROXY_HOME: path.join(root, 'data'),
    CODEX_CLAUDE_PROXY_SECRETS: 'file',
    CHATGPT_BACKEND_URL: upstreamUrl,
    OPENAI_AUTH_URL: 'http://127.0.0.1:9',
    CODEX_HOME: path.join(root, 'no-codex'),
  };
  const authDir = path.join(root, 'codex-login');
  mkdirSync(authDir);
  const tokens = codexTokens({ accountId: 'acct-bench', email: 'bench@example.com', expiresInSec: 24 * 3600 });
  const authFile = path.join(authDir, 'auth.json');
  writeFileSync(
    authFile,
    JSON.stringify({
      OPENAI_API_KEY: null,
      tokens: { ...tokens, refresh_token: 'rt-bench', account_id: 'acct-bench' },
      last_refresh: new Date().toISOString(),
    }),
  );
  const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
  const home = env.CODEX_CLAUDE_PROXY_HOME as string;
  const pool = await createAccountPool({
    home,
    env,
    backendUrl: upstreamUrl,
    authUrl: 'http://127.0.0.1:9',
    usagePollMs: 0,
    log: quiet,
  });
  await pool.importCodexAuth(authFile);
  await pool.close();
  return { env, remove: () => rmSync(root, { recursive: true, force: true }) };
}

/** Our proxy from the built CLI; `nodeArgs` e.g. ['--cpu-prof'] for profiling. */
export function startOurProxy(home: ProxyHome, nodeArgs: string[] = []): Promise<Child> {
  return startChild([...nodeArgs, CLI, 'start', '--port', '0'], home.env, cliReadyLine);
}
