// Child processes for the benchmark: each server under test gets its own process (its own event
// loop and core), so the load generator never competes with it for the same thread.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';

export interface Child {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/** How a child announces it is ready: the URL found in one of its stdout lines, or null. */
export type ReadyLine = (line: string) => string | null;

export const jsonUrlLine: ReadyLine = (line) =>
  line.startsWith('{') ? ((JSON.parse(line) as { url?: string }).url ?? null) : null;

export const cliReadyLine: ReadyLine = (line) => /Proxy ready at (\S+)/.exec(line)?.[1] ?? null;

export function startChild(args: string[], env: NodeJS.ProcessEnv, ready: ReadyLine): Promise<Child> {
  const child: ChildProcess = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    let announced = false;
    // Keep reading stdout for the child's whole life: a full pipe would block its log writes.
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      const url = announced ? null : ready(line);
      if (!url) return;
      announced = true;
      resolve({
        url,
        pid: child.pid as number,
        /** SIGTERM (so a --cpu-prof child writes its profile), SIGKILL if it lingers. */
        async stop() {
          child.kill('SIGTERM');
          const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
          await exited;
          clearTimeout(killer);
        },
      });
    });
    child.once('exit', (code) => {
      if (!announced) reject(new Error(`${args.join(' ')} exited (${code}) before it was ready:\n${stderr}`));
    });
  });
}

/** Resident set size of a process in bytes (Linux /proc, else ps). */
export function rssBytes(pid: number): number {
  try {
    const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    if (kb) return Number(kb) * 1024;
  } catch {
    // not Linux
  }
  return (
    Number(
      execFileSync('ps', ['-o', 'rss=', '-p', String(pid)])
        .toString()
        .trim(),
    ) * 1024
  );
}

/** CPU time (user + system) a process has used so far, in ms; null where /proc is missing. */
export function cpuMs(pid: number): number | null {
  try {
    // Fields after the command name (which may contain spaces): utime and stime are the 12th and 13th.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return null;
  }
}

/** USER_HZ: 100 on every mainstream Linux. */
const CLOCK_TICKS = 100;

/** Samples a process's RSS every `everyMs` until stopped; returns the peak. */
export function watchRss(pid: number, everyMs = 20): { stop(): number } {
  let peak = rssBytes(pid);
  const timer = setInterval(() => {
    try {
      peak = Math.max(peak, rssBytes(pid));
    } catch {
      // the process is gone; keep the peak seen
    }
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      return peak;
    },
  };
}
