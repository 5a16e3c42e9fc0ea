// Starts the real proxy core on a loopback port against the strict fake Codex backend, with
// throwaway data dirs and N imported accounts. Every end-to-end test goes through this.
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createCore, type Core, type CoreOptions } from '../../main/core/index.js';
import { startFakeCodex, type FakeCodex, type FakeCodexOptions } from '../fakes/codex-backend.js';
import { codexTokens } from '../fakes/jwt.js';

export interface TestProxy {
  url: string;
  core: Core;
  fake: FakeCodex;
  home: string;
  env: NodeJS.ProcessEnv;
  /** chatgpt account ids of the imported accounts, in import order. */
  accountIds: string[];
  close(): Promise<void>;
}

export interface TestProxyOptions {
  accounts?: number;
  fake?: FakeCodexOptions;
  env?: Record<string, string>;
  /** The core's own options: an API key, the address to bind, the dashboard to serve. */
  core?: Pick<CoreOptions, 'apiKey' | 'host' | 'rendererDir'>;
}

export async function importTestAccount(core: Core, home: string, accountId: string, email: string): Promise<void> {
  const codexHome = path.join(home, `codex-${accountId}`);
  await mkdir(codexHome, { recursive: true });
  const tokens = codexTokens({ accountId, email, plan: 'plus', expiresInSec: 3600 });
  const authPath = path.join(codexHome, 'auth.json');
  await writeFile(
    authPath,
    JSON.stringify({
      OPENAI_API_KEY: null,
      tokens: { ...tokens, refresh_token: `rt-${accountId}`, account_id: accountId },
      last_refresh: new Date().toISOString(),
    }),
  );
  await core.pool.importCodexAuth(authPath);
}

export async function startTestProxy(opts: TestProxyOptions = {}): Promise<TestProxy> {
  const home = await mkdtemp(path.join(os.tmpdir(), 'ccp-test-'));
  const fake = await startFakeCodex(opts.fake);
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: home,
    CODEX_CLAUDE_PROXY_HOME: path.join(home, 'data'),
    CODEX_CLAUDE_PROXY_SECRETS: 'file',
    CHATGPT_BACKEND_URL: fake.url,
    OPENAI_AUTH_URL: 'http://127.0.0.1:9',
    CODEX_HOME: path.join(home, 'no-codex'),
    ...opts.env,
  };
  const core = await createCore({ env, port: 0, host: '127.0.0.1', ...opts.core });
  const accountIds: string[] = [];
  for (let i = 0; i < (opts.accounts ?? 1); i++) {
    const id = `acct-${i + 1}`;
    await importTestAccount(core, home, id, `user${i + 1}@example.com`);
    accountIds.push(id);
  }
  const { url } = await core.start();
  return {
    url,
    core,
    fake,
    home,
    env,
    accountIds,
    async close() {
      await core.close();
      await fake.close();
      // A Claude Code child may still be flushing into its home; rm retries ENOTEMPTY/EBUSY.
      await rm(home, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
    },
  };
}
