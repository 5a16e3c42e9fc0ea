// An append-only log file that rotates by size: `app.log` → `app.log.1` → … → `app.log.<keep>`.
// Writes are synchronous and in-process on purpose: lines are small, and a worker-thread
// transport would lose the last lines of a crash and complicate shutdown.
import fs from 'node:fs';
import path from 'node:path';

export interface RotatingFileOptions {
  /** Rotate once the current file would grow past this many bytes. */
  maxBytes?: number;
  /** How many rotated files to keep besides the current one. */
  keep?: number;
}

export const DEFAULT_LOG_MAX_BYTES = 10 * 1024 * 1024;
export const DEFAULT_LOG_KEEP = 5;

export class RotatingFile {
  private fd: number | null;
  private size: number;
  private readonly maxBytes: number;
  private readonly keep: number;

  constructor(
    readonly file: string,
    opts: RotatingFileOptions = {},
  ) {
    this.maxBytes = Math.max(1, opts.maxBytes ?? DEFAULT_LOG_MAX_BYTES);
    this.keep = Math.max(1, opts.keep ?? DEFAULT_LOG_KEEP);
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    this.fd = this.open();
    this.size = fs.fstatSync(this.fd).size;
  }

  write(line: string): void {
    if (this.fd === null) return;
    const bytes = Buffer.byteLength(line);
    if (this.size > 0 && this.size + bytes > this.maxBytes) this.rotate();
    fs.writeSync(this.fd!, line);
    this.size += bytes;
  }

  close(): void {
    if (this.fd === null) return;
    fs.closeSync(this.fd);
    this.fd = null;
  }

  private open(): number {
    // Logs carry request metadata: readable by the owner only.
    return fs.openSync(this.file, 'a', 0o600);
  }

  private rotate(): void {
    fs.closeSync(this.fd!);
    for (let n = this.keep - 1; n >= 1; n--) {
      renameIfExists(`${this.file}.${n}`, `${this.file}.${n + 1}`);
    }
    renameIfExists(this.file, `${this.file}.1`);
    this.fd = this.open();
    this.size = 0;
  }
}

function renameIfExists(from: string, to: string): void {
  try {
    fs.renameSync(from, to);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}
