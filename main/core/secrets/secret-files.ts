// The folder holding one secret file per account, shared by both stores: `<home>/secrets/<id>.json`
// (plain, file store) and `<home>/secrets/<id>.enc` (AES-256-GCM, keychain store).
import fs from 'node:fs/promises';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { withFileLock } from './file-lock.js';
import { assertSecretId } from './types.js';

export type SecretFileKind = 'plain' | 'sealed';

const EXTENSION: Record<SecretFileKind, string> = { plain: '.json', sealed: '.enc' };
const STORED = /^([A-Za-z0-9_-]{1,64})\.(?:json|enc)$/;
/** write-file-atomic's temp file: the target's name, a dot and a decimal number. */
const TEMP = /^([A-Za-z0-9_-]{1,64})\.(?:json|enc)\.\d+$/;

export class SecretFiles {
  readonly dir: string;
  private readonly locks: string;

  constructor(home: string) {
    this.dir = path.join(home, 'secrets');
    this.locks = path.join(home, 'locks', 'secrets');
  }

  pathOf(id: string, kind: SecretFileKind): string {
    assertSecretId(id);
    return path.join(this.dir, id + EXTENSION[kind]);
  }

  async read(id: string, kind: SecretFileKind): Promise<string | undefined> {
    try {
      return await fs.readFile(this.pathOf(id, kind), 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }

  /**
   * Atomic (temp file + rename) and owner-only from the first byte, in an owner-only folder. The
   * temp file exists only while the id's write lock is held, which is how sweepTemps() tells a
   * dead writer's leftover from a live writer's work in progress, in any process.
   */
  async write(id: string, kind: SecretFileKind, content: string): Promise<void> {
    const file = this.pathOf(id, kind);
    await fs.mkdir(this.dir, { recursive: true, mode: 0o700 });
    await fs.chmod(this.dir, 0o700);
    await this.withWriteLock(id, () => writeFileAtomic(file, content, { mode: 0o600 }));
  }

  async remove(id: string, kind: SecretFileKind): Promise<void> {
    await fs.rm(this.pathOf(id, kind), { force: true });
  }

  /** Every id with a stored secret of either kind. */
  async ids(): Promise<string[]> {
    return [...new Set(await this.matching(STORED))];
  }

  /**
   * Deletes the temp files of writers killed mid-write (kill -9, a crash, power loss): each holds
   * a full copy of the tokens. Returns how many were removed.
   */
  async sweepTemps(): Promise<number> {
    let removed = 0;
    for (const id of new Set(await this.matching(TEMP))) {
      // A dead writer's lock goes stale after a few seconds; a live writer's is released at its rename.
      await this.withWriteLock(id, async () => {
        for (const name of await this.names()) {
          if (TEMP.exec(name)?.[1] !== id) continue;
          await fs.rm(path.join(this.dir, name), { force: true });
          removed++;
        }
      });
    }
    return removed;
  }

  private withWriteLock<T>(id: string, fn: () => Promise<T>): Promise<T> {
    return withFileLock(path.join(this.locks, `${id}.lock`), fn);
  }

  private async names(): Promise<string[]> {
    try {
      return await fs.readdir(this.dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
  }

  /** The ids named by the folder's entries that match `pattern`, one per entry. */
  private async matching(pattern: RegExp): Promise<string[]> {
    return (await this.names()).flatMap((name) => pattern.exec(name)?.[1] ?? []);
  }
}
