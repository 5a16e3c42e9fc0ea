// Runs the built main-process bundle (dist/main/index.cjs) in plain Node with `electron` stubbed
// (stub-electron.mjs) and collects what the stub reports (JSON lines) and what the app prints.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { sandboxEnv } from '../package/sandbox-env.js';

const root = path.resolve(import.meta.dirname, '..', '..');
export const MAIN_BUNDLE = path.join(root, 'dist', 'main', 'index.cjs');

export interface Report {
  event: string;
  [key: string]: unknown;
}

export class StubApp {
  readonly reports: Report[] = [];
  /** stdout lines that are not stub reports (the app's own output). */
  readonly lines: string[] = [];
  stderr = '';
  readonly exit: Promise<number | null>;
  private readonly child: ChildProcess;
  private readonly work = mkdtempSync(path.join(os.tmpdir(), 'ccp-stub-app-'));
  private readonly waiters: Array<{ match: (r: Report) => boolean; resolve: (r: Report) => void }> = [];

  constructor(args: string[] = [], env: Record<string, string> = {}) {
    if (!existsSync(MAIN_BUNDLE)) throw new Error('Build first (npm run build): dist/main/index.cjs is missing');
    const home = path.join(this.work, 'home');
    this.child = spawn(
      process.execPath,
      ['--import', pathToFileURL(path.join(import.meta.dirname, 'stub-electron.mjs')).href, MAIN_BUNDLE, ...args],
      {
        cwd: this.work,
        env: {
          ...sandboxEnv(home),
          STUB_APP_PATH: root,
          STUB_USER_DATA: path.join(this.work, 'user-data'),
          ...env,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    this.child.stderr?.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    createInterface({ input: this.child.stdout as NodeJS.ReadableStream }).on('line', (line) => this.onLine(line));
    this.exit = new Promise((resolve) => this.child.on('exit', (code) => resolve(code)));
  }

  /** The first report that matches, now or when it comes. */
  next(match: (r: Report) => boolean): Promise<Report> {
    const seen = this.reports.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve) => this.waiters.push({ match, resolve }));
  }

  /** Plays the user choosing Quit. */
  quit(): void {
    this.child.kill('SIGTERM');
  }

  dispose(): void {
    if (this.child.exitCode === null) this.child.kill('SIGKILL');
    rmSync(this.work, { recursive: true, force: true });
  }

  private onLine(line: string): void {
    let report: Report;
    try {
      report = JSON.parse(line) as Report;
    } catch {
      this.lines.push(line);
      return;
    }
    this.reports.push(report);
    for (const waiter of this.waiters.filter((w) => w.match(report))) {
      this.waiters.splice(this.waiters.indexOf(waiter), 1);
      waiter.resolve(report);
    }
  }
}
