// A strict fake of auth.openai.com for tests: the PKCE authorize redirect, the token endpoint
// (form-encoded code exchange with verifier check; JSON refresh with single-use refresh tokens)
// and the device-code endpoints. It rejects what the real issuer would reject.
import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { codexTokens } from './jwt.js';
import { isFirstPartyOriginator } from './codex-gates.js';

export const FAKE_CLIENT_ID = 'app_EMoamEEZ73f0CkXaXp7hrann';
const REQUIRED_SCOPES = ['openid', 'profile', 'email', 'offline_access'];

export interface FakeIdentity {
  accountId: string;
  email?: string;
  plan?: string;
  userId?: string;
}

export interface FakeIssuerOptions {
  /** Redirect URIs registered for the client (default: localhost 1455 and 1457). */
  redirectUris?: string[];
  /** Who signs in through /oauth/authorize (default acct-fake). */
  identity?: FakeIdentity;
  /** Lifetime of issued access tokens in seconds (default 1 h). */
  accessTtlSec?: number;
  /** Delay before answering a refresh, to widen race windows. */
  refreshDelayMs?: number;
}

export interface TokenRequestRecord {
  grant_type: string;
  content_type: string;
  /** Body keys (never values) the client sent. */
  keys: string[];
}

export interface IssuedSet {
  id_token: string;
  access_token: string;
  refresh_token: string;
}

export interface FakeIssuer {
  url: string;
  close(): Promise<void>;
  tokenRequests: TokenRequestRecord[];
  /** Refresh requests that reached the token endpoint (successful or not). */
  refreshCount(): number;
  /** Makes every later refresh fail with this error code (`server_error` → HTTP 500); null heals. */
  setRefreshFailure(code: string | null): void;
  registerRedirectUri(uri: string): void;
  /** Tokens as if signed in earlier (e.g. for an imported auth.json); the refresh token is live. */
  mint(identity?: FakeIdentity, accessTtlSec?: number): IssuedSet;
  /** True when this refresh token may still be used once. */
  isLive(refreshToken: string): boolean;
  /** Completes a pending device-code sign-in. */
  approveDevice(userCode: string): void;
}

