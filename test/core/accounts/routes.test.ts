import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import Koa from 'koa';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { accountsRouter } from '../../../main/core/server/routes/accounts.js';
import { startFakeIssuer, type FakeIssuer } from '../../fakes/oauth-issuer.js';
import { openPool, tempHome, writeAuthJson, type TestPool } from './helpers.js';
import { quietErrorAnswers } from '../../support/error-answers.js';

let issuer: FakeIssuer;
let pool: TestPool;
let server: http.Server;
let base: string;
let home: string;
/** Every body the API answered, to prove no token material ever leaves it. */
const answered: string[] = [];

async function call(method: string, route: string, body?: unknown, raw?: string): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${base}${route}`, {
    method,
    headers: body !== undefined || raw !== undefined ? { 'content-type': 'application/json' } : {},
    body: raw ?? (body === undefined ? undefined : JSON.stringify(body)),
  });
  const text = await res.text();
  answered.push(text);
  return { status: res.status, json: JSON.parse(text) as Record<string, unknown> };
}

beforeEach(async () => {
  issuer = await startFakeIssuer({ identity: { accountId: 'acc-web', email: 'web@example.test' } });
  home = await tempHome();
  ({ pool } = await openPool(home, { authUrl: issuer.url, callbackPorts: [0] }));
  const app = new Koa();
  const router = accountsRouter(pool);
  app.use(quietErrorAnswers());
  app.use(router.routes()).use(router.allowedMethods());
  server = http.createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  await pool.close();
  await issuer.close();
  for (const text of answered.splice(0)) {
    expect(text).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}|rt_[A-Za-z0-9_-]{10,}|rt-acc/);
  }
});

function anthropicError(type: string) {
  return { type: 'error', error: { type, message: expect.any(String) } };
}

describe('accounts HTTP API', () => {
  it('imports, lists, switches, sets the strategy, reports quota and removes', async () => {
    const file = await writeAuthJson(path.join(home, 'codex'), { accountId: 'acc-imp', email: 'imp@example.test' });
    const imported = await call('POST', '/accounts/import', { path: file });
    expect(imported.status).toBe(200);
    expect(imported.json).toMatchObject({ account_id: 'acc-imp', email: 'imp@example.test', warnings: [expect.stringMatching(/single-use/)] });
    const id = imported.json.id as string;

    const list = await call('GET', '/accounts');
    expect(list.json).toMatchObject({ strategy: 'sticky', secret_store: 'file', accounts: [{ id, status: 'active', preferred: false }] });

    expect((await call('POST', '/accounts/switch', { id })).json).toMatchObject({ accounts: [{ id, preferred: true }] });
    expect((await call('POST', '/accounts/switch', { id: null })).json).toMatchObject({ accounts: [{ id, preferred: false }] });
    expect((await call('POST', '/accounts/strategy', { strategy: 'round-robin' })).json).toMatchObject({ strategy: 'round-robin' });
    expect((await call('GET', '/accounts/quota')).json).toMatchObject({ accounts: 1, usable: 1 });

    expect(await call('DELETE', `/accounts/${id}`)).toMatchObject({ status: 200, json: { deleted: true, id } });
    expect(await call('DELETE', `/accounts/${id}`)).toMatchObject({ status: 404, json: anthropicError('not_found_error') });
  });

  it('answers Anthropic-shaped errors with the right status, never a stack', async () => {
    expect(await call('POST', '/accounts/import', undefined, '{"path": ')).toMatchObject({ status: 400, json: anthropicError('invalid_request_error') });
    expect(await call('POST', '/accounts/import', undefined, '[1]')).toMatchObject({ status: 400, json: anthropicError('invalid_request_error') });
    expect(await call('POST', '/accounts/import', { path: 42 })).toMatchObject({ status: 400, json: anthropicError('invalid_request_error') });
    const missing = await call('POST', '/accounts/import', { path: path.join(home, 'nope.json') });
    expect(missing).toMatchObject({ status: 400, json: anthropicError('invalid_request_error') });
    expect(JSON.stringify(missing.json)).toMatch(/No Codex CLI login found/);
    expect(await call('POST', '/accounts/import', undefined, JSON.stringify({ pad: 'x'.repeat(1_100_000) }))).toMatchObject({
      status: 413,
      json: anthropicError('request_too_large'),
    });
    expect(await call('POST', '/accounts/switch', { id: 'acct_nope' })).toMatchObject({ status: 404, json: anthropicError('not_found_error') });
    expect(await call('POST', '/accounts/switch', {})).toMatchObject({ status: 400 });
    expect(await call('POST', '/accounts/strategy', { strategy: 'random' })).toMatchObject({ status: 400, json: anthropicError('invalid_request_error') });
    expect(await call('POST', '/accounts/refresh', { id: 'acct_nope' })).toMatchObject({ status: 404 });
    expect(await call('GET', '/accounts/add/no-such-login')).toMatchObject({ status: 404, json: anthropicError('not_found_error') });
    for (const text of answered) expect(text).not.toMatch(/\n\s+at /);
  });

  it('signs in through POST /accounts/add, polls its status, finishes with a pasted URL, and refreshes', async () => {
    const started = await call('POST', '/accounts/add', {});
    expect(started.status).toBe(200);
    const { auth_url, login_id } = started.json as { auth_url: string; login_id: string };
    expect((await call('GET', `/accounts/add/${login_id}`)).json).toMatchObject({ status: 'pending', auth_url });

    issuer.registerRedirectUri(new URL(auth_url).searchParams.get('redirect_uri') as string);
    const landed = (await fetch(auth_url, { redirect: 'manual' })).headers.get('location') as string;
    const done = await call('POST', '/accounts/add/manual', { login_id, input: landed });
    expect(done).toMatchObject({ status: 200, json: { status: 'success', account: { account_id: 'acc-web', email: 'web@example.test' } } });
    expect((await call('GET', `/accounts/add/${login_id}`)).json).toMatchObject({ status: 'success' });

    const id = (done.json.account as { id: string }).id;
    expect(await call('POST', '/accounts/refresh', { id })).toMatchObject({ status: 200, json: { id, status: 'active' } });
    expect(issuer.refreshCount()).toBe(1);
    expect((await call('POST', '/accounts/refresh/all')).json).toMatchObject({ accounts: [{ id }] });
    expect(await call('POST', '/accounts/add/manual', { input: 'code-for-nobody' })).toMatchObject({ status: 404 });
  });
});
