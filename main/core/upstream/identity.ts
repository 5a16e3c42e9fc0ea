// Who we say we are to OpenAI. The Codex backend sits behind an edge that admits first-party
// Codex clients only: the `originator` header must be one of theirs, the User-Agent's first
// product token must name the same client, and a `version` header below 0.144.0 is refused
// (docs/FACTS.md, "Identity gate"). The sign-in page checks the authorize URL's `originator` the
// same way ("Sign-in originator"). Every call upstream — responses, the model list,
// wham/usage, the authorize URL — takes its identity from here, and it is a setting (env first,
// then config.json) so that a change of the gate needs no release.
import os from 'node:os';
import { VERSION as APP_VERSION } from '../version.js';

export const DEFAULT_ORIGINATOR = 'codex_cli_rs';
/** The newest Codex CLI release we know; the model list hides models newer than the client. */
export const DEFAULT_CLIENT_VERSION = '0.171.0';
export const ORIGINATOR_ENV = 'CODEX_ORIGINATOR';
export const CLIENT_VERSION_ENV = 'CODEX_CLIENT_VERSION';

/** What config.json may hold; any field left out takes its default. */
export interface IdentitySettings {
  originator?: string;
  clientVersion?: string;
  /** First product token of the User-Agent; defaults to the originator (the edge pairs them). */
  userAgentProduct?: string;
}

export type IdentitySource = 'default' | 'settings' | 'env';

export interface UpstreamIdentity {
  originator: string;
  clientVersion: string;
  userAgent: string;
  /** Where each value came from, for /health and the doctor. */
  sources: { originator: IdentitySource; clientVersion: IdentitySource; userAgentProduct: IdentitySource };
}

const TOKEN = /^[A-Za-z0-9._-]{1,64}$/;
// "Codex …" originators (the desktop apps) contain a space; headers forbid only control characters.
const ORIGINATOR = /^[\x20-\x7e]{1,64}$/;
const SEMVER = /^\d{1,4}\.\d{1,4}\.\d{1,4}([-+][0-9A-Za-z.-]{1,32})?$/;

/** A message naming the bad field, or null. Used by the settings writer and at start-up. */
export function identityProblem(value: IdentitySettings): string | null {
  if (value.originator !== undefined && !ORIGINATOR.test(value.originator))
    return `originator "${value.originator}" must be 1–64 printable ASCII characters`;
  if (value.clientVersion !== undefined && !SEMVER.test(value.clientVersion))
    return `client version "${value.clientVersion}" must look like 0.171.0`;
  if (value.userAgentProduct !== undefined && !TOKEN.test(value.userAgentProduct))
    return `User-Agent product "${value.userAgentProduct}" must be a token of letters, digits, ".", "_" or "-"`;
  return null;
}

function pick(
  env: string | undefined,
  stored: string | undefined,
  fallback: string,
): { value: string; source: IdentitySource } {
  if (env?.trim()) return { value: env.trim(), source: 'env' };
  if (stored) return { value: stored, source: 'settings' };
  return { value: fallback, source: 'default' };
}

/**
 * The identity to present: `CODEX_ORIGINATOR` / `CODEX_CLIENT_VERSION`, else the settings, else
 * the Codex CLI's own values. The User-Agent mirrors the CLI's shape and then names us.
 */
export function resolveIdentity(
  stored: IdentitySettings | undefined,
  env: NodeJS.ProcessEnv,
  appVersion: string = APP_VERSION,
): UpstreamIdentity {
  const originator = pick(env[ORIGINATOR_ENV], stored?.originator, DEFAULT_ORIGINATOR);
  const clientVersion = pick(env[CLIENT_VERSION_ENV], stored?.clientVersion, DEFAULT_CLIENT_VERSION);
  const envProblem = identityProblem({ originator: originator.value, clientVersion: clientVersion.value });
  if (envProblem) throw new Error(`Upstream identity: ${envProblem} (check ${ORIGINATOR_ENV}/${CLIENT_VERSION_ENV}).`);
  // Without an explicit product the UA follows the originator verbatim: the edge pairs the two.
  const product = stored?.userAgentProduct
    ? { value: stored.userAgentProduct, source: 'settings' as const }
    : { value: originator.value, source: originator.source };
  const platform = `(${os.type()} ${os.release()}; ${os.arch()})`;
  return {
    originator: originator.value,
    clientVersion: clientVersion.value,
    userAgent: `${product.value}/${clientVersion.value} ${platform} codex-claude-proxy/${appVersion}`,
    sources: { originator: originator.source, clientVersion: clientVersion.source, userAgentProduct: product.source },
  };
}

/** The identity headers every backend call carries. */
export function identityHeaders(identity: UpstreamIdentity): Record<string, string> {
  return { originator: identity.originator, version: identity.clientVersion, 'user-agent': identity.userAgent };
}
