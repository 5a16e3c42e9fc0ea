// The one place errors are answered (server/app.ts): whatever a route throws, the client gets the
// Anthropic envelope (or OpenAI's shape on /v1/chat/), the status and headers the error carries,
// and never a stack trace.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorAnswers } from '../../../main/core/server/app.js';
import { tellUnexpected } from '../../../main/core/server/request-context.js';
import { ClientError } from '../../../main/core/util/client-error.js';
import { AccountsError } from '../../../main/core/accounts/errors.js';
import { ClaudeConfigError } from '../../../main/core/claude/errors.js';
import { RequestError } from '../../../main/core/translate/request-error.js';
import { ChatRequestError } from '../../../main/core/openai/chat-to-anthropic.js';

const logged: string[] = [];
let server: http.Server;
let base: string;

/** What each path throws. */
const THROWN: Record<string, () => unknown> = {
  '/limited': () =>
    new ClientError('rate_limit_error', 'All accounts are limited.', {
      retryAfterSeconds: 90.2,
      headers: { 'x-extra': 'yes' },
      code: 'usage_limit_reached',
    }),
  '/bad-status': () => new ClientError('invalid_request_error', 'Odd status.', { status: 200 }),
  '/accounts': () => new AccountsError('not_found_error', 'No account with id x.'),
  '/claude': () => new ClaudeConfigError('read-only', '/home/u/.claude/settings.json is read-only.'),
  '/translate': () => new RequestError('invalid_request_error', 'tools[0] has no name.'),
  '/crash': () => new Error('secret internals at /srv/x.js:1'),
  '/told': () => new Error('the keychain is locked'),
  '/koa': () => Object.assign(new Error('Not allowed here.'), { status: 403, expose: true }),
  '/v1/chat/completions': () => new ChatRequestError('`messages` is required.', 'messages'),
  '/V1/Chat/limited': () => new ClientError('rate_limit_error', 'Limited.', { retryAfterSeconds: 3 }),
};

beforeAll(async () => {
  const app = new Koa();
  app.on('error', () => undefined);
  app.use(errorAnswers({ warn: (...a: unknown[]) => void logged.push(JSON.stringify(a)), error: () => undefined }));
  app.use(async (ctx) => {
    if (ctx.path === '/told') tellUnexpected(ctx, (err) => `Accounts operation failed: ${err.message}`);
    if (ctx.path === '/after-commit') {
      // As the SSE writers do: the answer goes straight to the socket.
      ctx.respond = false;
      ctx.res.writeHead(200, { 'content-type': 'text/plain' });
      ctx.res.write('partial');
      setTimeout(() => ctx.res.end(), 50);
      throw new ClientError('api_error', 'too late');
    }
    const thrown = THROWN[ctx.path];
    if (thrown) throw thrown();
    ctx.body = { ok: true };
  });
  server = http.createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function get(path: string) {
  const res = await fetch(base + path);
  return { status: res.status, headers: res.headers, json: (await res.json()) as Record<string, unknown> };
}

describe('the error middleware', () => {
  it('answers a ClientError in the Anthropic envelope with its status, headers and retry-after', async () => {
    const reply = await get('/limited');
    expect(reply.status).toBe(429);
    expect(reply.headers.get('retry-after')).toBe('91');
    expect(reply.headers.get('x-extra')).toBe('yes');
    const id = reply.headers.get('request-id');
    expect(id).toMatch(/^req_/);
    expect(reply.json).toEqual({
      type: 'error',
      error: { type: 'rate_limit_error', message: 'All accounts are limited.' },
      request_id: id,
    });
  });

  it('replaces a status outside 400-599 by the one of the error type', async () => {
    expect((await get('/bad-status')).status).toBe(400);
  });

  it.each([
    ['/accounts', 404, 'not_found_error'],
    ['/claude', 403, 'permission_error'],
    ['/translate', 400, 'invalid_request_error'],
    ['/koa', 403, 'permission_error'],
  ])('answers what %s throws as its own error type', async (path, status, type) => {
    const reply = await get(path);
    expect(reply.status).toBe(status);
    expect((reply.json.error as { type: string }).type).toBe(type);
  });

  it('answers anything else with a 500 that points to the log, never its message or stack', async () => {
    const reply = await get('/crash');
    expect(reply.status).toBe(500);
    expect(reply.json.error).toEqual({
      type: 'api_error',
      message: 'Internal error in the proxy; see its log for details.',
    });
  });

  it("tells an unexpected failure the route's way when the route says how", async () => {
    const reply = await get('/told');
    expect(reply.status).toBe(500);
    expect(reply.json.error).toEqual({
      type: 'api_error',
      message: 'Accounts operation failed: the keychain is locked',
    });
  });

  it("answers on the OpenAI endpoint in OpenAI's shape, param and code included", async () => {
    const reply = await get('/v1/chat/completions');
    expect(reply.status).toBe(400);
    expect(reply.json).toEqual({
      error: { message: '`messages` is required.', type: 'invalid_request_error', param: 'messages', code: null },
    });
    const limited = await get('/V1/Chat/limited');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('3');
    expect(limited.json).toEqual({
      error: { message: 'Limited.', type: 'rate_limit_error', param: null, code: 'rate_limit_exceeded' },
    });
  });

  it('leaves an answer that already started alone and logs the failure', async () => {
    const res = await fetch(`${base}/after-commit`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('partial');
    expect(logged.some((line) => line.includes('too late'))).toBe(true);
  });
});
