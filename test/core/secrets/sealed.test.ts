import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { seal, unseal } from '../../../main/core/secrets/sealed.js';
import { SecretUnreadableError } from '../../../main/core/secrets/types.js';

describe('sealed secrets (AES-256-GCM)', () => {
  const key = randomBytes(32);

  it('opens what it sealed and hides the plaintext', () => {
    const sealed = seal(key, 'refresh-token-value', 'codex-claude-proxy:a');
    expect(sealed).not.toContain('refresh-token-value');
    expect(unseal(key, sealed, 'codex-claude-proxy:a')).toBe('refresh-token-value');
  });

  it('refuses another account id, another key, or an altered file', () => {
    const sealed = seal(key, 'secret', 'codex-claude-proxy:a');
    expect(() => unseal(key, sealed, 'codex-claude-proxy:b')).toThrow(SecretUnreadableError);
    expect(() => unseal(randomBytes(32), sealed, 'codex-claude-proxy:a')).toThrow(SecretUnreadableError);
    const parsed = JSON.parse(sealed) as { ct: string };
    const flipped = Buffer.from(parsed.ct, 'base64');
    flipped[0] ^= 1;
    expect(() => unseal(key, JSON.stringify({ ...parsed, ct: flipped.toString('base64') }), 'codex-claude-proxy:a')).toThrow(SecretUnreadableError);
    expect(() => unseal(key, 'not json', 'x')).toThrow(SecretUnreadableError);
  });
});
