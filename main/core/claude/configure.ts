// Pointing Claude Code at the proxy and back. Every file is read and checked before anything is
// written, so a refusal (malformed JSON) leaves the disk exactly as it was.
import fs from 'node:fs/promises';
import { isDeepStrictEqual } from 'node:util';
import type { ClaudeConfigState } from '../../../shared/api.js';
import { ClaudeConfigError } from './errors.js';
import {
  assertWritable,
  formatJson,
  isJsonObject,
  readJsonObjectFile,
  writeFileAtomically,
  type JsonObject,
  type JsonObjectFile,
} from './json-file.js';
import { claudePaths, type ClaudePaths } from './paths.js';
import {
  AUTO_MODE,
  DEFAULT_MODE_REASON,
  applyProxySettings,
  assertEditableShape,
  revertProxySettings,
  validateTarget,
  type ProxyTarget,
} from './settings-merge.js';
import { applyStatusLine, revertStatusLine, statusLineState, type StatusLineRequest } from './status-line-setting.js';

export interface ClaudeEnvOptions {
  /** CLAUDE_CONFIG_DIR and HOME are read from here (default: process.env). */
  env?: NodeJS.ProcessEnv;
}

export interface ClaudeStateOptions extends ClaudeEnvOptions {
  /** The proxy's own base URL: `configured` means settings point exactly there. */
  baseUrl?: string;
}

export type ConfigureOptions = ClaudeEnvOptions &
  ProxyTarget & {
    /** Whether to install `codex-claude-proxy statusline` as Claude Code's status line (default: untouched). */
    statusLine?: StatusLineRequest;
  };

/** settings.json now holds a token: owner-only, whatever the old file allowed. */
const OWNER_ONLY = 0o600;
const ownerOnly = (mode: number | null): number => (mode ?? OWNER_ONLY) & ~0o077;

// Two clicks on "Configure" must not interleave their read-modify-write cycles.
let queue: Promise<unknown> = Promise.resolve();
function serialized<T>(task: () => Promise<T>): Promise<T> {
  const run = queue.then(task, task);
  queue = run.catch(() => undefined);
  return run;
}

async function exists(file: string): Promise<boolean> {
  return fs.access(file).then(
    () => true,
    () => false,
  );
}

/** The user's status line before ours: kept aside when ours replaced it later, else in the backup. */
function previousStatusLine(kept: JsonObject, original: JsonObject): unknown {
  return 'statusLine' in kept ? kept.statusLine : original.statusLine;
}

async function readSettings(paths: ClaudePaths): Promise<JsonObjectFile> {
  const file = await readJsonObjectFile(paths.settings);
  assertEditableShape(file.value, file.path);
  assertWritable(file);
  return file;
}

export async function configureClaudeCode(opts: ConfigureOptions): Promise<ClaudeConfigState> {
  validateTarget(opts);
  const paths = claudePaths(opts.env);
  await serialized(async () => {
    const settings = await readSettings(paths);
    const globalConfig = await readJsonObjectFile(paths.globalConfig);
    // Without this flag a fresh install stops at onboarding, trying to reach Anthropic.
    const onboard = globalConfig.value.hasCompletedOnboarding !== true;
    if (onboard) assertWritable(globalConfig);
    const backup = (await exists(paths.backup)) ? await readJsonObjectFile(paths.backup) : null;
    const keptStatusLine = await readJsonObjectFile(paths.statusLineBackup);
    const original = backup?.value ?? settings.value;

    // The backup is taken once: re-configuring must keep the user's original, not our own file.
    if (!backup) {
      await writeFileAtomically(paths.backup, settings.bytes ?? formatJson({}), settings.mode ?? OWNER_ONLY);
    }
    let next = applyProxySettings(settings.value, opts, original);
    if (opts.statusLine) {
      const change = applyStatusLine(next, opts.statusLine, previousStatusLine(keptStatusLine.value, original));
      next = change.settings;
      if (change.replaced !== undefined) {
        await writeFileAtomically(paths.statusLineBackup, formatJson({ statusLine: change.replaced }), OWNER_ONLY);
      } else if (statusLineState(next) !== 'proxy') {
        await fs.rm(paths.statusLineBackup, { force: true });
      }
    }
    if (!isDeepStrictEqual(next, settings.value) || settings.mode !== ownerOnly(settings.mode)) {
      await writeFileAtomically(paths.settings, formatJson(next), ownerOnly(settings.mode));
    }
    if (onboard) {
      await writeFileAtomically(
        paths.globalConfig,
        formatJson({ ...globalConfig.value, hasCompletedOnboarding: true }),
        globalConfig.mode ?? OWNER_ONLY,
      );
    }
  });
  return claudeConfigState({ env: opts.env, baseUrl: opts.baseUrl });
}

