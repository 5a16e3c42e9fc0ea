// A line file that rotates by size (the log's RotatingFile), read back whole at start: the rotated
// generations oldest first, then the current file. Reading and appending are the only I/O of the
// usage module; a failing disk turns the file off and leaves the in-memory log running.
import fs from 'node:fs';
import { RotatingFile, type RotatingFileOptions } from '../log/rotating-file.js';

export interface LineFileOptions extends Required<RotatingFileOptions> {
  /** Told once when the file is turned off. */
  warn: (message: string) => void;
}

export class LineFile {
  private file: RotatingFile | null = null;
  private disabled = false;
  /** The current file ends in a torn line (a crash mid-write): the next line must not join it. */
  private torn = false;

  constructor(
    readonly path: string,
    private readonly opts: LineFileOptions,
  ) {}

  /** Every line on disk, oldest first; a missing or unreadable generation is skipped. */
  readAll(): string[] {
    const names = [
      ...Array.from({ length: this.opts.keep }, (_, i) => `${this.path}.${this.opts.keep - i}`),
      this.path,
    ];
    const lines: string[] = [];
    for (const name of names) {
      let text: string;
      try {
        text = fs.readFileSync(name, 'utf8');
      } catch {
        continue;
      }
      for (const line of text.split('\n')) if (line) lines.push(line);
      this.torn = name === this.path && text.length > 0 && !text.endsWith('\n');
    }
    return lines;
  }

  append(line: string): void {
    if (this.disabled) return;
    try {
      this.file ??= new RotatingFile(this.path, { maxBytes: this.opts.maxBytes, keep: this.opts.keep });
      this.file.write(this.torn ? `\n${line}` : line);
      this.torn = false;
    } catch (err) {
      this.disabled = true;
      this.close();
      this.opts.warn(`usage file ${this.path} disabled: ${(err as Error).message}`);
    }
  }

  close(): void {
    this.file?.close();
    this.file = null;
  }
}
