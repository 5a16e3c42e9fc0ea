// The real core on real sockets for the hardening tests: an optional API key, a tiny dashboard
// directory of its own (so the static handler is always there), raw HTTP requests with any
// headers, and peers that look like other machines.
import http from 'node:http';
import net from 'node:net';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { FakeCodexOptions } from '../../fakes/codex-backend.js';
import { startTestProxy, type TestProxy } from '../../support/proxy.js';

export interface Harness extends TestProxy {
  port: number;
}

export const DASHBOARD_HTML = '<!doctype html><title>dashboard</title><div id="app"></div>';

/** A stand-in dashboard (a page and a script), with a file next to it that must never be served. */
async function standInDashboard(): Promise<{ dir: string; rendererDir: string }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ccp-dashboard-'));
  const rendererDir = path.join(dir, 'renderer');
  await mkdir(path.join(rendererDir, 'assets'), { recursive: true });
  await writeFile(path.join(rendererDir, 'index.html'), DASHBOARD_HTML);
  await writeFile(path.join(rendererDir, 'assets', 'app.js'), 'console.log("dashboard");\n');
  await writeFile(path.join(dir, 'outside.txt'), 'outside the dashboard directory\n');
  return { dir, rendererDir };
}

export async function startHarness(
  opts: {
    apiKey?: string;
    host?: string;
    env?: Record<string, string>;
    fake?: FakeCodexOptions;
    accounts?: number;
    /** The dashboard to serve; default a stand-in of the harness's own. */
    rendererDir?: string;
  } = {},
): Promise<Harness> {
  const standIn = opts.rendererDir ? null : await standInDashboard();
  const p = await startTestProxy({
    accounts: opts.accounts,
    fake: opts.fake,
    // Sign-ins get a callback server on a free port.
    env: { CODEX_CLAUDE_PROXY_CALLBACK_PORT: '0', ...opts.env },
    core: { apiKey: opts.apiKey, host: opts.host, rendererDir: opts.rendererDir ?? standIn?.rendererDir },
  });
  const port = Number(new URL(p.url).port);
  return {
    ...p,
    url: `http://127.0.0.1:${port}`,
    port,
    async close() {
      await p.close();
      if (standIn) await rm(standIn.dir, { recursive: true, force: true });
    },
  };
}

export interface RawReply {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  json<T = { type?: string; error?: { type: string; message: string } }>(): T;
}

export interface RawRequest {
  method?: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Connect from this local address (any 127.x works on Linux; see `pretendPeers`). */
  localAddress?: string;
  host?: string;
}

/** One request on a fresh connection, headers exactly as given (a `host` header overrides). */
export function rawRequest(port: number, req: RawRequest): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    const r = http.request(
      {
        host: req.host ?? '127.0.0.1',
        port,
        method: req.method ?? 'GET',
        path: req.path,
        localAddress: req.localAddress,
        agent: false,
        headers: { host: `127.0.0.1:${port}`, ...req.headers },
        // Paths such as `//a:99999/` or `/%00` must reach the server as written.
        insecureHTTPParser: true,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: () => JSON.parse(text) });
        });
        res.on('error', reject);
      },
    );
    r.on('error', reject);
    r.end(req.body);
  });
}

/**
 * Raw bytes on a fresh connection, and everything that comes back until the server closes it.
 * `halfClose` ends our side after the bytes: a request missing its body then fails at once, but a
 * server that does not answer half-open connections (node:http's default) drops the answer.
 */
export function rawExchange(port: number, bytes: string | Buffer, { halfClose = false } = {}): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    let got = '';
    socket.on('data', (d: Buffer) => (got += d.toString('latin1')));
    socket.on('error', () => undefined);
    socket.on('close', () => resolve(got));
    if (halfClose) socket.end(bytes);
    else socket.write(bytes);
    setTimeout(() => socket.destroy(), 5_000).unref();
  });
}

/**
 * Connections from the given loopback source addresses reach every server in this process as if
 * they came from another address: `pretend.set('127.0.0.77', '192.168.1.20')`. The server's
 * socket gets its own `remoteAddress`, which is all a server can know of its peer.
 */
export function pretendPeers(): { pretend: Map<string, string>; restore(): void } {
  const pretend = new Map<string, string>();
  const proto = net.Server.prototype as { emit: (event: string | symbol, ...args: unknown[]) => boolean };
  const original = proto.emit;
  proto.emit = function (this: net.Server, event: string | symbol, ...args: unknown[]): boolean {
    if (event === 'connection') {
      const socket = args[0] as net.Socket;
      const fake = socket.remoteAddress ? pretend.get(socket.remoteAddress) : undefined;
      if (fake !== undefined) Object.defineProperty(socket, 'remoteAddress', { value: fake });
    }
    return original.call(this, event, ...args);
  };
  return {
    pretend,
    restore: () => {
      proto.emit = original;
    },
  };
}

/** The `name=value` of every Set-Cookie in a reply. */
export function cookiesOf(reply: RawReply): string[] {
  const set = reply.headers['set-cookie'] ?? [];
  return set.map((c) => c.split(';')[0]);
}

export const MESSAGE_BODY = JSON.stringify({
  model: 'claude-sonnet-5-5',
  max_tokens: 64,
  messages: [{ role: 'user', content: 'Say hello.' }],
});