export async function restoreClaudeCode(opts: ClaudeEnvOptions = {}): Promise<ClaudeConfigState> {
  const paths = claudePaths(opts.env);
  await serialized(async () => {
    if (!(await exists(paths.backup))) {
      throw new ClaudeConfigError(
        'no-backup',
        `Nothing to restore: there is no backup at ${paths.backup} (Claude Code was not configured by codex-claude-proxy, or was already restored).`,
        paths.backup,
      );
    }
    const backup = await readJsonObjectFile(paths.backup);
    const settings = await readSettings(paths);
    const keptStatusLine = await readJsonObjectFile(paths.statusLineBackup);
    const next = revertStatusLine(
      revertProxySettings(settings.value, backup.value),
      previousStatusLine(keptStatusLine.value, backup.value),
    );
    // Nothing else changed since configuring: put the original bytes back, formatting and all.
    const data = isDeepStrictEqual(next, backup.value) && backup.bytes ? backup.bytes : formatJson(next);
    await writeFileAtomically(paths.settings, data, backup.mode ?? OWNER_ONLY);
    await fs.rm(paths.backup, { force: true });
    await fs.rm(paths.statusLineBackup, { force: true });
  });
  return claudeConfigState({ env: opts.env });
}

// By suffix: ANTHROPIC_AUTH_TOKEN is a secret, CLAUDE_CODE_MAX_CONTEXT_TOKENS is not.
const SECRET_ENV = /(TOKEN|KEY|SECRET|PASSWORD|CREDENTIALS?)$/i;

/** The dashboard shows the env block; secrets in it are shown by their last characters only. */
function maskedEnv(env: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isJsonObject(env)) return out;
  for (const [key, value] of Object.entries(env)) {
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    out[key] = SECRET_ENV.test(key) ? (text.length >= 16 ? `…${text.slice(-4)}` : '[hidden]') : text;
  }
  return out;
}

function sameUrl(a: string, b: string): boolean {
  const norm = (u: string): string => u.trim().replace(/\/+$/, '').toLowerCase();
  return norm(a) === norm(b);
}

function notesFor(state: ClaudeConfigState, settings: JsonObjectFile): string[] {
  const notes: string[] = [];
  if (state.configured) {
    notes.push(
      `Claude Code sends its requests to ${state.base_url}. The env block of settings.json overrides the shell, ` +
        'so ANTHROPIC_BASE_URL or ANTHROPIC_MODEL set in a terminal no longer apply; Restore undoes this.',
    );
    if (state.default_mode === AUTO_MODE || state.default_mode === null) {
      notes.push(`Warning: permission mode is "auto". ${DEFAULT_MODE_REASON}`);
    } else {
      notes.push(DEFAULT_MODE_REASON);
    }
    if (state.status_line === 'proxy') {
      notes.push(
        "Claude Code's status line shows the proxy's model, context window and quota (codex-claude-proxy statusline).",
      );
    } else if (state.status_line === 'own') {
      notes.push(
        'Your own status line is kept. `codex-claude-proxy claude configure --statusline` replaces it with the ' +
          "proxy's (model, context window, quota); restore puts yours back.",
      );
    }
    if (settings.value.apiKeyHelper !== undefined) {
      notes.push('settings.json also sets apiKeyHelper: Claude Code sends its output instead of the proxy token.');
    }
  } else if (state.backup_exists) {
    notes.push(`A backup from an earlier configure exists (${state.backup_path}); Restore puts its values back.`);
  }
  return notes;
}

export async function claudeConfigState(opts: ClaudeStateOptions = {}): Promise<ClaudeConfigState> {
  const paths = claudePaths(opts.env);
  const settings = await readJsonObjectFile(paths.settings);
  const globalConfig = await readJsonObjectFile(paths.globalConfig).catch(() => null);
  const env = isJsonObject(settings.value.env) ? settings.value.env : {};
  const permissions = isJsonObject(settings.value.permissions) ? settings.value.permissions : {};
  const baseUrl = typeof env.ANTHROPIC_BASE_URL === 'string' ? env.ANTHROPIC_BASE_URL : null;
  const backupExists = await exists(paths.backup);
  const state: ClaudeConfigState = {
    settings_path: paths.settings,
    configured: baseUrl !== null && (opts.baseUrl ? sameUrl(baseUrl, opts.baseUrl) : backupExists),
    base_url: baseUrl,
    backup_exists: backupExists,
    backup_path: paths.backup,
    default_mode: typeof permissions.defaultMode === 'string' ? permissions.defaultMode : null,
    env: maskedEnv(settings.value.env),
    global_config_path: paths.globalConfig,
    onboarding_completed: globalConfig?.value.hasCompletedOnboarding === true,
    status_line: statusLineState(settings.value),
  };
  state.notes = notesFor(state, settings);
  return state;
}
