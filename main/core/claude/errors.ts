// Failures a person must act on; the routes and the CLI show `message` as is.
export type ClaudeConfigErrorCode = 'malformed' | 'no-backup' | 'invalid-target' | 'read-only';

export class ClaudeConfigError extends Error {
  constructor(
    readonly code: ClaudeConfigErrorCode,
    message: string,
    readonly path?: string,
  ) {
    super(message);
    this.name = 'ClaudeConfigError';
  }
}
