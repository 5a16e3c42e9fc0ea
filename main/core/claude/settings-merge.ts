// What "configure Claude Code" changes in settings.json and how it is undone, as pure functions
// over parsed JSON. Only the keys listed here are ever touched; everything else is kept as is.
import { ClaudeConfigError } from './errors.js';
import { isJsonObject, type JsonObject } from './json-file.js';

export interface ProxyTarget {
  /** Where Claude Code should send requests, e.g. http://127.0.0.1:8081. */
  baseUrl: string;
  /** Sent as `Authorization: Bearer` (ANTHROPIC_AUTH_TOKEN shows no approval prompt). */
  authToken: string;
  /** What the opus/sonnet/haiku aliases resolve to. */
  models: { opus: string; sonnet: string; haiku: string };
  /**
   * The smallest real context window among the lanes' Codex models: one value must serve every
   * lane, so Claude Code compacts before any of them refuses.
   */
  contextWindow: number;
}

export const PROXY_ENV_KEYS = [
  'ANTHROPIC_BASE_URL',
  'ANTHROPIC_AUTH_TOKEN',
  'ANTHROPIC_DEFAULT_OPUS_MODEL',
  'ANTHROPIC_DEFAULT_SONNET_MODEL',
  'ANTHROPIC_DEFAULT_HAIKU_MODEL',
  'CLAUDE_CODE_AUTO_COMPACT_WINDOW',
  'CLAUDE_CODE_SKIP_FAST_MODE_ORG_CHECK',
] as const;

/** Removed while configured: it would send `x-api-key` and prompt the user to approve the key. */
export const CONFLICTING_ENV_KEYS = ['ANTHROPIC_API_KEY'] as const;

/**
 * Written by earlier releases of this proxy and without effect in Claude Code 2.1.332 (it is
 * read only together with DISABLE_COMPACT). Dropped on configure unless the user had it before.
 */
export const OBSOLETE_ENV_KEYS = ['CLAUDE_CODE_MAX_CONTEXT_TOKENS'] as const;

const MANAGED_ENV_KEYS: readonly string[] = [...PROXY_ENV_KEYS, ...CONFLICTING_ENV_KEYS, ...OBSOLETE_ENV_KEYS];
const MANAGED_PERMISSION_KEYS: readonly string[] = ['defaultMode', 'disableAutoMode'];

/** Claude Code's default mode when `permissions.defaultMode` is unset. */
export const AUTO_MODE = 'auto';
export const PROXY_DEFAULT_MODE = 'default';

export const DEFAULT_MODE_REASON =
  'Permission mode is "default" and auto mode is switched off: Claude Code asks before actions that need ' +
  'approval. Its "auto" mode relies on Anthropic\'s servers to safety-check each action; no proxy can run ' +
  'that check, so in auto mode Claude Code would stop with "Auto mode can\'t check actions in this session".';

export function validateTarget(target: ProxyTarget): void {
  let url: URL | null = null;
  try {
    url = new URL(target.baseUrl);
  } catch {
    // reported below
  }
  const problems: string[] = [];
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:'))
    problems.push(`base URL "${target.baseUrl}" is not an http(s) URL`);
  if (typeof target.authToken !== 'string' || target.authToken.trim() === '') problems.push('the auth token is empty');
  for (const lane of ['opus', 'sonnet', 'haiku'] as const) {
    if (typeof target.models?.[lane] !== 'string' || target.models[lane].trim() === '')
      problems.push(`no model for ${lane}`);
  }
  if (!Number.isInteger(target.contextWindow) || target.contextWindow <= 0) {
    problems.push(`the context window must be a positive integer (got ${String(target.contextWindow)})`);
  }
  if (problems.length > 0)
    throw new ClaudeConfigError('invalid-target', `Cannot configure Claude Code: ${problems.join('; ')}.`);
}