interface PendingCode {
  challenge: string;
  redirectUri: string;
  identity: FakeIdentity;
  used: boolean;
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function json(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function token(prefix: string): string {
  return `${prefix}_${randomBytes(24).toString('base64url')}`;
}

export async function startFakeIssuer(opts: FakeIssuerOptions = {}): Promise<FakeIssuer> {
  const redirectUris = new Set(
    opts.redirectUris ?? ['http://localhost:1455/auth/callback', 'http://localhost:1457/auth/callback'],
  );
  const defaultIdentity: FakeIdentity = opts.identity ?? {
    accountId: 'acct-fake',
    email: 'fake@example.test',
    plan: 'plus',
  };
  const codes = new Map<string, PendingCode>();
  /** refresh token → identity, and whether it was spent. */
  const refreshTokens = new Map<string, { identity: FakeIdentity; used: boolean }>();
  const devices = new Map<string, { userCode: string; approved: boolean; identity: FakeIdentity }>();
  const tokenRequests: TokenRequestRecord[] = [];
  let refreshes = 0;
  let refreshFailure: string | null = null;
  let base = '';

  const issue = (identity: FakeIdentity, ttl = opts.accessTtlSec ?? 3600): IssuedSet => {
    const pair = codexTokens({ ...identity, expiresInSec: ttl });
    const refresh_token = token('rt');
    refreshTokens.set(refresh_token, { identity, used: false });
    return { ...pair, refresh_token };
  };

  const authorize = (url: URL, res: http.ServerResponse): void => {
    const q = url.searchParams;
    const problems: string[] = [];
    if (q.get('response_type') !== 'code') problems.push('response_type must be code');
    if (q.get('client_id') !== FAKE_CLIENT_ID) problems.push('unknown client_id');
    const redirectUri = q.get('redirect_uri') ?? '';
    if (!redirectUris.has(redirectUri)) problems.push(`redirect_uri ${redirectUri} is not registered`);
    const scopes = (q.get('scope') ?? '').split(' ');
    if (!REQUIRED_SCOPES.every((s) => scopes.includes(s)))
      problems.push('scope must include openid profile email offline_access');
    if (q.get('code_challenge_method') !== 'S256') problems.push('code_challenge_method must be S256');
    if (!/^[A-Za-z0-9_-]{43}$/.test(q.get('code_challenge') ?? ''))
      problems.push('code_challenge must be a base64url SHA-256');
    if (!q.get('state')) problems.push('state is required');
    if (q.get('id_token_add_organizations') !== 'true') problems.push('id_token_add_organizations=true is expected');
    if (q.get('codex_cli_simplified_flow') !== 'true') problems.push('codex_cli_simplified_flow=true is expected');
    if (!q.get('originator')) problems.push('originator is expected');
    if (problems.length) return json(res, 400, { error: 'invalid_request', error_description: problems.join('; ') });
    // The real consent step checks the originator against the client's allow-list and fails with
    // this misleading code (docs/FACTS.md, "Sign-in originator"); the browser never comes back.
    if (!isFirstPartyOriginator(q.get('originator') ?? '')) {
      return json(res, 400, { error: { code: 'missing_required_parameter', message: 'Missing required parameter.' } });
    }
    const code = token('code');
    codes.set(code, {
      challenge: q.get('code_challenge') as string,
      redirectUri,
      identity: defaultIdentity,
      used: false,
    });
    const target = new URL(redirectUri);
    target.searchParams.set('code', code);
    target.searchParams.set('state', q.get('state') as string);
    res.writeHead(302, { location: target.toString() });
    res.end();
  };

  const exchange = (form: URLSearchParams, res: http.ServerResponse): void => {
    if (form.get('client_id') !== FAKE_CLIENT_ID) return json(res, 401, { error: 'invalid_client' });
    const pending = codes.get(form.get('code') ?? '');
    if (!pending || pending.used)
      return json(res, 400, { error: 'invalid_grant', error_description: 'unknown or used code' });
    if (form.get('redirect_uri') !== pending.redirectUri) {
      return json(res, 400, {
        error: 'invalid_grant',
        error_description: 'redirect_uri differs from the authorize request',
      });
    }
    const verifier = form.get('code_verifier') ?? '';
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    if (!/^[A-Za-z0-9._~-]{43,128}$/.test(verifier) || challenge !== pending.challenge) {
      return json(res, 400, {
        error: 'invalid_grant',
        error_description: 'code_verifier does not match the challenge',
      });
    }
    pending.used = true;
    json(res, 200, { ...issue(pending.identity), expires_in: opts.accessTtlSec ?? 3600, token_type: 'Bearer' });
  };

  const refresh = async (body: Record<string, unknown>, res: http.ServerResponse): Promise<void> => {
    refreshes++;
    if (opts.refreshDelayMs) await new Promise((r) => setTimeout(r, opts.refreshDelayMs));
    if (body.client_id !== FAKE_CLIENT_ID) return json(res, 401, { error: 'invalid_client' });
    // A `scope` on refresh is accepted (the newest CLI sends one); only its absence was ever usual.
    if (refreshFailure === 'server_error') return json(res, 500, { error: 'server_error' });
    if (refreshFailure)
      return json(res, 400, { error: refreshFailure, error_description: `refresh refused (${refreshFailure})` });
    const entry = refreshTokens.get(String(body.refresh_token ?? ''));
    if (!entry) {
      return json(res, 401, {
        error: { code: 'refresh_token_invalidated', message: 'This refresh token is not valid.' },
      });
    }
    if (entry.used) {
      return json(res, 400, {
        error: 'invalid_grant',
        error_description: 'This refresh token was already exchanged once.',
        code: 'refresh_token_reused',
      });
    }
    entry.used = true;
    json(res, 200, { ...issue(entry.identity), expires_in: opts.accessTtlSec ?? 3600 });
  };

  const deviceStart = (body: Record<string, unknown>, res: http.ServerResponse): void => {
    if (body.client_id !== FAKE_CLIENT_ID) return json(res, 401, { error: 'invalid_client' });
    const id = token('dev');
    const userCode = randomBytes(4).toString('hex').toUpperCase();
    devices.set(id, { userCode, approved: false, identity: defaultIdentity });
    json(res, 200, { device_auth_id: id, user_code: userCode, interval: '1' });
  };

  const devicePoll = (body: Record<string, unknown>, res: http.ServerResponse): void => {
    const device = devices.get(String(body.device_auth_id ?? ''));
    if (!device || device.userCode !== body.user_code) return json(res, 404, { error: 'unknown device code' });
    if (!device.approved) return json(res, 403, { error: 'authorization_pending' });
    devices.delete(String(body.device_auth_id));
    const verifier = randomBytes(64).toString('base64url');
    const code = token('code');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    codes.set(code, { challenge, redirectUri: `${base}/deviceauth/callback`, identity: device.identity, used: false });
    json(res, 200, { authorization_code: code, code_challenge: challenge, code_verifier: verifier });
  };

  const server = http.createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://issuer');
      if (req.method === 'GET' && url.pathname === '/oauth/authorize') return authorize(url, res);
      if (req.method !== 'POST') return json(res, 404, { error: 'not_found' });
      const raw = await readBody(req);
      const type = (req.headers['content-type'] ?? '').split(';')[0].trim();
      if (url.pathname === '/oauth/token') {
        if (type === 'application/x-www-form-urlencoded') {
          const form = new URLSearchParams(raw);
          tokenRequests.push({ grant_type: form.get('grant_type') ?? '', content_type: type, keys: [...form.keys()] });
          if (form.get('grant_type') === 'authorization_code') return exchange(form, res);
          return json(res, 400, {
            error: 'unsupported_grant_type',
            error_description: 'form bodies are for authorization_code only',
          });
        }
        if (type === 'application/json') {
          const body = JSON.parse(raw) as Record<string, unknown>;
          tokenRequests.push({
            grant_type: String(body.grant_type ?? ''),
            content_type: type,
            keys: Object.keys(body),
          });
          if (body.grant_type === 'refresh_token') return refresh(body, res);
          return json(res, 400, {
            error: 'unsupported_grant_type',
            error_description: 'JSON bodies are for refresh_token only',
          });
        }
        return json(res, 415, { error: 'unsupported content type' });
      }
      const body = type === 'application/json' && raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
      if (url.pathname === '/api/accounts/deviceauth/usercode') return deviceStart(body, res);
      if (url.pathname === '/api/accounts/deviceauth/token') return devicePoll(body, res);
      json(res, 404, { error: 'not_found' });
    })().catch((err: Error) => json(res, 500, { error: 'fake_issuer_crash', error_description: err.message }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: base,
    tokenRequests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
    refreshCount: () => refreshes,
    setRefreshFailure: (code) => {
      refreshFailure = code;
    },
    registerRedirectUri: (uri) => {
      redirectUris.add(uri);
    },
    mint: (identity = defaultIdentity, ttl) => issue(identity, ttl),
    isLive: (rt) => refreshTokens.get(rt)?.used === false,
    approveDevice: (userCode) => {
      for (const d of devices.values()) if (d.userCode === userCode) d.approved = true;
    },
  };
}
