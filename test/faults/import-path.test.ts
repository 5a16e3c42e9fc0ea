// POST /accounts/import {"path": …} names a file the caller chooses. Only a regular file of at
// most 1 MB is read; an error never quotes the file; and nothing such a path can point at (a
// FIFO, /dev/zero, a huge file) can hold the threads that /v1/messages needs. The server runs in
// a process of its own, so that a hang shows as a request that never ends, not a frozen runner.
import { execFileSync } from 'node:child_process';
import { mkdir, rm, symlink, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestProxy, type TestProxy } from '../support/proxy.js';
import { writeAuthJson } from '../core/accounts/helpers.js';
import { ask, claudeBody, spawnCore, type ChildCore } from './support.js';

/** Far longer than any answer here takes; only a hang reaches it. */
const HANG_MS = 10_000;

let p: TestProxy;
/** The server most tests use; the FIFO test has one of its own, which a hang would spoil. */
let c: ChildCore;
const children: ChildCore[] = [];

async function child(): Promise<ChildCore> {
  const started = await spawnCore(p.env);
  children.push(started);
  return started;
}

beforeAll(async () => {
  p = await startTestProxy({ accounts: 1 });
  await p.core.close();
  c = await child();
});

afterAll(async () => {
  // A server stuck in open() on a FIFO still dies by SIGKILL, taking its blocked threads along.
  for (const started of children) {
    started.child.kill('SIGKILL');
    await started.exited;
  }
  await p.fake.close();
  await rm(p.home, { recursive: true, force: true });
});

async function importPath(file: string, server = c): Promise<{ status: number; message: string }> {
  const res = await fetch(`${server.url}/accounts/import`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ path: file }),
    signal: AbortSignal.timeout(HANG_MS),
  });
  const body = (await res.json()) as { type?: string; error?: { type: string; message: string } };
  if (res.status !== 200) expect(body).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } });
  return { status: res.status, message: body.error?.message ?? '' };
}

describe.skipIf(process.platform === 'win32')('importing from a path the caller chooses', () => {
  it('four FIFOs are refused at once and /v1/messages is served meanwhile', async () => {
    const dir = path.join(p.home, 'fifos');
    await mkdir(dir);
    const fifos = [1, 2, 3, 4].map((i) => path.join(dir, `auth-${i}.json`));
    for (const fifo of fifos) execFileSync('mkfifo', [fifo]);
    const own = await child();
    const imports = fifos.map((fifo) => importPath(fifo, own));
    const res = await ask(own.url, claudeBody({ stream: false }), AbortSignal.timeout(HANG_MS));
    expect(res.status).toBe(200);
    await res.text();
    for (const answer of await Promise.all(imports)) {
      expect(answer.status).toBe(400);
      expect(answer.message).toMatch(/not a regular file/);
    }
  });

  it('a link to a FIFO, a directory and /dev/zero are refused without being read', async () => {
    const fifo = path.join(p.home, 'fifo-behind-link');
    execFileSync('mkfifo', [fifo]);
    const link = path.join(p.home, 'auth-link.json');
    await symlink(fifo, link);
    for (const target of [link, p.home, '/dev/zero']) {
      const answer = await importPath(target);
      expect(answer.status, target).toBe(400);
      expect(answer.message).toMatch(/not a regular file/);
    }
  });

  it('a file over 1 MB is refused by its size, before it is read', async () => {
    const big = path.join(p.home, 'big.json');
    await writeFile(big, '');
    await truncate(big, 50 * 1024 * 1024);
    const answer = await importPath(big);
    expect(answer.status).toBe(400);
    expect(answer.message).toMatch(/larger than 1 MB/);
  });

  it('never quotes the file it could not use', async () => {
    const secret = path.join(p.home, 'notes.txt');
    await writeFile(secret, 'SECRET-NOTE-7f3a: the vault code is 1234\n');
    for (const file of [secret, '/etc/passwd']) {
      const answer = await importPath(file);
      expect(answer.status).toBe(400);
      expect(answer.message).toMatch(/not valid JSON/);
      expect(answer.message).not.toMatch(/SECRET-NOTE|vault|root:/);
    }
  });

  it('still imports a real auth.json', async () => {
    const file = await writeAuthJson(path.join(p.home, 'codex-new'), {
      accountId: 'acct-new',
      email: 'new@example.com',
    });
    expect(await importPath(file)).toMatchObject({ status: 200 });
  });
});
