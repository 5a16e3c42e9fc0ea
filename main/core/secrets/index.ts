// Chooses the secret store once per process: the OS keychain when it works, else owner-only
// files, unless CODEX_CLAUDE_PROXY_SECRETS=keychain|file forces one.
import { FileSecretStore, type WarnLog } from './file-store.js';
import { KeychainEnvelopeStore } from './keychain-store.js';
import type { SecretStore } from './types.js';

export type { SecretStore, SecretStoreKind } from './types.js';
export { SecretUnreadableError } from './types.js';
export { FileSecretStore } from './file-store.js';
export { KeychainEnvelopeStore, dataKeyAccount } from './keychain-store.js';

export const SECRETS_ENV = 'CODEX_CLAUDE_PROXY_SECRETS';

type Mode = 'auto' | 'keychain' | 'file';

function modeOf(env: NodeJS.ProcessEnv): Mode {
  const raw = env[SECRETS_ENV]?.trim().toLowerCase();
  if (!raw || raw === 'auto') return 'auto';
  if (raw === 'keychain' || raw === 'file') return raw;
  throw new Error(`${SECRETS_ENV}=${env[SECRETS_ENV]} is not valid; use keychain, file or auto`);
}

export async function openSecretStore(opts: { home: string; env?: NodeJS.ProcessEnv; log: WarnLog }): Promise<SecretStore> {
  const mode = modeOf(opts.env ?? process.env);
  if (mode === 'file') return new FileSecretStore(opts.home, opts.log, `${SECRETS_ENV}=file`);
  try {
    return await KeychainEnvelopeStore.open(opts.home);
  } catch (err) {
    const reason = (err as Error).message;
    if (mode === 'keychain') throw new Error(`${SECRETS_ENV}=keychain, but the OS keychain cannot be used: ${reason}`, { cause: err });
    return new FileSecretStore(opts.home, opts.log, `OS keychain unavailable: ${reason}`);
  }
}
