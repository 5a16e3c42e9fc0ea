// The ChatGPT sign-in as the Codex CLI performs it (docs/FACTS.md, "ChatGPT sign-in parameters"). The
// issuer only accepts the redirect URIs registered for this public client, hence the fixed ports.
import { createHash, randomBytes } from 'node:crypto';

export const CLIENT_ID = 'app_EMoamEEZ73f0CkXaXp7hrann';
/** The base scopes; the newest CLI adds connector scopes a proxy has no use for. */
export const SCOPE = 'openid profile email offline_access';
export const CALLBACK_PATH = '/auth/callback';
/** 1455 is registered; the Codex CLI falls back to 1457 when 1455 is taken. */
export const DEFAULT_CALLBACK_PORTS: readonly number[] = [1455, 1457];
export const CALLBACK_PORT_ENV = 'CODEX_CLAUDE_PROXY_CALLBACK_PORT';

export function redirectUriFor(port: number): string {
  return `http://localhost:${port}${CALLBACK_PATH}`;
}

export interface Pkce {
  verifier: string;
  challenge: string;
}

/** S256: a 64-byte random verifier (86 base64url chars, within 43–128) and its SHA-256. */
export function createPkce(): Pkce {
  const verifier = randomBytes(64).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export function randomState(): string {
  return randomBytes(32).toString('base64url');
}

export function authorizeUrl(opts: {
  authUrl: string;
  redirectUri: string;
  challenge: string;
  state: string;
  /** The consent page admits only the originators allowed for this client id (upstream/identity.ts). */
  originator: string;
}): string {
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: CLIENT_ID,
    redirect_uri: opts.redirectUri,
    scope: SCOPE,
    code_challenge: opts.challenge,
    code_challenge_method: 'S256',
    id_token_add_organizations: 'true',
    codex_cli_simplified_flow: 'true',
    state: opts.state,
    originator: opts.originator,
  });
  return `${opts.authUrl.replace(/\/+$/, '')}/oauth/authorize?${query.toString()}`;
}

/** Ports to try for the callback server: env override (one port, 0 = any free one) or 1455 then 1457. */
export function callbackPorts(env: NodeJS.ProcessEnv, override?: readonly number[]): readonly number[] {
  if (override?.length) return override;
  const raw = env[CALLBACK_PORT_ENV]?.trim();
  if (raw) {
    const port = Number(raw);
    if (!Number.isInteger(port) || port < 0 || port > 65535)
      throw new Error(`${CALLBACK_PORT_ENV}=${raw} is not a port number`);
    return [port];
  }
  return DEFAULT_CALLBACK_PORTS;
}
