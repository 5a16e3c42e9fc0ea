// Cross-process mutual exclusion on a lock file in the data dir. The CLI, the server and the
// desktop app may all run at once on one home; anything they read-modify-write goes through here.
import fs from 'node:fs/promises';
import path from 'node:path';
import lockfile from 'proper-lockfile';

export interface FileLockOptions {
  /** How long to keep trying before giving up, in ms (a dead holder's lock goes stale after 5 s). */
  waitMs?: number;
}

const STALE_MS = 5_000;

/**
 * Runs `fn` while holding `lockPath` (a directory lock made by proper-lockfile). A holder killed
 * with -9 leaves the lock behind; it is taken over once it has not been touched for 5 s.
 */
export async function withFileLock<T>(lockPath: string, fn: () => Promise<T>, opts: FileLockOptions = {}): Promise<T> {
  await fs.mkdir(path.dirname(lockPath), { recursive: true });
  const waitMs = opts.waitMs ?? 15_000;
  const maxTimeout = 200;
  const release = await lockfile.lock(lockPath, {
    realpath: false,
    lockfilePath: lockPath,
    stale: STALE_MS,
    retries: { retries: Math.ceil(waitMs / maxTimeout), minTimeout: 10, maxTimeout, factor: 1.5 },
    // The default throws from a timer and would crash the process; a lock lost mid-way (the
    // event loop was blocked for seconds) only weakens the guarantee for this one operation.
    onCompromised: () => undefined,
  });
  try {
    return await fn();
  } finally {
    await release().catch(() => undefined);
  }
}
