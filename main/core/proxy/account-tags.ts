// Keyed tags for ChatGPT accounts: thinking signatures name the account whose reasoning they carry
// (translate/signature.ts) without putting its id into every transcript. The key lives in the data
// dir, so tags survive restarts and are the same for every process sharing that dir.
import { createHmac, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const KEY_FILE = 'reasoning-tag.key';
const TAG_HEX = 16;

function loadKey(home: string, warn: (msg: string) => void): Buffer {
  const file = path.join(home, KEY_FILE);
  try {
    return readFileSync(file);
  } catch {
    // First start: create it; `wx` lets a second process that races us read the winner's key.
  }
  const key = randomBytes(32);
  try {
    writeFileSync(file, key, { mode: 0o600, flag: 'wx' });
    return key;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return readFileSync(file);
    warn(
      `Could not save ${KEY_FILE} (${(err as Error).message}); thinking from before a restart will not be replayed.`,
    );
    return key;
  }
}

export type AccountTagger = (chatgptAccountId: string) => string;

export function accountTagger(home: string, warn: (msg: string) => void): AccountTagger {
  const key = loadKey(home, warn);
  const cache = new Map<string, string>();
  return (accountId) => {
    let tag = cache.get(accountId);
    if (!tag) {
      tag = createHmac('sha256', key).update(accountId).digest('hex').slice(0, TAG_HEX);
      cache.set(accountId, tag);
    }
    return tag;
  };
}
