// Fallback when no OS keychain is reachable (headless Linux, containers): tokens in plain JSON
// files readable only by the owner. Said loudly once, because it is weaker than the keychain.
import { SecretFiles } from './secret-files.js';
import { SecretUnreadableError, type SecretStore } from './types.js';

export interface WarnLog {
  warn(msg: string): void;
}

let warned = false;

export class FileSecretStore implements SecretStore {
  readonly kind = 'file' as const;
  readonly description: string;
  private readonly files: SecretFiles;

  constructor(home: string, log: WarnLog, reason: string) {
    this.files = new SecretFiles(home);
    this.description = `plain files (mode 0600) in ${this.files.dir}`;
    if (!warned) {
      warned = true;
      log.warn(
        `WARNING: no OS keychain in use (${reason}); account tokens are stored UNENCRYPTED in ${this.files.dir} ` +
          '(owner-only, mode 0600). Run in a desktop session with a keychain, or keep this directory private.',
      );
    }
  }

  async get(id: string): Promise<string | undefined> {
    const plain = await this.files.read(id, 'plain');
    if (plain !== undefined) return plain;
    if ((await this.files.read(id, 'sealed')) !== undefined) {
      throw new SecretUnreadableError(
        'these tokens were saved encrypted with a key kept in the OS keychain, which this process cannot reach ' +
          '(start it in a session with the keychain unlocked, or sign in again)',
      );
    }
    return undefined;
  }

  set(id: string, value: string): Promise<void> {
    return this.files.write(id, 'plain', value);
  }

  async delete(id: string): Promise<void> {
    await this.files.remove(id, 'plain');
    await this.files.remove(id, 'sealed');
  }

  ids(): Promise<string[]> {
    return this.files.ids();
  }

  sweepTemps(): Promise<number> {
    return this.files.sweepTemps();
  }
}