export function proxyEnv(target: ProxyTarget): Record<(typeof PROXY_ENV_KEYS)[number], string> {
  return {
    ANTHROPIC_BASE_URL: target.baseUrl,
    ANTHROPIC_AUTH_TOKEN: target.authToken,
    ANTHROPIC_DEFAULT_OPUS_MODEL: target.models.opus,
    ANTHROPIC_DEFAULT_SONNET_MODEL: target.models.sonnet,
    ANTHROPIC_DEFAULT_HAIKU_MODEL: target.models.haiku,
    // Measured on 2.1.332: `/context` then shows "… / 272k" and compaction plans for that window.
    CLAUDE_CODE_AUTO_COMPACT_WINDOW: String(target.contextWindow),
    // Without it, /fast asks Anthropic whether the organisation allows fast mode, which a proxy's
    // token cannot answer, and says "Fast mode has been disabled by your organization".
    CLAUDE_CODE_SKIP_FAST_MODE_ORG_CHECK: '1',
  };
}

/** The sections we edit must be objects; anything else is a file we do not understand. */
export function assertEditableShape(settings: JsonObject, file: string): void {
  for (const key of ['env', 'permissions']) {
    if (settings[key] !== undefined && !isJsonObject(settings[key])) {
      throw new ClaudeConfigError(
        'malformed',
        `${file}: "${key}" is not a JSON object. Nothing was changed: fix that entry, then try again.`,
        file,
      );
    }
  }
}

function section(settings: JsonObject, key: 'env' | 'permissions'): JsonObject {
  const value = settings[key];
  return isJsonObject(value) ? value : {};
}

/** Replaces one section; an empty section is dropped unless `keepIfEmpty`. */
function withSection(
  settings: JsonObject,
  key: 'env' | 'permissions',
  value: JsonObject,
  keepIfEmpty: boolean,
): JsonObject {
  const next = { ...settings };
  if (Object.keys(value).length === 0 && !keepIfEmpty) delete next[key];
  else next[key] = value;
  return next;
}

/**
 * settings.json as it should be while Claude Code uses the proxy. `original` is the file as it
 * was before the first configure (the backup). Key order is preserved.
 */
export function applyProxySettings(settings: JsonObject, target: ProxyTarget, original: JsonObject): JsonObject {
  const env: JsonObject = { ...section(settings, 'env'), ...proxyEnv(target) };
  for (const key of CONFLICTING_ENV_KEYS) delete env[key];
  for (const key of OBSOLETE_ENV_KEYS) if (!(key in section(original, 'env'))) delete env[key];
  let next = withSection(settings, 'env', env, true);

  const permissions = { ...section(settings, 'permissions') };
  // Other modes (acceptEdits, plan, …) work through a proxy and are the user's choice to keep.
  if (permissions.defaultMode === undefined || permissions.defaultMode === AUTO_MODE) {
    permissions.defaultMode = PROXY_DEFAULT_MODE;
  }
  // Takes auto mode out of the shift+tab cycle and stops the "Make auto mode your default
  // permission mode?" offer, whose preselected Yes would bring the failure back (measured, 2.1.332).
  permissions.disableAutoMode ??= 'disable';
  next = withSection(next, 'permissions', permissions, true);
  return next;
}

function revertKeys(current: JsonObject, original: JsonObject, keys: readonly string[]): JsonObject {
  const next = { ...current };
  for (const key of keys) {
    if (key in original) next[key] = original[key];
    else delete next[key];
  }
  return next;
}

/**
 * Puts the managed keys back to their values in `original` (the backup) and keeps everything
 * else from `current`, so edits made since configuring (by the user or by Claude Code) survive.
 */
export function revertProxySettings(current: JsonObject, original: JsonObject): JsonObject {
  const env = revertKeys(section(current, 'env'), section(original, 'env'), MANAGED_ENV_KEYS);
  let next = withSection(current, 'env', env, 'env' in original);
  const permissions = revertKeys(
    section(current, 'permissions'),
    section(original, 'permissions'),
    MANAGED_PERMISSION_KEYS,
  );
  next = withSection(next, 'permissions', permissions, 'permissions' in original);
  return next;
}
