// One request must never take the process down, on any port it listens on. The core runs in a
// child process so that a crash shows as a dead process; each listener then gets the requests
// that once killed it, and the proxy must still answer afterwards.
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestProxy, type TestProxy } from '../support/proxy.js';
import { spawnCore, type ChildCore } from './support.js';
import { rawExchange } from '../core/server/harness.js';

const KILLERS = [
  'GET //a:99999/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n',
  'GET //[::1/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n',
  'GET http://a:99999/auth/callback HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n',
  'GET //user:pass@/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
  'GET * HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
  'OPTIONS * HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
  'GET //%zz/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
];

describe('no request kills the process', () => {
  let data: TestProxy;
  let core: ChildCore;

  beforeAll(async () => {
    // A data dir with one account, then the server in a child process of its own.
    data = await startTestProxy();
    await data.core.close();
    core = await spawnCore({ ...data.env, CODEX_CLAUDE_PROXY_CALLBACK_PORT: '0' });
  });

  afterAll(async () => {
    if (core && core.child.exitCode === null && core.child.signalCode === null) core.child.kill('SIGKILL');
    await core?.exited;
    await data?.fake.close();
    if (data) await rm(data.home, { recursive: true, force: true });
  });

  async function alive(): Promise<void> {
    expect(core.child.exitCode, core.stderr()).toBeNull();
    const health = await fetch(`${core.url}/health`);
    expect(health.status).toBe(200);
  }

  it('the OAuth callback server, while a sign-in is pending', async () => {
    const started = (await (await fetch(`${core.url}/accounts/add`, { method: 'POST' })).json()) as {
      auth_url: string;
    };
    const redirect = new URL(new URL(started.auth_url).searchParams.get('redirect_uri') ?? '');
    const port = Number(redirect.port);
    expect(port).toBeGreaterThan(0);
    for (const bytes of KILLERS) {
      const reply = await rawExchange(port, bytes);
      expect(reply, JSON.stringify(bytes)).toMatch(/^HTTP\/1\.1 4\d\d /);
      await alive();
    }
    // The sign-in itself still works: a callback with a wrong state is answered, not dropped.
    const wrongState = await fetch(`http://127.0.0.1:${port}/auth/callback?code=c&state=nope`);
    expect(wrongState.status).toBe(400);
    await alive();
  });

  it('the main server', async () => {
    const port = Number(new URL(core.url).port);
    for (const bytes of KILLERS) {
      const reply = await rawExchange(port, bytes);
      expect(reply, JSON.stringify(bytes)).toMatch(/^HTTP\/1\.1 4\d\d /);
      await alive();
    }
  });

  it('the main server, for requests its HTTP parser refuses: an Anthropic-shaped error', async () => {
    const port = Number(new URL(core.url).port);
    for (const [bytes, status] of [
      ['NOT HTTP AT ALL\r\n\r\n', 400],
      ['GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab', 400],
      [`GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`, 431],
    ] as const) {
      const reply = await rawExchange(port, bytes);
      expect(reply, JSON.stringify(bytes.slice(0, 40))).toMatch(new RegExp(`^HTTP/1\\.1 ${status} `));
      const body = JSON.parse(reply.slice(reply.indexOf('\r\n\r\n') + 4)) as { type: string; error: { type: string } };
      expect(body).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } });
      await alive();
    }
  });
});
