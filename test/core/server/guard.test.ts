import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import { afterEach, describe, expect, it } from 'vitest';
import { localApiGuard, routeKind, type GuardOptions } from '../../../main/core/server/guard.js';
import { DashboardSession } from '../../../main/core/server/dashboard-session.js';
import { hostName, isLoopbackAddress, isLoopbackHost } from '../../../main/core/server/peer.js';
import { quietErrorAnswers } from '../../support/error-answers.js';

const servers: http.Server[] = [];

interface Reply {
  status: number;
  body: { ok?: boolean; type?: string; error?: { type: string; message: string } };
  headers: http.IncomingHttpHeaders;
}

async function start(opts: Omit<GuardOptions, 'selfOrigins'>): Promise<{ port: number; origin: string }> {
  const app = new Koa();
  let self: string[] = [];
  app.use(quietErrorAnswers());
  app.use(localApiGuard({ ...opts, selfOrigins: () => self }));
  app.use((ctx) => {
    // Stands for the dashboard page, which carries the session cookie.
    if (ctx.path === '/page') opts.session?.issue(ctx);
    ctx.body = { ok: true };
  });
  const server = http.createServer(app.callback());
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  self = [`http://127.0.0.1:${port}`, `http://localhost:${port}`];
  return { port, origin: `http://127.0.0.1:${port}` };
}

function request(port: number, method: string, path: string, headers: Record<string, string> = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, method, path, headers: { host: `127.0.0.1:${port}`, ...headers } },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += String(c)));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : {}, headers: res.headers }),
        );
      },
    );
    req.on('error', reject);
    req.end(method === 'POST' ? '{}' : undefined);
  });
}

afterEach(async () => {
  for (const server of servers.splice(0)) await new Promise((resolve) => server.close(resolve));
});

describe('helpers', () => {
  it('recognises loopback Host names with any port', () => {
    for (const h of ['localhost', 'localhost:8081', '127.0.0.1:1', '[::1]:8081', '[::1]', 'LocalHost:80'])
      expect(isLoopbackHost(h)).toBe(true);
    for (const h of [
      undefined,
      '',
      'evil.example:8081',
      '127.0.0.1.evil.example',
      '192.168.1.5:8081',
      'localhost.evil:8081',
      '[::2]:1',
    ]) {
      expect(isLoopbackHost(h)).toBe(false);
    }
    expect(hostName('[::1]:8081')).toBe('[::1]');
  });

  it('recognises loopback peer addresses, and only those', () => {
    for (const a of ['127.0.0.1', '127.255.0.9', '::1', '::ffff:127.0.0.1', '0:0:0:0:0:0:0:1'])
      expect(isLoopbackAddress(a)).toBe(true);
    for (const a of [undefined, '', '10.0.0.1', '::ffff:10.0.0.1', '::2', '2001:db8::1', 'localhost', '128.0.0.1']) {
      expect(isLoopbackAddress(a)).toBe(false);
    }
  });

  it('classifies routes whatever the case of their path, as the routers match them', () => {
    expect(routeKind('GET', '/ACCOUNTS')).toBe('protected');
    expect(routeKind('GET', '/Api/Logs')).toBe('protected');
    expect(routeKind('POST', '/V1/Messages')).toBe('api');
    expect(routeKind('GET', '/HEALTH')).toBe('open');
  });

  it('classifies routes', () => {
    expect(routeKind('GET', '/health')).toBe('open');
    expect(routeKind('HEAD', '/')).toBe('open');
    expect(routeKind('HEAD', '/api/hello')).toBe('open');
    expect(routeKind('POST', '/api/event_logging/batch')).toBe('open');
    expect(routeKind('POST', '/v1/messages')).toBe('api');
    expect(routeKind('GET', '/api/logs')).toBe('protected');
    expect(routeKind('DELETE', '/accounts/x')).toBe('protected');
    expect(routeKind('GET', '/claude/config')).toBe('protected');
    expect(routeKind('GET', '/claudette')).toBe('static');
    expect(routeKind('GET', '/assets/index.js')).toBe('static');
    expect(routeKind('POST', '/anything-new')).toBe('protected');
  });
});

