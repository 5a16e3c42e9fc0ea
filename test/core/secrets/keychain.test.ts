// Runs against a real OS keychain. Without one (no Secret Service on the session bus) the whole
// file is skipped; CI runs it inside a throw-away dbus session with an unlocked gnome-keyring:
//   dbus-run-session -- sh -c 'echo pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null; npx vitest run test/core/secrets/keychain.test.ts'
import { mkdtemp, readFile, readdir, stat, mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dataKeyAccount, KeychainEnvelopeStore, openSecretStore } from '../../../main/core/secrets/index.js';
import { keyringSlot, probeKeyring } from '../../../main/core/secrets/keyring.js';

const unavailable = await probeKeyring();
const homes: string[] = [];

async function home(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ccp-keychain-'));
  homes.push(dir);
  return dir;
}

describe.skipIf(unavailable !== null)(`keychain envelope store${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  afterAll(async () => {
    for (const dir of homes) await keyringSlot(dataKeyAccount(dir)).delete().catch(() => false);
  });

  it('keeps one 32-byte data key in the keychain and the tokens sealed in owner-only files', async () => {
    const dir = await home();
    const store = await KeychainEnvelopeStore.open(dir);
    expect(store.kind).toBe('keychain');
    const bundle = JSON.stringify({ access_token: 'x'.repeat(3000), refresh_token: 'rt-secret-value' });
    await store.set('acct_a', bundle);
    expect(await store.get('acct_a')).toBe(bundle);

    const key = await keyringSlot(dataKeyAccount(dir)).get();
    expect(key).toHaveLength(44); // base64 of 32 bytes: far below Windows' 1280-character limit
    const file = path.join(dir, 'secrets', 'acct_a.enc');
    expect(await readFile(file, 'utf8')).not.toContain('rt-secret-value');
    expect((await stat(file)).mode & 0o777).toBe(0o600);

    // A second process on the same home finds the same key.
    const again = await KeychainEnvelopeStore.open(dir);
    expect(await again.get('acct_a')).toBe(bundle);
    await again.delete('acct_a');
    expect(await store.get('acct_a')).toBeUndefined();
  });

  it('encrypts tokens left in a plain file from a keychain-less session, on first read', async () => {
    const dir = await home();
    await mkdir(path.join(dir, 'secrets'), { recursive: true });
    await writeFile(path.join(dir, 'secrets', 'acct_b.json'), '{"access_token":"plain"}', { mode: 0o600 });
    const store = await openSecretStore({ home: dir, env: {}, log: { warn: () => undefined } });
    expect(store.kind).toBe('keychain');
    expect(await store.get('acct_b')).toBe('{"access_token":"plain"}');
    expect(await readdir(path.join(dir, 'secrets'))).toEqual(expect.arrayContaining(['acct_b.enc']));
    expect(await readdir(path.join(dir, 'secrets'))).not.toContain('acct_b.json');
  });

  it('is what CODEX_CLAUDE_PROXY_SECRETS=keychain gets', async () => {
    const store = await openSecretStore({ home: await home(), env: { CODEX_CLAUDE_PROXY_SECRETS: 'keychain' }, log: { warn: () => undefined } });
    expect(store.kind).toBe('keychain');
  });
});

describe.skipIf(unavailable === null)('without a keychain', () => {
  it('auto falls back to files; keychain mode fails with the reason', async () => {
    const warnings: string[] = [];
    const dir = await home();
    const auto = await openSecretStore({ home: dir, env: {}, log: { warn: (m) => warnings.push(m) } });
    expect(auto.kind).toBe('file');
    expect(warnings.join('\n')).toMatch(/OS keychain unavailable/);
    await expect(openSecretStore({ home: dir, env: { CODEX_CLAUDE_PROXY_SECRETS: 'keychain' }, log: { warn: () => undefined } })).rejects.toThrow(
      /CODEX_CLAUDE_PROXY_SECRETS=keychain, but the OS keychain cannot be used/,
    );
  });
});
