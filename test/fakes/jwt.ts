// Unsigned but well-formed JWTs shaped like the ones auth.openai.com issues, for tests. Nothing in
// the proxy verifies signatures (it only decodes claims), so a random signature segment is enough.
import { randomBytes, randomUUID } from 'node:crypto';

export const OPENAI_AUTH_CLAIM = 'https://api.openai.com/auth';
export const OPENAI_PROFILE_CLAIM = 'https://api.openai.com/profile';
const ISSUER = 'https://auth.openai.com';
const CLIENT_ID = 'app_EMoamEEZ73f0CkXaXp7hrann';

function base64url(value: string | Buffer): string {
  return Buffer.from(value).toString('base64url');
}

export function makeJwt(claims: Record<string, unknown>): string {
  const header = { alg: 'RS256', typ: 'JWT', kid: 'fake-test-key' };
  return [base64url(JSON.stringify(header)), base64url(JSON.stringify(claims)), base64url(randomBytes(32))].join('.');
}

/** Decodes a JWT's payload without verifying it; null when the token is not a well-formed JWT. */
export function decodeJwt(token: string): Record<string, unknown> | null {
  const parts = token.split('.');
  if (parts.length !== 3 || parts.some((p) => !/^[A-Za-z0-9_-]+$/.test(p))) return null;
  try {
    const payload: unknown = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
    return payload && typeof payload === 'object' && !Array.isArray(payload)
      ? (payload as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

export interface CodexTokenOptions {
  accountId: string;
  email?: string;
  plan?: string;
  /** Lifetime of the access token (its `exp`); negative values make an already expired token. */
  expiresInSec?: number;
  userId?: string;
}

/** An id token and access token pair as the OAuth token endpoint returns them. Fresh `jti`s each call. */
export function codexTokens(opts: CodexTokenOptions): { id_token: string; access_token: string } {
  const now = Math.floor(Date.now() / 1000);
  const email = opts.email ?? `${opts.accountId}@example.test`;
  const userId = opts.userId ?? `user-${opts.accountId}`;
  const auth = {
    chatgpt_account_id: opts.accountId,
    chatgpt_plan_type: opts.plan ?? 'plus',
    chatgpt_user_id: userId,
    user_id: userId,
  };
  const subject = `auth0|${userId}`;
  const id_token = makeJwt({
    iss: ISSUER,
    aud: [CLIENT_ID],
    sub: subject,
    email,
    email_verified: true,
    iat: now,
    exp: now + 3600,
    auth_time: now,
    [OPENAI_AUTH_CLAIM]: auth,
  });
  const access_token = makeJwt({
    iss: ISSUER,
    aud: ['https://api.openai.com/v1'],
    client_id: CLIENT_ID,
    sub: subject,
    iat: now,
    nbf: now,
    exp: now + (opts.expiresInSec ?? 10 * 24 * 3600),
    jti: randomUUID(),
    scp: ['openid', 'profile', 'email', 'offline_access'],
    [OPENAI_AUTH_CLAIM]: auth,
    [OPENAI_PROFILE_CLAIM]: { email, email_verified: true },
  });
  return { id_token, access_token };
}
