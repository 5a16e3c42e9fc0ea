// What a capture may keep of a request: the log's secret redaction, plus elision of what is large
// and says nothing to a bug report (images and files as data URLs, encrypted reasoning, thinking
// signatures). Prompt text stays: seeing it is why a user turns capture on.
import { redactSecrets } from '../log/redact.js';

/** Opaque blobs that are only ever round-tripped to the backend. */
const OPAQUE_KEYS = new Set(['encrypted_content', 'signature', 'file_data', 'data']);
/** Shorter opaque values are kept: an empty or short signature can be the bug being reported. */
const OPAQUE_MIN_LENGTH = 64;

function elided(what: string, value: string): string {
  return `[${what} elided, ${value.length} chars]`;
}

function elide(value: unknown, key: string | null): unknown {
  if (typeof value === 'string') {
    if (value.startsWith('data:') && value.includes(';base64,'))
      return elided(value.slice(5, value.indexOf(';')) || 'data', value);
    if (key !== null && OPAQUE_KEYS.has(key) && value.length >= OPAQUE_MIN_LENGTH) return elided(key, value);
    return value;
  }
  if (Array.isArray(value)) return value.map((v) => elide(v, null));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, inner] of Object.entries(value)) out[k] = elide(inner, k);
  return out;
}

export function redactForCapture(value: unknown): unknown {
  return redactSecrets(elide(value, null));
}
