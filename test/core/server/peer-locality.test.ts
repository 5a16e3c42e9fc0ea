// Who is local is decided by the socket's peer address, never by headers a client writes itself.
// Peers on other machines are simulated by giving the server's socket another remoteAddress
// (see pretendPeers); netns-peer.test.ts does the same with a real second network stack.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cookiesOf,
  MESSAGE_BODY,
  pretendPeers,
  rawRequest,
  startHarness,
  type Harness,
  type RawRequest,
} from './harness.js';

const KEY = 'proxy-key-for-tests';
const peers = pretendPeers();
// 127.0.0.x source addresses stand for the peers below.
const FROM = {
  lan: '127.0.0.71',
  lanMapped: '127.0.0.72',
  public6: '127.0.0.73',
  loop6: '127.0.0.74',
  loopMapped: '127.0.0.75',
  loopOther: '127.0.0.76',
};
peers.pretend.set(FROM.lan, '192.168.1.20');
peers.pretend.set(FROM.lanMapped, '::ffff:10.0.0.9');
peers.pretend.set(FROM.public6, '2001:db8::5');
peers.pretend.set(FROM.loop6, '::1');
peers.pretend.set(FROM.loopMapped, '::ffff:127.0.0.1');
peers.pretend.set(FROM.loopOther, '127.9.8.7');

afterAll(() => peers.restore());

/** Every route class: accounts (read, import), the API, Claude Code config (read, write), logs, side traffic. */
function routes(): RawRequest[] {
  const json = { 'content-type': 'application/json' };
  return [
    { method: 'GET', path: '/accounts' },
    { method: 'POST', path: '/accounts/import', headers: json, body: JSON.stringify({ path: '/etc/hostname' }) },
    { method: 'POST', path: '/v1/messages', headers: json, body: MESSAGE_BODY },
    {
      method: 'POST',
      path: '/v1/chat/completions',
      headers: json,
      body: JSON.stringify({ model: 'gpt-5', messages: [{ role: 'user', content: 'hi' }] }),
    },
    { method: 'GET', path: '/claude/config' },
    { method: 'POST', path: '/claude/config/proxy', headers: json, body: '{}' },
    { method: 'GET', path: '/api/logs' },
    { method: 'GET', path: '/api/overview' },
    { method: 'GET', path: '/health' },
    { method: 'HEAD', path: '/' },
    { method: 'GET', path: '/' },
    { method: 'GET', path: '/assets/app.js' },
  ];
}

function forged(h: Harness): Record<string, string> {
  return { host: `127.0.0.1:${h.port}`, origin: `http://127.0.0.1:${h.port}`, 'sec-fetch-site': 'same-origin' };
}

