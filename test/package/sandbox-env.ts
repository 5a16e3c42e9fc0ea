// The environment for running the built app or CLI as a child process in tests: everything it
// keeps goes under `home`, secrets to a file, any free port, and no request can leave the machine.
import path from 'node:path';

export function sandboxEnv(home: string): Record<string, string | undefined> {
  return {
    PATH: process.env.PATH,
    HOME: home,
    CODEX_CLAUDE_PROXY_HOME: path.join(home, 'data'),
    CODEX_CLAUDE_PROXY_SECRETS: 'file',
    CLAUDE_CONFIG_DIR: path.join(home, '.claude'),
    CODEX_HOME: path.join(home, '.codex'),
    PORT: '0',
    // A closed port: an upstream call fails at once instead of reaching a real service.
    CHATGPT_BACKEND_URL: 'http://127.0.0.1:9/backend-api',
    OPENAI_AUTH_URL: 'http://127.0.0.1:9',
  };
}
