// Real Claude Code with its request-body compression on (CLAUDE_CODE_GZIP_REQUEST_BODY_LEVEL=6)
// reaches the proxy and is answered. Claude Code 2.1.332 compresses only what it sends to
// https://api.anthropic.com (it checks the base URL's host), never to an ANTHROPIC_BASE_URL of its
// own; so the test plays api.anthropic.com on this machine: Claude Code goes through a local
// CONNECT proxy (HTTPS_PROXY) that ends TLS with a certificate from a throwaway CA
// (NODE_EXTRA_CA_CERTS) and passes the plain HTTP on to our server. CLAUDE_CODE_GZIP_REQUEST_BODIES=1
// keeps compression on although a proxy is set. Nothing leaves the machine.
import { execFileSync } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordedRequest } from '../../fakes/codex-backend.js';
import { canRunClaudeCode, runClaude } from '../../support/claude-code.js';
import { startHarness, type Harness } from './harness.js';

function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** A CA and a certificate for api.anthropic.com signed by it, made with the openssl CLI. */
async function throwawayCa(dir: string): Promise<{ ca: string; key: Buffer; cert: Buffer }> {
  const at = (name: string) => path.join(dir, name);
  const run = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
  run(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'ca.key',
    '-out',
    'ca.crt',
    '-days',
    '1',
    '-subj',
    '/CN=ccp test CA',
  );
  run(
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'leaf.key',
    '-out',
    'leaf.csr',
    '-subj',
    '/CN=api.anthropic.com',
  );
  await writeFile(at('ext.cnf'), 'subjectAltName=DNS:api.anthropic.com\nextendedKeyUsage=serverAuth\n');
  run(
    'x509',
    '-req',
    '-in',
    'leaf.csr',
    '-CA',
    'ca.crt',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    'leaf.crt',
    '-days',
    '1',
    '-extfile',
    'ext.cnf',
  );
  return { ca: at('ca.crt'), key: await readFile(at('leaf.key')), cert: await readFile(at('leaf.crt')) };
}

interface Seen {
  line: string;
  contentEncoding: string | undefined;
}

/**
 * HTTPS_PROXY for Claude Code: CONNECT to api.anthropic.com:443 is answered with our certificate,
 * and what comes out of TLS goes to the proxy under test. Records each request head it passes on.
 */
async function playAnthropic(
  target: number,
  key: Buffer,
  cert: Buffer,
): Promise<{ port: number; seen: Seen[]; close(): void }> {
  const seen: Seen[] = [];
  const terminator = tls.createServer({ key, cert }, (clear) => {
    const upstream = net.connect(target, '127.0.0.1');
    let head = '';
    clear.on('data', (chunk: Buffer) => {
      head += chunk.toString('latin1');
      for (;;) {
        const start = head.search(/(POST|GET|HEAD) \S+ HTTP\/1\.1\r\n/);
        const end = head.indexOf('\r\n\r\n', Math.max(0, start));
        if (start === -1 || end === -1) break;
        const block = head.slice(start, end);
        seen.push({
          line: block.split('\r\n')[0],
          contentEncoding: /\r\ncontent-encoding: *([^\r]*)/i.exec(block)?.[1],
        });
        head = head.slice(end + 4);
      }
    });
    clear.pipe(upstream).pipe(clear);
    clear.on('error', () => upstream.destroy());
    upstream.on('error', () => clear.destroy());
  });
  const server = net.createServer((socket) => {
    socket.on('error', () => undefined);
    socket.once('data', (chunk: Buffer) => {
      if (!chunk.toString('latin1').startsWith('CONNECT api.anthropic.com:443 ')) {
        socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
        return;
      }
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      terminator.emit('connection', socket);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as net.AddressInfo).port, seen, close: () => server.close() };
}

function userText(req: RecordedRequest): string {
  const input = (req.body as { input?: Array<{ role?: string; content?: Array<{ text?: string }> }> }).input ?? [];
  return input
    .filter((i) => i.role === 'user')
    .flatMap((i) => i.content ?? [])
    .map((c) => c.text ?? '')
    .join('\n');
}

describe.skipIf(!canRunClaudeCode || !hasOpenssl())('real Claude Code with gzip request bodies', () => {
  // The key doubles as the token Claude Code sends: the requests arrive naming api.anthropic.com.
  let h: Harness;
  let mitm: Awaited<ReturnType<typeof playAnthropic>>;
  let ca: string;

  beforeAll(async () => {
    h = await startHarness({ apiKey: 'test-token' });
    const dir = path.join(h.home, 'ca');
    await mkdir(dir);
    const made = await throwawayCa(dir);
    ca = made.ca;
    mitm = await playAnthropic(h.port, made.key, made.cert);
  });
  afterAll(async () => {
    mitm?.close();
    await h?.close();
  });

  it('sends Content-Encoding: gzip, and the proxy decompresses and answers it', async () => {
    const cwd = path.join(h.home, 'project');
    await mkdir(cwd);
    // Claude Code compresses bodies of 4096 characters and more; its own system prompt is larger.
    const marker = `GZIP-MARKER-${'z'.repeat(64)}`;
    const run = await runClaude({
      baseUrl: 'https://api.anthropic.com',
      home: h.home,
      cwd,
      args: ['-p', `Repeat ${marker}`, '--output-format', 'json'],
      env: {
        CLAUDE_CODE_GZIP_REQUEST_BODY_LEVEL: '6',
        CLAUDE_CODE_GZIP_REQUEST_BODIES: '1',
        HTTPS_PROXY: `http://127.0.0.1:${mitm.port}`,
        NODE_EXTRA_CA_CERTS: ca,
      },
    });
    expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
    const messages = mitm.seen.filter((s) => s.line.startsWith('POST /v1/messages'));
    expect(messages.length).toBeGreaterThan(0);
    expect(messages.map((s) => s.contentEncoding)).toContain('gzip');
    const result = JSON.parse(run.stdout) as { is_error: boolean; result: string };
    expect(result.is_error).toBe(false);
    expect(h.fake.requests.some((r) => r.path.includes('/responses') && userText(r).includes(marker))).toBe(true);
  });
});
