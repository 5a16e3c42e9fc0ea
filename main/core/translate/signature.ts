// Claude Code returns our thinking blocks byte-identical on the next request, so the block's
// signature is where Codex's encrypted reasoning travels between stateless (store:false) turns.
// The backend decrypts reasoning only for the account that produced it (docs/FACTS.md, "Reasoning
// belongs to the account that produced it"), so the signature also names that account — by a
// keyed tag, never the account id itself.
import { createHash } from 'node:crypto';

// ':' never occurs in Anthropic's base64 signatures, so a foreign signature cannot look like ours.
const PREFIX = 'ccp:v2:';
const CHECKSUM_LENGTH = 12;
/** Tags are hex; an empty tag means "produced by an account we could not name". */
const TAG = /^[0-9a-f]{0,64}$/;

function checksum(owner: string, encryptedContent: string): string {
  return createHash('sha256').update(`${owner}:${encryptedContent}`).digest('hex').slice(0, CHECKSUM_LENGTH);
}

export function encodeSignature(encryptedContent: string, owner = ''): string {
  return `${PREFIX}${owner}:${checksum(owner, encryptedContent)}:${encryptedContent}`;
}

export interface DecodedSignature {
  encrypted: string;
  /** The producing account's tag ('' when unknown). */
  owner: string;
}

/**
 * The encrypted reasoning carried by one of our signatures, or null for anything else (another
 * provider's signature, ours damaged in transit, or the v1 form that did not name its account):
 * upstream rejects altered or foreign encrypted content, so such blocks are better dropped.
 */
export function decodeSignature(signature: string): DecodedSignature | null {
  if (typeof signature !== 'string' || !signature.startsWith(PREFIX)) return null;
  const rest = signature.slice(PREFIX.length);
  const ownerEnd = rest.indexOf(':');
  if (ownerEnd < 0) return null;
  const owner = rest.slice(0, ownerEnd);
  const sum = rest.slice(ownerEnd + 1, ownerEnd + 1 + CHECKSUM_LENGTH);
  if (!TAG.test(owner) || rest[ownerEnd + 1 + CHECKSUM_LENGTH] !== ':') return null;
  const encrypted = rest.slice(ownerEnd + 2 + CHECKSUM_LENGTH);
  if (encrypted === '' || checksum(owner, encrypted) !== sum) return null;
  return { encrypted, owner };
}