describe('with an API key', () => {
  let h: Harness;
  let session: string;
  beforeAll(async () => {
    h = await startHarness({ apiKey: KEY });
    const page = await rawRequest(h.port, { path: '/' });
    expect(page.status).toBe(200);
    [session] = cookiesOf(page);
    expect(session).toMatch(/=/);
  });
  afterAll(() => h?.close());

  it.each([FROM.lan, FROM.lanMapped, FROM.public6])(
    'a peer on another machine (%s) that forges Host and Origin gets nothing without the key',
    async (from) => {
      for (const route of routes()) {
        const reply = await rawRequest(h.port, {
          ...route,
          localAddress: from,
          headers: { ...route.headers, ...forged(h), cookie: session },
        });
        expect(reply.status, `${route.method} ${route.path}`).toBe(401);
        expect(reply.headers['set-cookie'], `${route.method} ${route.path}`).toBeUndefined();
        if (route.method !== 'HEAD') expect(reply.json().error?.type).toBe('authentication_error');
      }
    },
  );

  it('serves a peer on another machine that presents the key', async () => {
    const lan = { localAddress: FROM.lan, headers: { host: `192.168.1.5:${h.port}`, 'x-api-key': KEY } };
    expect((await rawRequest(h.port, { path: '/accounts', ...lan })).status).toBe(200);
    const post = await rawRequest(h.port, {
      method: 'POST',
      path: '/v1/messages',
      localAddress: FROM.lan,
      headers: { ...lan.headers, 'content-type': 'application/json' },
      body: MESSAGE_BODY,
    });
    expect(post.status, post.text).toBe(200);
    // The dashboard's session is for this machine only: a remote peer's page gets no cookie.
    const page = await rawRequest(h.port, { path: '/', ...lan });
    expect(page.status).toBe(200);
    expect(page.headers['set-cookie']).toBeUndefined();
  });

  it.each([undefined, FROM.loop6, FROM.loopMapped, FROM.loopOther])(
    'the dashboard served to a loopback peer (%s) works with its session cookie',
    async (from) => {
      const page = await rawRequest(h.port, { path: '/', localAddress: from });
      expect(page.status).toBe(200);
      const [cookie] = cookiesOf(page);
      expect(cookie).toBe(session);
      expect(page.headers['set-cookie']?.[0]).toMatch(/HttpOnly/i);
      expect(page.headers['set-cookie']?.[0]).toMatch(/SameSite=Strict/i);
      const headers = { origin: `http://127.0.0.1:${h.port}`, cookie };
      expect((await rawRequest(h.port, { path: '/accounts', localAddress: from, headers })).status).toBe(200);
      expect((await rawRequest(h.port, { path: '/api/logs', localAddress: from, headers })).status).toBe(200);
      const post = await rawRequest(h.port, {
        method: 'POST',
        path: '/v1/messages',
        localAddress: from,
        headers: { ...headers, 'content-type': 'application/json' },
        body: MESSAGE_BODY,
      });
      expect(post.status, post.text).toBe(200);
    },
  );

  it('an Origin that looks like the dashboard is not a key', async () => {
    const headers = { origin: `http://127.0.0.1:${h.port}` };
    for (const route of routes().filter((r) => !['/', '/health', '/assets/app.js'].includes(r.path))) {
      const reply = await rawRequest(h.port, { ...route, headers: { ...route.headers, ...headers } });
      expect(reply.status, `${route.method} ${route.path}`).toBe(401);
    }
    const wrong = await rawRequest(h.port, {
      path: '/accounts',
      headers: { ...headers, cookie: `${session.split('=')[0]}=forged` },
    });
    expect(wrong.status).toBe(401);
    expect(wrong.json().error?.message).toMatch(/reload/i);
  });

  it('a rebinding page (foreign Host) gets no cookie and no data, even from loopback', async () => {
    const evil = { host: `evil.example:${h.port}`, cookie: session };
    const page = await rawRequest(h.port, { path: '/', headers: evil });
    expect(page.status).toBe(401);
    expect(page.headers['set-cookie']).toBeUndefined();
    expect((await rawRequest(h.port, { path: '/accounts', headers: evil })).status).toBe(401);
  });
});

describe('without an API key', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h?.close());

  it('refuses every peer on another machine, whatever it claims', async () => {
    for (const from of [FROM.lan, FROM.lanMapped, FROM.public6]) {
      for (const route of routes()) {
        const reply = await rawRequest(h.port, {
          ...route,
          localAddress: from,
          headers: { ...route.headers, ...forged(h) },
        });
        expect(reply.status, `${from} ${route.method} ${route.path}`).toBe(403);
        if (route.method !== 'HEAD') expect(reply.json().error?.type).toBe('permission_error');
      }
    }
  });

  it('serves loopback peers as before: CLI clients and the dashboard need no key', async () => {
    for (const from of [undefined, FROM.loop6, FROM.loopMapped, FROM.loopOther]) {
      expect((await rawRequest(h.port, { path: '/accounts', localAddress: from })).status).toBe(200);
      const dashboard = { origin: `http://127.0.0.1:${h.port}` };
      expect((await rawRequest(h.port, { path: '/api/overview', localAddress: from, headers: dashboard })).status).toBe(
        200,
      );
    }
  });
});
