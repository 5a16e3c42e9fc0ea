import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeIssuer, type FakeIssuer } from '../../fakes/oauth-issuer.js';
import { openPool, tempHome, type MemoryLog, type TestPool } from './helpers.js';

let issuer: FakeIssuer;
let pool: TestPool;
let log: MemoryLog;

async function newPool(callbackPorts: number[] = [0], extra: { loginTimeoutMs?: number } = {}): Promise<void> {
  ({ pool, log } = await openPool(await tempHome(), { authUrl: issuer.url, callbackPorts, ...extra }));
}

/** Plays the browser at the issuer: opens the authorize URL and returns where it redirects to. */
async function authorize(authUrl: string): Promise<string> {
  const redirectUri = new URL(authUrl).searchParams.get('redirect_uri') as string;
  issuer.registerRedirectUri(redirectUri);
  const res = await fetch(authUrl, { redirect: 'manual' });
  expect(res.status).toBe(302);
  return res.headers.get('location') as string;
}

beforeEach(async () => {
  issuer = await startFakeIssuer({ identity: { accountId: 'acc-login', email: 'lou@example.test', plan: 'team' } });
});

afterEach(async () => {
  await pool?.close();
  await issuer.close();
});

describe('browser sign-in through the loopback callback', () => {
  it('completes end to end: authorize redirect → callback server → code exchange → account', async () => {
    await newPool();
    const login = await pool.startLogin();
    expect(login.callback_listening).toBe(true);
    const url = new URL(login.auth_url);
    expect(url.origin + url.pathname).toBe(`${issuer.url}/oauth/authorize`);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      response_type: 'code',
      client_id: 'app_EMoamEEZ73f0CkXaXp7hrann',
      scope: 'openid profile email offline_access',
      code_challenge_method: 'S256',
      id_token_add_organizations: 'true',
      codex_cli_simplified_flow: 'true',
      originator: expect.any(String),
      state: expect.any(String),
    });
    expect(url.searchParams.get('redirect_uri')).toMatch(/^http:\/\/localhost:\d+\/auth\/callback$/);
    expect(pool.loginStatus(login.login_id).status).toBe('pending');

    const callback = await authorize(login.auth_url);
    const page = await fetch(callback);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('lou@example.test');

    const account = await pool.waitForLogin(login.login_id);
    expect(account).toMatchObject({ account_id: 'acc-login', email: 'lou@example.test', plan: 'team', source: 'oauth', status: 'active' });
    expect(pool.loginStatus(login.login_id)).toMatchObject({ status: 'success', account: { id: account.id } });
    expect(issuer.tokenRequests).toEqual([
      { grant_type: 'authorization_code', content_type: 'application/x-www-form-urlencoded', keys: ['grant_type', 'code', 'redirect_uri', 'client_id', 'code_verifier'] },
    ]);
    // The callback server lives only while a sign-in is pending.
    await expect(fetch(callback)).rejects.toThrow();
    expect(log.lines.join('\n')).not.toMatch(/eyJ|rt_/);
  });

  it('refuses a callback whose state does not match, and keeps the sign-in pending', async () => {
    await newPool();
    const login = await pool.startLogin();
    const callback = new URL(await authorize(login.auth_url));
    const forged = new URL(callback);
    forged.searchParams.set('state', 'not-the-state');
    const page = await fetch(forged);
    expect(page.status).toBe(400);
    expect(await page.text()).toMatch(/state mismatch/);
    expect(pool.loginStatus(login.login_id).status).toBe('pending');
    expect((await fetch(callback)).status).toBe(200);
    await expect(pool.waitForLogin(login.login_id)).resolves.toMatchObject({ account_id: 'acc-login' });
  });

  it('reports an error the issuer sends back (Codex not enabled) as a failed sign-in', async () => {
    await newPool();
    const login = await pool.startLogin();
    const callback = new URL(await authorize(login.auth_url));
    callback.searchParams.delete('code');
    callback.searchParams.set('error', 'access_denied');
    callback.searchParams.set('error_description', 'missing_codex_entitlement');
    const page = await fetch(callback);
    expect(page.status).toBe(400);
    expect(await page.text()).toMatch(/Codex is not enabled/);
    expect(pool.loginStatus(login.login_id)).toMatchObject({ status: 'failed', error: expect.stringMatching(/Codex is not enabled/) });
    await expect(pool.waitForLogin(login.login_id)).rejects.toThrow(/Codex is not enabled/);
  });

  it('times out', async () => {
    await newPool([0], { loginTimeoutMs: 50 });
    const login = await pool.startLogin();
    await expect(pool.waitForLogin(login.login_id)).rejects.toThrow(/timed out/);
    expect(pool.loginStatus(login.login_id).status).toBe('expired');
  });
});

