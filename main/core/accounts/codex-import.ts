// Reading the Codex CLI's login file ($CODEX_HOME/auth.json). Its tokens are copied, not moved:
// from then on both programs hold the same single-use refresh token.
import fs from 'node:fs/promises';
import { AccountsError } from './errors.js';
import type { TokenBundle } from './tokens.js';

export interface CodexLogin {
  tokens: TokenBundle;
  /** `tokens.account_id` of the file, used when the JWTs lack the claim. */
  accountId: string | null;
  warnings: string[];
}

type Loose = Record<string, unknown>;

function text(v: unknown): string | null {
  return typeof v === 'string' && v.trim() ? v.trim() : null;
}

export const SHARED_REFRESH_WARNING =
  'The Codex CLI keeps its own copy of these tokens. Refresh tokens are single-use: whichever program refreshes first ' +
  'invalidates the other copy, and a later `codex login`/`codex logout` revokes it. For a durable setup, sign in with ' +
  '`codex-claude-proxy accounts add` (or log the Codex CLI out after importing).';

export async function readCodexLogin(file: string): Promise<CodexLogin> {
  let raw: string;
  try {
    raw = await fs.readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new AccountsError(
        'invalid_request_error',
        `No Codex CLI login found at ${file}. Sign in with \`codex login\` first (or pass the file's path), or add the account ` +
          'directly with `codex-claude-proxy accounts add`. A Codex CLI that keeps its login in the OS keychain ' +
          '(cli_auth_credentials_store = "keyring") has no auth.json to import.',
      );
    }
    throw new AccountsError('invalid_request_error', `Cannot read ${file}: ${(err as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (err) {
    throw new AccountsError('invalid_request_error', `${file} is not valid JSON (${(err as Error).message}).`);
  }
  if (!json || typeof json !== 'object' || Array.isArray(json)) {
    throw new AccountsError('invalid_request_error', `${file} does not look like a Codex CLI auth.json (not a JSON object).`);
  }
  const root = json as Loose;
  const tokens = root.tokens && typeof root.tokens === 'object' ? (root.tokens as Loose) : null;
  const idToken = text(tokens?.id_token);
  const accessToken = text(tokens?.access_token);
  if (!idToken || !accessToken) {
    if (text(root.OPENAI_API_KEY)) {
      throw new AccountsError(
        'invalid_request_error',
        `${file} holds only an OpenAI API key. codex-claude-proxy needs a ChatGPT sign-in: run \`codex login\` with ` +
          '"Sign in with ChatGPT", or use `codex-claude-proxy accounts add`.',
      );
    }
    throw new AccountsError('invalid_request_error', `${file} has no ChatGPT tokens (tokens.id_token and tokens.access_token).`);
  }
  const refreshToken = text(tokens?.refresh_token);
  const warnings = [SHARED_REFRESH_WARNING];
  if (!refreshToken) warnings.push('The file has no refresh token: the account stops working when its access token expires.');
  const lastRefresh = text(root.last_refresh);
  return {
    tokens: {
      id_token: idToken,
      access_token: accessToken,
      refresh_token: refreshToken,
      last_refresh: lastRefresh && Number.isFinite(Date.parse(lastRefresh)) ? new Date(lastRefresh).toISOString() : new Date().toISOString(),
    },
    accountId: text(tokens?.account_id),
    warnings,
  };
}
