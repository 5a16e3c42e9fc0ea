// The issuer's token endpoint: code exchange (form-encoded) and refresh (JSON, no scope), plus the
// device-code endpoints. Messages never contain token material.
import { CLIENT_ID } from './params.js';

export interface IssuedTokens {
  id_token: string;
  access_token: string;
  refresh_token: string;
}

/** Codes that mean the refresh token is dead for good: only a new sign-in helps. */
const TERMINAL_CODES = ['refresh_token_reused', 'refresh_token_expired', 'refresh_token_invalidated', 'invalid_grant'];

export interface DeviceCode {
  deviceAuthId: string;
  userCode: string;
  intervalS: number;
}

export class OAuthError extends Error {
  override readonly name = 'OAuthError';

  constructor(
    message: string,
    /** True when retrying cannot help (the account needs a new sign-in). */
    readonly terminal: boolean,
    readonly code?: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

type Loose = Record<string, unknown>;

function text(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() ? v.trim() : undefined;
}

/** `{"error":"<code>","error_description":…}` or `{"error":{"code","message"}}` (plus a top-level `code`). */
function errorOf(body: unknown): { codes: string[]; message?: string } {
  if (!body || typeof body !== 'object') return { codes: [] };
  const root = body as Loose;
  const nested = root.error && typeof root.error === 'object' ? (root.error as Loose) : {};
  const codes = [text(root.code), text(nested.code), text(nested.type), text(root.error)].filter((c): c is string => !!c);
  return { codes, message: text(root.error_description) ?? text(nested.message) ?? text(root.message) };
}

async function readJson(res: Response): Promise<unknown> {
  const raw = await res.text();
  try {
    return JSON.parse(raw);
  } catch {
    return null;
  }
}

export class TokenClient {
  private readonly base: string;

  constructor(
    authUrl: string,
    private readonly fetchImpl: typeof fetch = globalThis.fetch,
    private readonly timeoutMs = 30_000,
  ) {
    this.base = authUrl.replace(/\/+$/, '');
  }

  private async post(path: string, body: string, contentType: string): Promise<Response> {
    try {
      return await this.fetchImpl(`${this.base}${path}`, {
        method: 'POST',
        headers: { 'content-type': contentType, accept: 'application/json' },
        body,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      throw new OAuthError(`could not reach ${this.base}: ${(err as Error).message}`, false);
    }
  }

  async exchangeCode(opts: { code: string; verifier: string; redirectUri: string }): Promise<IssuedTokens> {
    const form = new URLSearchParams({
      grant_type: 'authorization_code',
      code: opts.code,
      redirect_uri: opts.redirectUri,
      client_id: CLIENT_ID,
      code_verifier: opts.verifier,
    });
    const res = await this.post('/oauth/token', form.toString(), 'application/x-www-form-urlencoded');
    const body = await readJson(res);
    if (!res.ok) {
      const err = errorOf(body);
      throw new OAuthError(
        `the sign-in code was not accepted (HTTP ${res.status}${err.codes[0] ? `, ${err.codes[0]}` : ''}${err.message ? `: ${err.message}` : ''})`,
        true,
        err.codes[0],
        res.status,
      );
    }
    const tokens = (body ?? {}) as Loose;
    const id = text(tokens.id_token);
    const access = text(tokens.access_token);
    const refresh = text(tokens.refresh_token);
    if (!id || !access || !refresh) throw new OAuthError('the token endpoint answered without id, access and refresh tokens', true);
    return { id_token: id, access_token: access, refresh_token: refresh };
  }

  /** Fields the issuer left out stay as they were (it may keep the refresh token). */
  async refresh(refreshToken: string): Promise<Partial<IssuedTokens>> {
    const res = await this.post(
      '/oauth/token',
      JSON.stringify({ client_id: CLIENT_ID, grant_type: 'refresh_token', refresh_token: refreshToken }),
      'application/json',
    );
    const body = await readJson(res);
    if (!res.ok) {
      const err = errorOf(body);
      const terminalCode = TERMINAL_CODES.find((c) => err.codes.includes(c));
      const terminal = res.status === 401 || (res.status >= 400 && res.status < 500 && terminalCode !== undefined);
      const code = terminalCode ?? err.codes[0];
      throw new OAuthError(
        `token refresh failed (HTTP ${res.status}${code ? `, ${code}` : ''}${err.message ? `: ${err.message}` : ''})`,
        terminal,
        code,
        res.status,
      );
    }
    const tokens = (body ?? {}) as Loose;
    const access = text(tokens.access_token);
    if (!access) throw new OAuthError('the token endpoint answered a refresh without an access token', false);
    return { access_token: access, id_token: text(tokens.id_token), refresh_token: text(tokens.refresh_token) };
  }

  /** Device-code sign-in, step 1: a code the person enters at `{issuer}/codex/device`. */
  async deviceStart(): Promise<DeviceCode> {
    const res = await this.post('/api/accounts/deviceauth/usercode', JSON.stringify({ client_id: CLIENT_ID }), 'application/json');
    if (res.status === 404) throw new OAuthError('device-code sign-in is not enabled on this issuer', true, undefined, 404);
    const body = (await readJson(res)) as Loose | null;
    const deviceAuthId = text(body?.device_auth_id);
    const userCode = text(body?.user_code) ?? text(body?.usercode);
    if (!res.ok || !deviceAuthId || !userCode) throw new OAuthError(`device-code sign-in could not start (HTTP ${res.status})`, true, undefined, res.status);
    const interval = Number(body?.interval);
    return { deviceAuthId, userCode, intervalS: Number.isFinite(interval) && interval > 0 ? interval : 5 };
  }

  /** Step 2, polled: null while the person has not finished (the issuer answers 403/404 then). */
  async devicePoll(code: DeviceCode): Promise<{ code: string; verifier: string } | null> {
    const res = await this.post(
      '/api/accounts/deviceauth/token',
      JSON.stringify({ device_auth_id: code.deviceAuthId, user_code: code.userCode }),
      'application/json',
    );
    if (res.status === 403 || res.status === 404) return null;
    const body = (await readJson(res)) as Loose | null;
    const authCode = text(body?.authorization_code);
    const verifier = text(body?.code_verifier);
    if (!res.ok || !authCode || !verifier) throw new OAuthError(`device-code sign-in failed (HTTP ${res.status})`, true, undefined, res.status);
    return { code: authCode, verifier };
  }

  /** The redirect URI the issuer registered for codes obtained through the device flow. */
  get deviceRedirectUri(): string {
    return `${this.base}/deviceauth/callback`;
  }
}
