// A real peer on another network stack: the test makes a network namespace joined to this one by
// a veth pair (private addresses of its own, nothing routed anywhere else), binds the proxy to all
// addresses with a key, and sends requests from inside the namespace that claim to be the local
// dashboard. Skipped where namespaces cannot be made (not root, no iproute2, a container without
// CAP_NET_ADMIN).
import { execFile, execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cookiesOf, MESSAGE_BODY, rawRequest, startHarness, type Harness } from './harness.js';

const KEY = 'netns-test-key';
const id = process.pid % 10_000;
const NS = `ccp-test-${id}`;
const HOST_IF = `ccph${id}`;
const NS_IF = `ccpn${id}`;
const subnet = 1 + (process.pid % 250);
const HOST_ADDR = `10.213.${subnet}.1`;
const NS_ADDR = `10.213.${subnet}.2`;

function ip(...args: string[]): void {
  execFileSync('ip', args, { stdio: 'ignore' });
}

function teardown(): void {
  for (const args of [
    ['link', 'del', HOST_IF],
    ['netns', 'del', NS],
  ]) {
    try {
      ip(...args);
    } catch {
      // already gone
    }
  }
}

function setup(): boolean {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return false;
  try {
    teardown();
    ip('netns', 'add', NS);
    ip('link', 'add', HOST_IF, 'type', 'veth', 'peer', 'name', NS_IF);
    ip('link', 'set', NS_IF, 'netns', NS);
    ip('addr', 'add', `${HOST_ADDR}/30`, 'dev', HOST_IF);
    ip('link', 'set', HOST_IF, 'up');
    ip('netns', 'exec', NS, 'ip', 'addr', 'add', `${NS_ADDR}/30`, 'dev', NS_IF);
    ip('netns', 'exec', NS, 'ip', 'link', 'set', NS_IF, 'up');
    ip('netns', 'exec', NS, 'ip', 'link', 'set', 'lo', 'up');
    return true;
  } catch {
    teardown();
    return false;
  }
}

const available = setup();

interface NsReply {
  status: number;
  setCookie: string[] | null;
  body: string;
}

/** Runs requests with node's own http client inside the namespace, against the proxy's veth address. */
interface NsRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

function fromNamespace(port: number, requests: NsRequest[]): Promise<NsReply[]> {
  const script = `
    const http = require('node:http');
    const one = (r) => new Promise((resolve) => {
      const req = http.request({ host: ${JSON.stringify(HOST_ADDR)}, port: ${port}, method: r.method, path: r.path, headers: r.headers, agent: false }, (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode, setCookie: res.headers['set-cookie'] ?? null, body }));
      });
      req.on('error', (e) => resolve({ status: 0, setCookie: null, body: e.message }));
      req.end(r.body);
    });
    (async () => {
      const out = [];
      for (const r of JSON.parse(process.argv[1])) out.push(await one(r));
      process.stdout.write(JSON.stringify(out));
    })();`;
  return new Promise((resolve, reject) => {
    execFile(
      'ip',
      ['netns', 'exec', NS, process.execPath, '-e', script, JSON.stringify(requests)],
      (err, stdout, stderr) => {
        if (err) reject(new Error(`${err.message}\n${stderr}`));
        else resolve(JSON.parse(stdout) as NsReply[]);
      },
    );
  });
}

describe.skipIf(!available)('a real peer in another network namespace', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ apiKey: KEY, host: '0.0.0.0' });
  });
  afterAll(async () => {
    await h?.close();
    teardown();
  });

  it('gets nothing by claiming to be the local dashboard, and everything with the key', async () => {
    const local = await rawRequest(h.port, { path: '/' });
    const [session] = cookiesOf(local);
    expect(session).toBeDefined();

    const forged = {
      host: `127.0.0.1:${h.port}`,
      origin: `http://127.0.0.1:${h.port}`,
      'sec-fetch-site': 'same-origin',
      cookie: session,
    };
    const json = { 'content-type': 'application/json' };
    const attacks: NsRequest[] = [
      { method: 'GET', path: '/', headers: forged },
      { method: 'GET', path: '/health', headers: forged },
      { method: 'GET', path: '/accounts', headers: forged },
      { method: 'GET', path: '/ACCOUNTS', headers: forged },
      { method: 'POST', path: '/accounts/import', headers: { ...forged, ...json }, body: '{"path":"/etc/passwd"}' },
      { method: 'POST', path: '/v1/messages', headers: { ...forged, ...json }, body: MESSAGE_BODY },
      { method: 'GET', path: '/claude/config', headers: forged },
      { method: 'POST', path: '/claude/config/proxy', headers: { ...forged, ...json }, body: '{}' },
      { method: 'GET', path: '/api/logs', headers: forged },
    ];
    const withKey: NsRequest[] = [
      { method: 'GET', path: '/accounts', headers: { host: `${HOST_ADDR}:${h.port}`, 'x-api-key': KEY } },
      {
        method: 'POST',
        path: '/v1/messages',
        headers: { host: `${HOST_ADDR}:${h.port}`, authorization: `Bearer ${KEY}`, ...json },
        body: MESSAGE_BODY,
      },
      { method: 'GET', path: '/', headers: { host: `${HOST_ADDR}:${h.port}`, 'x-api-key': KEY } },
    ];
    const replies = await fromNamespace(h.port, [...attacks, ...withKey]);
    attacks.forEach((attack, i) => {
      const reply = replies[i];
      expect(reply.status, `${attack.method} ${attack.path}: ${reply.body}`).toBe(401);
      expect(reply.setCookie).toBeNull();
      expect(JSON.parse(reply.body)).toMatchObject({ type: 'error', error: { type: 'authentication_error' } });
    });
    const [accounts, message, page] = replies.slice(attacks.length);
    expect(accounts.status, accounts.body).toBe(200);
    expect(JSON.parse(accounts.body).accounts).toHaveLength(1);
    expect(message.status, message.body).toBe(200);
    expect(JSON.parse(message.body).type).toBe('message');
    // With the key the files are served, but the dashboard session stays on this machine.
    expect(page.status).toBe(200);
    expect(page.setCookie).toBeNull();
  });
});
