// Who an account is, read from its token claims. Tokens are decoded, never verified: they come
// from the issuer over TLS or from the Codex CLI's own file, and only the backend judges them.
import { AccountsError } from './errors.js';

const AUTH_CLAIM = 'https://api.openai.com/auth';
const PROFILE_CLAIM = 'https://api.openai.com/profile';

type Claims = Record<string, unknown>;

export interface TokenIdentity {
  /** `chatgpt_account_id`: the account/workspace, sent upstream as ChatGPT-Account-ID. */
  accountId: string;
  userId: string | null;
  email: string | null;
  plan: string | null;
  /** Unix seconds when the access token expires, when it says. */
  accessExpiresAt: number | null;
}

export function decodeJwtClaims(token: string | null | undefined): Claims | null {
  const payload = token?.split('.')[1];
  if (!payload) return null;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Claims) : null;
  } catch {
    return null;
  }
}

function objectAt(claims: Claims | null, key: string): Claims {
  const v = claims?.[key];
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Claims) : {};
}

function text(...values: unknown[]): string | null {
  for (const v of values) if (typeof v === 'string' && v.trim()) return v.trim();
  return null;
}

/** Unix seconds of the token's `exp`, or null when it is not a JWT with one. */
export function tokenExpiry(token: string | null | undefined): number | null {
  const exp = decodeJwtClaims(token)?.exp;
  return typeof exp === 'number' && Number.isFinite(exp) ? exp : null;
}

export function identityFromTokens(tokens: { id_token: string; access_token: string }, fallbackAccountId?: string | null): TokenIdentity {
  const id = decodeJwtClaims(tokens.id_token);
  const access = decodeJwtClaims(tokens.access_token);
  const idAuth = objectAt(id, AUTH_CLAIM);
  const accessAuth = objectAt(access, AUTH_CLAIM);
  const accountId = text(idAuth.chatgpt_account_id, accessAuth.chatgpt_account_id, fallbackAccountId);
  if (!accountId) {
    throw new AccountsError(
      'invalid_request_error',
      'The tokens carry no ChatGPT account id (claim https://api.openai.com/auth.chatgpt_account_id); they are not from a ChatGPT sign-in.',
    );
  }
  return {
    accountId,
    userId: text(idAuth.chatgpt_user_id, idAuth.user_id, accessAuth.chatgpt_user_id, accessAuth.user_id, id?.sub, access?.sub),
    email: text(id?.email, objectAt(access, PROFILE_CLAIM).email),
    plan: text(accessAuth.chatgpt_plan_type, idAuth.chatgpt_plan_type),
    accessExpiresAt: tokenExpiry(tokens.access_token),
  };
}
