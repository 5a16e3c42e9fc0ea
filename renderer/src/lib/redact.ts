// Secrets shown on screen (e.g. ANTHROPIC_AUTH_TOKEN in Claude Code's env block) are masked:
// a dashboard is often screen-shared or screenshotted.

// By suffix, so CLAUDE_CODE_MAX_CONTEXT_TOKENS (a number) stays readable.
const SECRET_NAME = /(TOKEN|KEY|SECRET|PASSWORD|COOKIE)$/i;

export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

/** The value to display for an env var: secrets keep at most a 4-character hint. */
export function displayEnvValue(name: string, value: string): string {
  if (!isSecretName(name)) return value;
  return value.length > 12 ? `${value.slice(0, 4)}…` : '••••';
}
