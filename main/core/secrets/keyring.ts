// The OS keychain (macOS Keychain, Windows Credential Manager, Linux Secret Service) through
// @napi-rs/keyring. On Linux the Secret Service is pinned: left to itself the library silently
// falls back to the kernel keyring, which forgets everything at reboot.
import { randomBytes } from 'node:crypto';
import { AsyncEntry } from '@napi-rs/keyring';

export const KEYRING_SERVICE = 'codex-claude-proxy';
const ENTRY_OPTIONS = { linux: { store: 'secret-service' as const } };

export interface KeyringSlot {
  get(): Promise<string | null>;
  set(value: string): Promise<void>;
  delete(): Promise<boolean>;
}

/**
 * One keychain item. Every call is bounded: a keychain that waits on a prompt nobody can answer
 * (no display) must fail, not hang the server.
 */
export function keyringSlot(account: string, timeoutMs = 60_000): KeyringSlot {
  // The constructor itself throws when there is no session bus: defer it into the promises.
  const entry = (): AsyncEntry => new AsyncEntry(KEYRING_SERVICE, account, ENTRY_OPTIONS);
  return {
    get: async () => entry().getPassword(AbortSignal.timeout(timeoutMs)),
    set: async (value) => entry().setPassword(value, AbortSignal.timeout(timeoutMs)),
    delete: async () => entry().deletePassword(AbortSignal.timeout(timeoutMs)),
  };
}

/** Writes, reads back and deletes a throw-away item. Resolves null when all works, else the reason. */
export async function probeKeyring(timeoutMs = 10_000): Promise<string | null> {
  const value = randomBytes(9).toString('base64url');
  const slot = keyringSlot(`probe-${value}`, timeoutMs);
  try {
    await slot.set(value);
    const back = await slot.get();
    await slot.delete();
    return back === value ? null : 'the keychain did not return what was stored';
  } catch (err) {
    return keyringErrorText(err);
  }
}

export function keyringErrorText(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.split('\n')[0].slice(0, 300);
}
