// Claude Code returns our thinking blocks byte-identical on the next request, so the block's
// signature is where Codex's encrypted reasoning travels between stateless (store:false) turns.
import { createHash } from 'node:crypto';

// ':' never occurs in Anthropic's base64 signatures, so a foreign signature cannot look like ours.
const PREFIX = 'ccp:v1:';
const CHECKSUM_LENGTH = 12;

function checksum(encryptedContent: string): string {
  return createHash('sha256').update(encryptedContent).digest('hex').slice(0, CHECKSUM_LENGTH);
}

export function encodeSignature(encryptedContent: string): string {
  return `${PREFIX}${checksum(encryptedContent)}:${encryptedContent}`;
}

/**
 * The encrypted reasoning carried by one of our signatures, or null for anything else (another
 * provider's signature, or ours damaged in transit): upstream rejects altered encrypted content,
 * so such blocks are better dropped than replayed.
 */
export function decodeSignature(signature: string): string | null {
  if (typeof signature !== 'string' || !signature.startsWith(PREFIX)) return null;
  const sum = signature.slice(PREFIX.length, PREFIX.length + CHECKSUM_LENGTH);
  if (signature[PREFIX.length + CHECKSUM_LENGTH] !== ':') return null;
  const encryptedContent = signature.slice(PREFIX.length + CHECKSUM_LENGTH + 1);
  if (encryptedContent === '' || checksum(encryptedContent) !== sum) return null;
  return encryptedContent;
}
