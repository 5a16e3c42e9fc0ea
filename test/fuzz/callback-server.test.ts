// Fuzz of the OAuth callback server while a sign-in is pending: random request lines (methods,
// targets with hosts, ports, percent signs and control characters) and random headers. Every
// exchange ends in an HTTP answer or a closed socket, never an exception that escapes a handler;
// and the sign-in still works afterwards.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawExchange, startHarness, type Harness } from '../core/server/harness.js';

const escaped: unknown[] = [];
const onEscape = (err: unknown): void => void escaped.push(err);

let h: Harness;
let port: number;

beforeAll(async () => {
  process.on('uncaughtException', onEscape);
  process.on('unhandledRejection', onEscape);
  h = await startHarness();
  const started = (await (await fetch(`${h.url}/accounts/add`, { method: 'POST' })).json()) as { auth_url: string };
  port = Number(new URL(new URL(started.auth_url).searchParams.get('redirect_uri') ?? '').port);
});

afterAll(async () => {
  process.off('uncaughtException', onEscape);
  process.off('unhandledRejection', onEscape);
  await h?.close();
});

const printable = fc.string({
  unit: fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)),
  maxLength: 30,
});
const anyByte = fc.string({
  unit: fc.integer({ min: 0, max: 0xff }).map((c) => String.fromCharCode(c)),
  maxLength: 30,
});

const target = fc.oneof(
  fc.webPath(),
  fc
    .tuple(printable, fc.integer({ min: -5, max: 200_000 }), fc.webPath())
    .map(([host, p, path]) => `//${host}:${p}${path}`),
  fc
    .tuple(fc.constantFrom('http', 'https', 'ftp', 'x'), printable, fc.integer({ min: 0, max: 99_999 }))
    .map(([scheme, host, p]) => `${scheme}://${host}:${p}/auth/callback`),
  fc.constantFrom('*', '//a:99999/', '//[::1/', '/auth/callback?state=%zz', '/auth/callback?code=%', '//@/', '///'),
  fc.webUrl({ withQueryParameters: true, withFragments: true }),
  printable.map((s) => `/auth/callback?${s}`),
  anyByte,
);

const method = fc.oneof(
  fc.constantFrom('GET', 'HEAD', 'POST', 'OPTIONS', 'DELETE', 'CONNECT', 'TRACE', 'PRI'),
  printable,
);
const header = fc.tuple(
  fc.oneof(
    fc.constantFrom('Host', 'Content-Length', 'Transfer-Encoding', 'Expect', 'Upgrade', 'Connection'),
    printable,
  ),
  anyByte,
);
const version = fc.constantFrom('HTTP/1.1', 'HTTP/1.0', 'HTTP/2.0', 'HTTP/9', '');

const request = fc
  .record({ method, target, version, headers: fc.array(header, { maxLength: 6 }), body: anyByte })
  .map(({ method: m, target: t, version: v, headers, body }) =>
    Buffer.from(`${m} ${t} ${v}\r\n${headers.map(([k, val]) => `${k}: ${val}\r\n`).join('')}\r\n${body}`, 'latin1'),
  );

describe('fuzz: the OAuth callback server', () => {
  it('answers or closes on any request line and headers, and nothing escapes a handler', async () => {
    await fc.assert(
      fc.asyncProperty(request, async (bytes) => {
        const reply = await rawExchange(port, bytes, { halfClose: true });
        if (reply !== '') expect(reply).toMatch(/^HTTP\/1\.[01] \d{3} /);
        expect(escaped).toEqual([]);
      }),
      { numRuns: 300 },
    );
    const wrongState = await fetch(`http://127.0.0.1:${port}/auth/callback?code=c&state=nope`);
    expect(wrongState.status).toBe(400);
    expect(await wrongState.text()).toMatch(/state/);
    expect((await fetch(`${h.url}/health`)).status).toBe(200);
  });
});
