// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { displayEnvValue, isSecretName } from '../../renderer/src/lib/redact.js';

describe('env value display', () => {
  it('masks tokens and keys but not token counts', () => {
    expect(isSecretName('ANTHROPIC_AUTH_TOKEN')).toBe(true);
    expect(isSecretName('ANTHROPIC_API_KEY')).toBe(true);
    expect(isSecretName('CLAUDE_CODE_MAX_CONTEXT_TOKENS')).toBe(false);
    expect(isSecretName('ANTHROPIC_BASE_URL')).toBe(false);
  });

  it('keeps at most a short hint of a secret', () => {
    expect(displayEnvValue('ANTHROPIC_AUTH_TOKEN', 'ccp-0123456789abcdef')).toBe('ccp-…');
    expect(displayEnvValue('ANTHROPIC_AUTH_TOKEN', 'short')).toBe('••••');
    expect(displayEnvValue('CLAUDE_CODE_MAX_CONTEXT_TOKENS', '400000')).toBe('400000');
  });
});
