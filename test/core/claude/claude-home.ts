// A throwaway HOME for each test of Claude Code's settings, removed after it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { claudePaths, type ClaudePaths } from '../../../main/core/claude/index.js';

export interface ClaudeHome {
  home: string;
  env: NodeJS.ProcessEnv;
  paths: ClaudePaths;
}

/** Call at the top of a test file; the returned function gives the current test's HOME. */
export function useClaudeHome(prefix: string): () => ClaudeHome {
  let current: ClaudeHome | null = null;
  beforeEach(() => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    const env = { HOME: home };
    current = { home, env, paths: claudePaths(env) };
  });
  afterEach(() => {
    if (current) fs.rmSync(current.home, { recursive: true, force: true });
    current = null;
  });
  return () => {
    if (!current) throw new Error('useClaudeHome: no test is running');
    return current;
  };
}
