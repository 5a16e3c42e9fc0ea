// Where account tokens live. The accounts room only sees this interface; which backend is in use
// is decided once at start-up (see ./index.ts) and shown in /health and GET /accounts.

export type SecretStoreKind = 'keychain' | 'file';

export interface SecretStore {
  readonly kind: SecretStoreKind;
  /** One line for logs: where the secrets are and how they are protected. */
  readonly description: string;
  /** The stored value, or undefined when there is none for this id. */
  get(id: string): Promise<string | undefined>;
  set(id: string, value: string): Promise<void>;
  /** Removes the value; deleting a missing one is not an error. */
  delete(id: string): Promise<void>;
  /** Every id that has a stored value (the accounts room sweeps those of removed accounts). */
  ids(): Promise<string[]>;
  /** Removes partial copies that writers killed mid-write left behind; resolves how many. */
  sweepTemps(): Promise<number>;
}

/** A value exists for the id but this process cannot read it (wrong key, keychain unreachable). */
export class SecretUnreadableError extends Error {
  override readonly name = 'SecretUnreadableError';
}

const SAFE_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** Ids become file names: keep them to a safe alphabet so no id can point outside the folder. */
export function assertSecretId(id: string): void {
  if (!SAFE_ID.test(id)) throw new Error(`invalid secret id ${JSON.stringify(id)}`);
}