describe('localApiGuard without an API key', () => {
  it('serves CLI clients (no Origin) on every route', async () => {
    const { port } = await start({});
    for (const [method, path] of [
      ['POST', '/v1/messages'],
      ['GET', '/api/logs'],
      ['POST', '/accounts/import'],
      ['GET', '/claude/config'],
      ['GET', '/health'],
      ['HEAD', '/'],
    ]) {
      expect((await request(port, method, path)).status).toBe(200);
    }
  });

  it('refuses a non-loopback Host (DNS rebinding) on every route', async () => {
    const { port } = await start({});
    for (const path of ['/', '/health', '/v1/messages', '/api/overview']) {
      const reply = await request(port, 'GET', path, { host: `evil.example:${port}` });
      expect(reply.status).toBe(403);
      expect(reply.body).toMatchObject({ type: 'error', error: { type: 'permission_error' } });
    }
    expect((await request(port, 'GET', '/api/overview', { host: `localhost:${port}` })).status).toBe(200);
    expect((await request(port, 'GET', '/api/overview', { host: `[::1]:${port}` })).status).toBe(200);
  });

  it('refuses foreign and null Origins on protected and API routes, allows its own', async () => {
    const { port, origin } = await start({});
    for (const [method, path] of [
      ['GET', '/api/logs'],
      ['POST', '/claude/config/proxy'],
      ['DELETE', '/accounts/a1'],
      ['POST', '/v1/messages'],
      ['OPTIONS', '/v1/messages'],
    ]) {
      for (const bad of ['https://evil.example', 'null', `http://localhost:${port + 1}`]) {
        const reply = await request(port, method, path, { origin: bad });
        expect(reply.status, `${method} ${path} from ${bad}`).toBe(403);
        expect(reply.body.error?.type).toBe('permission_error');
        expect(reply.headers['access-control-allow-origin']).toBeUndefined();
      }
      expect((await request(port, method, path, { origin })).status).toBe(200);
      expect((await request(port, method, path, { origin: `http://localhost:${port}/` })).status).toBe(200);
    }
  });

  it('refuses cross-site state changes even without an Origin header', async () => {
    const { port } = await start({});
    expect((await request(port, 'POST', '/accounts/import', { 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect((await request(port, 'GET', '/api/logs', { 'sec-fetch-site': 'cross-site' })).status).toBe(200);
    expect((await request(port, 'POST', '/accounts/import', { 'sec-fetch-site': 'none' })).status).toBe(200);
  });

  it('keeps Claude Code side traffic and static files open to foreign pages', async () => {
    const { port } = await start({});
    expect((await request(port, 'POST', '/api/event_logging/batch', { origin: 'https://evil.example' })).status).toBe(
      200,
    );
    expect((await request(port, 'GET', '/assets/app.js', { origin: 'https://evil.example' })).status).toBe(200);
  });
});

describe('localApiGuard with an API key', () => {
  const apiKey = 'local-secret-key';

  it('requires the key on API and protected routes, via x-api-key or Bearer', async () => {
    const { port } = await start({ apiKey });
    for (const [method, path] of [
      ['POST', '/v1/messages'],
      ['GET', '/api/overview'],
      ['POST', '/claude/config/restore'],
    ]) {
      const missing = await request(port, method, path);
      expect(missing.status).toBe(401);
      expect(missing.body).toMatchObject({ type: 'error', error: { type: 'authentication_error' } });
      expect((await request(port, method, path, { 'x-api-key': 'wrong' })).status).toBe(401);
      expect((await request(port, method, path, { 'x-api-key': apiKey })).status).toBe(200);
      expect((await request(port, method, path, { authorization: `Bearer ${apiKey}` })).status).toBe(200);
    }
  });

  it('leaves open routes and static files open on loopback', async () => {
    const { port } = await start({ apiKey });
    expect((await request(port, 'GET', '/health')).status).toBe(200);
    expect((await request(port, 'HEAD', '/')).status).toBe(200);
    expect((await request(port, 'POST', '/api/event_logging/batch')).status).toBe(200);
    expect((await request(port, 'GET', '/')).status).toBe(200);
  });

  it('lets the dashboard in with its session cookie, not for having its origin', async () => {
    const session = new DashboardSession();
    const { port, origin } = await start({ apiKey, session });
    expect((await request(port, 'GET', '/api/overview', { origin })).status).toBe(401);
    const cookie = (await request(port, 'GET', '/page')).headers['set-cookie']?.[0].split(';')[0] ?? '';
    expect(cookie).toMatch(/^ccp_session_\d+=/);
    expect((await request(port, 'GET', '/api/overview', { origin, cookie })).status).toBe(200);
    expect((await request(port, 'POST', '/v1/messages', { origin, cookie })).status).toBe(200);
    expect((await request(port, 'GET', '/api/overview', { origin: 'https://evil.example', cookie })).status).toBe(403);
    expect(
      (await request(port, 'GET', '/api/overview', { origin: 'https://evil.example', 'x-api-key': apiKey })).status,
    ).toBe(403);
    // Another process's cookie (the page was loaded before a restart).
    const stale = `${cookie.split('=')[0]}=${'x'.repeat(43)}`;
    const reply = await request(port, 'GET', '/api/overview', { origin, cookie: stale });
    expect(reply.status).toBe(401);
    expect(reply.body.error?.message).toMatch(/reload/);
  });

  it('accepts a non-loopback Host only with the key', async () => {
    const { port } = await start({ apiKey });
    const lan = { host: `192.168.1.5:${port}` };
    const refused = await request(port, 'GET', '/health', lan);
    expect(refused.status).toBe(401);
    expect(refused.body.error?.type).toBe('authentication_error');
    expect((await request(port, 'POST', '/v1/messages', { ...lan, authorization: `Bearer ${apiKey}` })).status).toBe(
      200,
    );
    expect((await request(port, 'GET', '/api/overview', { ...lan, 'x-api-key': apiKey })).status).toBe(200);
  });

  it('lets a foreign page use /v1 only when it presents the key', async () => {
    const { port } = await start({ apiKey });
    expect((await request(port, 'POST', '/v1/messages', { origin: 'https://app.example' })).status).toBe(403);
    expect(
      (await request(port, 'POST', '/v1/messages', { origin: 'https://app.example', 'x-api-key': apiKey })).status,
    ).toBe(200);
  });
});
