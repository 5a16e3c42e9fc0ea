// The folder holding one secret file per account, shared by both stores: `<home>/secrets/<id>.json`
// (plain, file store) and `<home>/secrets/<id>.enc` (AES-256-GCM, keychain store).
import fs from 'node:fs/promises';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { assertSecretId } from './types.js';

export type SecretFileKind = 'plain' | 'sealed';

const EXTENSION: Record<SecretFileKind, string> = { plain: '.json', sealed: '.enc' };

export class SecretFiles {
  readonly dir: string;

  constructor(home: string) {
    this.dir = path.join(home, 'secrets');
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

  /** Atomic (temp file + rename) and owner-only from the first byte, in an owner-only folder. */
  async write(id: string, kind: SecretFileKind, content: string): Promise<void> {
    await fs.mkdir(this.dir, { recursive: true, mode: 0o700 });
    await fs.chmod(this.dir, 0o700);
    await writeFileAtomic(this.pathOf(id, kind), content, { mode: 0o600 });
  }

  async remove(id: string, kind: SecretFileKind): Promise<void> {
    await fs.rm(this.pathOf(id, kind), { force: true });
  }
}
