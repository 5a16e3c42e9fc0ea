// Fault matrix, part 5: the artifact users run. The bundled CLI (dist/cli.js, built by `npm test`
// before vitest) imports an account, serves a stream, and after kill -9 in the middle of serving
// every account and token still loads. Skipped when nothing is built.
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeCodex, type FakeCodex } from '../fakes/codex-backend.js';
import { writeAuthJson } from '../core/accounts/helpers.js';
import { answerEvents, ask, expectValidStream, savedState, sse } from './support.js';

const CLI = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'cli.js');
const run = promisify(execFile);

let fake: FakeCodex | undefined;
let root: string | undefined;

afterEach(async () => {
  await fake?.close();
  if (root) await rm(root, { recursive: true, force: true });
});

describe.skipIf(!existsSync(CLI))('the built CLI', () => {
  it('imports an account, serves a stream, and loses nothing to kill -9 mid-stream', async () => {
    fake = await startFakeCodex({ script: () => sse(answerEvents(), { chunkDelayMs: 5 }) });
    root = await mkdtemp(path.join(os.tmpdir(), 'ccp-cli-'));
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: root,
      CODEX_CLAUDE_PROXY_HOME: path.join(root, 'data'),
      CODEX_CLAUDE_PROXY_SECRETS: 'file',
      CHATGPT_BACKEND_URL: fake.url,
      OPENAI_AUTH_URL: 'http://127.0.0.1:9',
      CODEX_HOME: path.join(root, 'no-codex'),
    };
    const auth = await writeAuthJson(path.join(root, 'login'), { accountId: 'acct-cli', email: 'cli@example.com' });
    // The import must succeed (a bundle that cannot write its files fails here).
    const imported = await run(process.execPath, [CLI, 'accounts', 'import', '--from', auth], { env }).then(
      () => 'ok',
      (err: { stdout?: string; stderr?: string }) => `${err.stdout ?? ''}${err.stderr ?? ''}`,
    );
    expect(imported).toBe('ok');

    const server = spawn(process.execPath, [CLI, 'start', '--port', '0'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise((resolve) => server.once('exit', (_code, signal) => resolve(signal)));
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      server.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /Proxy ready at (\S+)/.exec(out);
        if (m) resolve(m[1]);
      });
      server.once('exit', (code) => reject(new Error(`start exited (${code}):\n${out}`)));
    });
    await expectValidStream(await ask(url));

    // Kill it while a few streams are in flight (each one ends with quota and selection writes).
    const inFlight = [1, 2, 3].map(() =>
      ask(url)
        .then((r) => r.text())
        .catch(() => ''),
    );
    await new Promise((r) => setTimeout(r, 30));
    server.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    await Promise.all(inFlight);

    const after = await savedState(env.CODEX_CLAUDE_PROXY_HOME as string, env);
    expect(after.accounts.map((a) => a.email)).toEqual(['cli@example.com']);
    expect(Object.values(after.tokens)).toEqual([{ access: true, refresh: true }]);
    const { stdout } = await run(process.execPath, [CLI, 'accounts', 'list'], { env });
    expect(stdout).toContain('cli@example.com');
  });
});
