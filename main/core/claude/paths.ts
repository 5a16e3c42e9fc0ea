// Where Claude Code keeps its user settings and global state. Measured with Claude Code 2.1.331:
// without CLAUDE_CONFIG_DIR they are ~/.claude/settings.json and ~/.claude.json; with it, both
// move into that folder ($CLAUDE_CONFIG_DIR/settings.json and $CLAUDE_CONFIG_DIR/.claude.json).
import os from 'node:os';
import path from 'node:path';

export interface ClaudePaths {
  /** User-scope settings.json (its `env` block overrides the shell). */
  settings: string;
  /** Our one backup of settings.json as it was before the first configure. */
  backup: string;
  /** The user's own status line, kept here when ours replaced it after that first configure. */
  statusLineBackup: string;
  /** Global state (`hasCompletedOnboarding` and much more that Claude Code owns). */
  globalConfig: string;
}

export const BACKUP_SUFFIX = '.codex-claude-proxy.bak';
const STATUS_LINE_BACKUP_SUFFIX = '.codex-claude-proxy.statusline.bak';

export function claudePaths(env: NodeJS.ProcessEnv = process.env): ClaudePaths {
  const home = env.HOME?.trim() || env.USERPROFILE?.trim() || os.homedir();
  const configDir = env.CLAUDE_CONFIG_DIR?.trim();
  const dir = configDir ? path.resolve(configDir) : path.join(home, '.claude');
  const settings = path.join(dir, 'settings.json');
  return {
    settings,
    backup: settings + BACKUP_SUFFIX,
    statusLineBackup: settings + STATUS_LINE_BACKUP_SUFFIX,
    globalConfig: configDir ? path.join(dir, '.claude.json') : path.join(home, '.claude.json'),
  };
}
