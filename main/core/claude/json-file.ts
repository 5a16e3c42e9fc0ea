// Reading and writing the small JSON objects Claude Code keeps on disk, without ever clobbering
// one we could not understand.
import fs from 'node:fs/promises';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { ClaudeConfigError } from './errors.js';

export type JsonObject = Record<string, unknown>;

export interface JsonObjectFile {
  path: string;
  /** Exact bytes on disk, or null when the file does not exist. */
  bytes: Buffer | null;
  /** Parsed content; `{}` for a missing or empty file. */
  value: JsonObject;
  /** Permission bits of the existing file. */
  mode: number | null;
}

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Throws ClaudeConfigError('malformed') for anything but a JSON object; the file is left alone. */
export async function readJsonObjectFile(file: string): Promise<JsonObjectFile> {
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(file);
  } catch (err) {
    const error = err as NodeJS.ErrnoException;
    if (error.code === 'ENOENT') return { path: file, bytes: null, value: {}, mode: null };
    // Some read errors (EISDIR) do not say which file; the person fixing it needs to know.
    error.path ??= file;
    throw error;
  }
  const mode = (await fs.stat(file)).mode & 0o777;
  const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
  if (text.trim() === '') return { path: file, bytes, value: {}, mode };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw malformed(file, (err as Error).message);
  }
  if (!isJsonObject(value)) throw malformed(file, 'the top level is not a JSON object');
  return { path: file, bytes, value, mode };
}

function malformed(file: string, detail: string): ClaudeConfigError {
  return new ClaudeConfigError(
    'malformed',
    `${file} is not valid JSON (${detail}). Nothing was changed: fix or remove that file, then try again.`,
    file,
  );
}

/** A file without its owner's write bit was made read-only on purpose: leave it alone. */
function isReadOnly(mode: number | null): boolean {
  return mode !== null && (mode & 0o200) === 0;
}

function readOnly(file: string, mode: number): ClaudeConfigError {
  return new ClaudeConfigError(
    'read-only',
    `${file} is read-only (mode ${mode.toString(8).padStart(4, '0')}). Nothing was changed: make it writable (chmod u+w) to let codex-claude-proxy edit it, or edit it yourself.`,
    file,
  );
}

/**
 * Refuses before anything is written. A rename over the file would replace it whatever its mode
 * (and as root even access() says yes), so the owner's write bit is what counts.
 */
export function assertWritable(file: JsonObjectFile): void {
  if (isReadOnly(file.mode)) throw readOnly(file.path, file.mode as number);
}

/** temp file + fsync + rename, so Claude Code never reads a half-written file. */
export async function writeFileAtomically(file: string, data: string | Buffer, mode: number): Promise<void> {
  const existing = await fs.stat(file).then(
    (st) => st.mode & 0o777,
    () => null,
  );
  if (isReadOnly(existing)) throw readOnly(file, existing as number);
  await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  await writeFileAtomic(file, data, { mode });
}

export function formatJson(value: JsonObject): string {
  // Two-space indentation, as Claude Code writes its own .claude.json.
  return `${JSON.stringify(value, null, 2)}\n`;
}