describe('manual (headless) sign-in', () => {
  it('when the callback port is busy: a clear message, no crash, and the pasted callback URL completes it', async () => {
    const blocker = http.createServer((_req, res) => res.end('someone else'));
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const busy = (blocker.address() as AddressInfo).port;
    try {
      await newPool([busy]);
      const login = await pool.startLogin();
      expect(login.callback_listening).toBe(false);
      expect(login.callback_error).toMatch(new RegExp(`port ${busy}: already in use`));
      expect(login.callback_error).toMatch(/accounts add --no-browser|\/accounts\/add\/manual/);
      expect(new URL(login.auth_url).searchParams.get('redirect_uri')).toBe(`http://localhost:${busy}/auth/callback`);

      const landed = await authorize(login.auth_url);
      const otherAttempt = new URL(landed);
      otherAttempt.searchParams.set('state', 'stale');
      await expect(pool.completeManual(login.login_id, otherAttempt.toString())).rejects.toThrow(/state mismatch/);
      const account = await pool.completeManual(undefined, `  ${landed}\n`);
      expect(account.account_id).toBe('acc-login');
      expect(pool.loginStatus(login.login_id).status).toBe('success');
    } finally {
      blocker.close();
    }
  });

  it('accepts the bare code for a given login, and answers the same account if pasted twice', async () => {
    await newPool();
    const login = await pool.startLogin({ callbackServer: false });
    expect(login.callback_listening).toBe(false);
    expect(login.callback_error).toBeUndefined();
    const code = new URL(await authorize(login.auth_url)).searchParams.get('code') as string;
    const account = await pool.completeManual(login.login_id, code);
    expect(account.email).toBe('lou@example.test');
    await expect(pool.completeManual(login.login_id, code)).resolves.toMatchObject({ id: account.id });
    await expect(pool.completeManual(undefined, 'some-code')).rejects.toThrow(/No sign-in is pending/);
    await expect(pool.completeManual(login.login_id, '')).rejects.toThrow(/Nothing was pasted/);
  });
});

describe('device-code sign-in', () => {
  it('polls until the person approves the code, then exchanges it', async () => {
    await newPool();
    const device = await pool.startDeviceLogin();
    expect(device.verification_url).toBe(`${issuer.url}/codex/device`);
    expect(pool.loginStatus(device.login_id)).toMatchObject({ kind: 'device', status: 'pending', user_code: device.user_code });
    issuer.approveDevice(device.user_code);
    const account = await pool.waitForLogin(device.login_id);
    expect(account.account_id).toBe('acc-login');
  });
});

describe('callback ports', () => {
  it('falls back to the next port when the first is taken', async () => {
    const blocker = http.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const busy = (blocker.address() as AddressInfo).port;
    try {
      await newPool([busy, 0]);
      const login = await pool.startLogin();
      expect(login.callback_listening).toBe(true);
      const redirect = new URL(new URL(login.auth_url).searchParams.get('redirect_uri') as string);
      expect(Number(redirect.port)).not.toBe(busy);
      expect((await fetch(await authorize(login.auth_url))).status).toBe(200);
      await expect(pool.waitForLogin(login.login_id)).resolves.toMatchObject({ account_id: 'acc-login' });
    } finally {
      blocker.close();
    }
  });
});
