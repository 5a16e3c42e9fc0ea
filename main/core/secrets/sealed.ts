// Authenticated encryption of one secret with the data key (AES-256-GCM). The account id is bound
// in as associated data, so a sealed file copied onto another account's name fails to open.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { SecretUnreadableError } from './types.js';

const ALG = 'aes-256-gcm';
export const DATA_KEY_BYTES = 32;

interface SealedFile {
  v: 1;
  alg: typeof ALG;
  iv: string;
  tag: string;
  ct: string;
}

export function seal(key: Buffer, plaintext: string, aad: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv(ALG, key, iv);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  const file: SealedFile = { v: 1, alg: ALG, iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), ct: ct.toString('base64') };
  return JSON.stringify(file);
}

export function unseal(key: Buffer, sealed: string, aad: string): string {
  let file: Partial<SealedFile>;
  try {
    file = JSON.parse(sealed) as Partial<SealedFile>;
  } catch {
    throw new SecretUnreadableError('the encrypted token file is damaged (not JSON)');
  }
  if (file.v !== 1 || file.alg !== ALG || !file.iv || !file.tag || typeof file.ct !== 'string') {
    throw new SecretUnreadableError('the encrypted token file has an unknown format');
  }
  try {
    const decipher = createDecipheriv(ALG, key, Buffer.from(file.iv, 'base64'));
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(Buffer.from(file.tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(file.ct, 'base64')), decipher.final()]).toString('utf8');
  } catch {
    throw new SecretUnreadableError(
      'the encrypted token file does not open with the key in the OS keychain (the key was replaced or the file was altered); sign in again',
    );
  }
}
