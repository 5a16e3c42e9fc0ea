// Secrets must never reach a log sink (file, dashboard stream, terminal). Two layers, because
// neither alone is enough: values under a sensitive key are replaced wherever the key sits, and
// token-looking text is scrubbed from every string, since messages and error texts carry
// headers and tokens that no key name announces.
export const REDACTED = '[redacted]';

/** Key names compared after lower-casing and dropping `-` and `_` (so `X-Api-Key` = `x_api_key`). */
const SENSITIVE_KEYS = new Set([
  'authorization',
  'proxyauthorization',
  'xapikey',
  'apikey',
  'cookie',
  'setcookie',
  'password',
  'secret',
  'clientsecret',
  'codeverifier',
  'chatgptaccountid',
]);

export function isSensitiveKey(key: string): boolean {
  const k = key.toLowerCase().replace(/[-_]/g, '');
  // `*token` covers access_token, refresh_token, id_token, authToken, token; counters such as
  // `input_tokens` end in "tokens" and stay readable.
  return SENSITIVE_KEYS.has(k) || k.endsWith('token');
}

const TEXT_PATTERNS: Array<[RegExp, string]> = [
  // JWTs (OpenAI access and id tokens): header.payload.signature, base64url.
  [/eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g, '[redacted-jwt]'],
  // A credential is long; "Bearer token missing" stays readable.
  [/\b(Bearer)\s+[A-Za-z0-9._~+/=-]{8,}/gi, `$1 ${REDACTED}`],
  // Anthropic / OpenAI style API keys.
  [/\bsk-[A-Za-z0-9_-]{20,}/g, '[redacted-key]'],
];

/** Replaces token-looking substrings of one string. */
export function scrubSecretText(text: string): string {
  let out = text;
  for (const [pattern, replacement] of TEXT_PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

/**
 * Returns a copy of a JSON value with every value under a sensitive key replaced and every
 * string scrubbed, at any depth. Applied to the logger's parsed output, after pino has
 * serialised errors and child bindings (strings are real strings there: `\n` is a newline).
 */
export function redactSecrets(value: unknown): unknown {
  if (typeof value === 'string') return scrubSecretText(value);
  if (Array.isArray(value)) return value.map(redactSecrets);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    out[key] = isSensitiveKey(key) && inner !== null ? REDACTED : redactSecrets(inner);
  }
  return out;
}
