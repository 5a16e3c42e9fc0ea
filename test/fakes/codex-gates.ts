// The real backend's gates in front of the Responses API, enforced by the fake exactly as the
// public reports describe them (docs/FACTS.md, "Identity gate" and "Reasoning belongs to the
// account that produced it"):
// - Cloudflare lets only first-party originators through, and the User-Agent's first product
//   token must name the same client; a `version` header, when sent, must be at least 0.144.0.
// - Encrypted reasoning decrypts only for the account the backend produced it for.
import type { IncomingHttpHeaders } from 'node:http';
import { compareVersions } from './codex-catalog.js';
import type { Rejection } from './codex-validate.js';

const FIRST_PARTY = new Set(['codex_cli_rs', 'codex_vscode', 'codex_sdk_ts', 'codex_exec']);
export const MIN_CLIENT_VERSION = '0.144.0';

function one(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** The page Cloudflare serves when it challenges a client (HTML, not JSON). */
export function cloudflareChallenge(): Rejection & { headers: Record<string, string> } {
  return {
    status: 403,
    body: '<!DOCTYPE html><html><head><title>Just a moment...</title></head><body>Enable JavaScript and cookies to continue</body></html>',
    headers: { 'content-type': 'text/html; charset=UTF-8', 'cf-mitigated': 'challenge', server: 'cloudflare' },
  };
}

export function isFirstPartyOriginator(originator: string): boolean {
  return FIRST_PARTY.has(originator) || originator.startsWith('Codex ');
}

/** Null when the edge lets the request through; otherwise the challenge it answers with. */
export function identityRejection(headers: IncomingHttpHeaders): ReturnType<typeof cloudflareChallenge> | null {
  const originator = one(headers, 'originator') ?? '';
  const userAgent = one(headers, 'user-agent') ?? '';
  const version = one(headers, 'version');
  if (!isFirstPartyOriginator(originator)) return cloudflareChallenge();
  if (!userAgent.startsWith(`${originator}/`)) return cloudflareChallenge();
  if (version !== undefined && !(/^\d+\.\d+\.\d+/.test(version) && compareVersions(version, MIN_CLIENT_VERSION) >= 0))
    return cloudflareChallenge();
  return null;
}

/** Which accounts each encrypted reasoning string was issued to by this fake. */
export class ReasoningLedger {
  private readonly owners = new Map<string, Set<string>>();

  issue(encrypted: string, accountId: string): void {
    const set = this.owners.get(encrypted) ?? new Set<string>();
    set.add(accountId);
    this.owners.set(encrypted, set);
  }

  /** Records every reasoning item an event carries (only `output_item.done` has the content). */
  issueFrom(event: { type?: unknown; item?: unknown }, accountId: string): void {
    const item = event.item as { type?: unknown; encrypted_content?: unknown } | undefined;
    if (item?.type === 'reasoning' && typeof item.encrypted_content === 'string' && item.encrypted_content)
      this.issue(item.encrypted_content, accountId);
  }

  /** The 400 the backend gives to reasoning it cannot decrypt for this account, or null. */
  check(input: unknown, accountId: string): Rejection | null {
    if (!Array.isArray(input)) return null;
    for (const item of input as Array<{ type?: unknown; encrypted_content?: unknown; id?: unknown }>) {
      if (item?.type !== 'reasoning' || typeof item.encrypted_content !== 'string') continue;
      if (this.owners.get(item.encrypted_content)?.has(accountId)) continue;
      return {
        status: 400,
        body: {
          error: {
            message: `The encrypted content for item ${typeof item.id === 'string' ? item.id : 'rs_unknown'} could not be verified.`,
            type: 'invalid_request_error',
            param: null,
            code: 'invalid_encrypted_content',
          },
        },
      };
    }
    return null;
  }
}
