// Where the proxy keeps its data. The CLI, the server and the desktop app must agree on this
// directory, so it is decided in one place.
import envPaths from 'env-paths';
import path from 'node:path';
import os from 'node:os';

export const APP_NAME = 'codex-claude-proxy';

export function resolveHome(env: NodeJS.ProcessEnv = process.env): string {
  const override = env.CODEX_CLAUDE_PROXY_HOME?.trim();
  if (override) return path.resolve(override);
  return envPaths(APP_NAME, { suffix: '' }).data;
}

/** The Codex CLI's login file: $CODEX_HOME/auth.json, else ~/.codex/auth.json. */
export function codexAuthPath(env: NodeJS.ProcessEnv = process.env): string {
  const codexHome = env.CODEX_HOME?.trim() || path.join(os.homedir(), '.codex');
  return path.join(codexHome, 'auth.json');
}
