// The `statusLine` entry of settings.json: ours is installed when the user has none or asks for
// it, and a status line of the user's own is never lost (restore puts it back).
import { isDeepStrictEqual } from 'node:util';
import { isJsonObject, type JsonObject } from './json-file.js';
import type { StatusLineChoice } from '../../../shared/api.js';

export { STATUS_LINE_CHOICES, type StatusLineChoice } from '../../../shared/api.js';

export interface StatusLineRequest {
  choice: StatusLineChoice;
  /** The shell command that runs `codex-claude-proxy statusline`; null when this process cannot name one. */
  command: string | null;
}

/** The subcommand's name; every command we install ends with it. */
export const STATUS_LINE_SUBCOMMAND = 'statusline';

/**
 * Ours: a command whose last word is `statusline`, run by our CLI (the npm bin, or dist/cli.js
 * of a checkout or of the npx cache).
 */
export function isProxyStatusLine(value: unknown): boolean {
  if (!isJsonObject(value) || typeof value.command !== 'string') return false;
  const words = value.command
    .trim()
    .split(/\s+/)
    .map((w) => w.replace(/^["']|["']$/g, ''));
  if (words.at(-1) !== STATUS_LINE_SUBCOMMAND) return false;
  return words
    .slice(0, -1)
    .some((w) => /(^|[\\/])codex-claude-proxy(\.cmd)?$/.test(w) || /[\\/]dist[\\/]cli\.js$/.test(w));
}

export function proxyStatusLine(command: string): JsonObject {
  return { type: 'command', command, padding: 0 };
}

export type StatusLineState = 'proxy' | 'own' | 'none';

export function statusLineState(settings: JsonObject): StatusLineState {
  if (settings.statusLine === undefined) return 'none';
  return isProxyStatusLine(settings.statusLine) ? 'proxy' : 'own';
}

function withStatusLine(settings: JsonObject, value: unknown): JsonObject {
  const next = { ...settings };
  if (value === undefined) delete next.statusLine;
  else next.statusLine = value;
  return next;
}

export interface StatusLineChange {
  settings: JsonObject;
  /** The user's status line that was just replaced: to be kept for restore. */
  replaced?: unknown;
}

/**
 * `previous` is what the user had before ours went in (undefined: nothing), used when `skip`
 * takes ours out again.
 */
export function applyStatusLine(settings: JsonObject, request: StatusLineRequest, previous: unknown): StatusLineChange {
  const state = statusLineState(settings);
  if (request.choice === 'skip') {
    return { settings: state === 'proxy' ? withStatusLine(settings, previous) : settings };
  }
  if (request.command === null) return { settings };
  if (request.choice === 'auto' && state === 'own') return { settings };
  const ours = proxyStatusLine(request.command);
  const next = isDeepStrictEqual(settings.statusLine, ours) ? settings : withStatusLine(settings, ours);
  return state === 'own' ? { settings: next, replaced: settings.statusLine } : { settings: next };
}

/** On restore: ours gives way to `previous`; a status line the user set since is theirs to keep. */
export function revertStatusLine(settings: JsonObject, previous: unknown): JsonObject {
  return statusLineState(settings) === 'proxy' ? withStatusLine(settings, previous) : settings;
}
