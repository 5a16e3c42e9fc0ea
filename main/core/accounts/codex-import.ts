// Reading the Codex CLI's login file ($CODEX_HOME/auth.json). Its tokens are copied, not moved:
// from then on both programs hold the same single-use refresh token.
import { constants, type Stats } from 'node:fs';
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

/** An auth.json is a few kB: anything over this is not one, and is never read into memory. */
const MAX_AUTH_FILE_BYTES = 1024 * 1024;
/** Non-blocking, so that a FIFO put in the file's place after the stat cannot hold the open (not on Windows). */
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

function notFound(file: string): AccountsError {
  return new AccountsError(
    'invalid_request_error',
    `No Codex CLI login found at ${file}. Sign in with \`codex login\` first (or pass the file's path), or add the account ` +
      'directly with `codex-claude-proxy accounts add`. A Codex CLI that keeps its login in the OS keychain ' +
      '(cli_auth_credentials_store = "keyring") has no auth.json to import.',
  );
}

function refused(file: string, why: string): AccountsError {
  return new AccountsError('invalid_request_error', `Cannot import ${file}: ${why}.`);
}

function tooLarge(file: string): AccountsError {
  return refused(file, 'it is larger than 1 MB, which no Codex CLI auth.json is');
}

/** The error code only: the caller learns that the file is unusable, nothing about the file system beyond. */
function unreadable(file: string, err: unknown): AccountsError {
  if (err instanceof AccountsError) return err;
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return notFound(file);
  return refused(file, `it cannot be read (${code ?? 'I/O error'})`);
}

/** A FIFO or a device would block a thread or never end; a huge file would fill memory. */
function assertSmallRegularFile(file: string, st: Stats): void {
  if (!st.isFile()) throw refused(file, 'it is not a regular file');
  if (st.size > MAX_AUTH_FILE_BYTES) throw tooLarge(file);
}

/**
 * The path comes from the caller and may name anything. It is looked at before it is opened, and
 * what was opened is looked at again before any byte is read, so neither a FIFO nor /dev/zero nor
 * a multi-GB file ever reaches a read: none of libuv's threads, which /v1/messages shares, can be
 * held by an import.
 */
async function readAuthFile(file: string): Promise<string> {
  let handle: fs.FileHandle;
  try {
    assertSmallRegularFile(file, await fs.stat(file));
    handle = await fs.open(file, OPEN_FLAGS);
  } catch (err) {
    throw unreadable(file, err);
  }
  try {
    assertSmallRegularFile(file, await handle.stat());
    // One byte more than allowed shows a file that grew since the stat.
    const buffer = Buffer.alloc(MAX_AUTH_FILE_BYTES + 1);
    let length = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length > MAX_AUTH_FILE_BYTES) throw tooLarge(file);
    }
    return buffer.toString('utf8', 0, length);
  } catch (err) {
    throw unreadable(file, err);
  } finally {
    await handle.close().catch(() => undefined);
  }
}

export async function readCodexLogin(file: string): Promise<CodexLogin> {
  const raw = await readAuthFile(file);
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    // Not the parser's message: it quotes the start of the file, which may be anything (/etc/passwd).
    throw new AccountsError('invalid_request_error', `${file} is not valid JSON, so it is not a Codex CLI auth.json.`);
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
