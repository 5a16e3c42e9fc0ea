// Envelope storage: one random 32-byte data key in the OS keychain (44 characters, well under
// Windows' 1280-character limit that a token bundle would exceed), and each account's tokens in
// an AES-256-GCM file sealed with it. One keychain item, however many accounts.
import { createHash, randomBytes } from 'node:crypto';
import path from 'node:path';
import { withFileLock } from './file-lock.js';
import { KEYRING_SERVICE, keyringErrorText, keyringSlot, probeKeyring, type KeyringSlot } from './keyring.js';
import { SecretFiles } from './secret-files.js';
import { DATA_KEY_BYTES, seal, unseal } from './sealed.js';
import type { SecretStore } from './types.js';

/** The keychain account holding the data key of one data dir (several homes may coexist). */
export function dataKeyAccount(home: string): string {
  const digest = createHash('sha256').update(path.resolve(home)).digest('hex').slice(0, 16);
  return `data-key:${digest}`;
}

function decodeKey(stored: string): Buffer {
  const key = Buffer.from(stored, 'base64');
  if (key.length !== DATA_KEY_BYTES) {
    throw new Error(`the data key in the OS keychain (service "${KEYRING_SERVICE}") is not ${DATA_KEY_BYTES} bytes of base64`);
  }
  return key;
}

/** Reads the data key, creating it once. Locked so two processes starting together agree on one key. */
async function loadOrCreateDataKey(home: string, slot: KeyringSlot): Promise<Buffer> {
  const existing = await slot.get();
  if (existing) return decodeKey(existing);
  return withFileLock(path.join(home, 'locks', 'data-key.lock'), async () => {
    const again = await slot.get();
    if (again) return decodeKey(again);
    await slot.set(randomBytes(DATA_KEY_BYTES).toString('base64'));
    const created = await slot.get();
    if (!created) throw new Error('the OS keychain accepted the data key but does not return it');
    return decodeKey(created);
  });
}

export class KeychainEnvelopeStore implements SecretStore {
  readonly kind = 'keychain' as const;
  readonly description: string;

  private constructor(
    private readonly files: SecretFiles,
    private readonly key: Buffer,
  ) {
    this.description = `OS keychain data key + AES-256-GCM files in ${files.dir}`;
  }

  /** Throws with the keychain's reason when it cannot be used. */
  static async open(home: string): Promise<KeychainEnvelopeStore> {
    const reason = await probeKeyring();
    if (reason) throw new Error(reason);
    const files = new SecretFiles(home);
    try {
      return new KeychainEnvelopeStore(files, await loadOrCreateDataKey(home, keyringSlot(dataKeyAccount(home))));
    } catch (err) {
      throw new Error(keyringErrorText(err), { cause: err });
    }
  }

  async get(id: string): Promise<string | undefined> {
    const sealed = await this.files.read(id, 'sealed');
    if (sealed !== undefined) return unseal(this.key, sealed, aad(id));
    // Written while no keychain was reachable: encrypt it now that one is.
    const plain = await this.files.read(id, 'plain');
    if (plain === undefined) return undefined;
    await this.set(id, plain);
    return plain;
  }

  async set(id: string, value: string): Promise<void> {
    await this.files.write(id, 'sealed', seal(this.key, value, aad(id)));
    await this.files.remove(id, 'plain');
  }

  async delete(id: string): Promise<void> {
    await this.files.remove(id, 'sealed');
    await this.files.remove(id, 'plain');
  }

  ids(): Promise<string[]> {
    return this.files.ids();
  }

  sweepTemps(): Promise<number> {
    return this.files.sweepTemps();
  }
}

function aad(id: string): string {
  return `codex-claude-proxy:${id}`;
}
