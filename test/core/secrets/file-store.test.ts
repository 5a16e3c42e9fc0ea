import { mkdtemp, readdir, stat, writeFile, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileSecretStore, openSecretStore, SecretUnreadableError } from '../../../main/core/secrets/index.js';

async function home(): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), 'ccp-secrets-'));
}

describe('FileSecretStore', () => {
  it('round-trips values in owner-only files and warns loudly once', async () => {
    const warnings: string[] = [];
    const log = { warn: (m: string) => warnings.push(m) };
    const dir = await home();
    const store = new FileSecretStore(dir, log, 'test');
    new FileSecretStore(dir, log, 'test again');
    expect(store.kind).toBe('file');
    await store.set('acct_1', '{"access_token":"a"}');
    expect(await store.get('acct_1')).toBe('{"access_token":"a"}');
    expect(await store.get('missing')).toBeUndefined();
    const file = path.join(dir, 'secrets', 'acct_1.json');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await stat(path.join(dir, 'secrets'))).mode & 0o777).toBe(0o700);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/UNENCRYPTED/);
    await store.delete('acct_1');
    await store.delete('acct_1');
    expect(await readdir(path.join(dir, 'secrets'))).toEqual([]);
  });

  it('rejects ids that could leave the secrets folder', async () => {
    const store = new FileSecretStore(await home(), { warn: () => undefined }, 'test');
    await expect(store.set('../evil', 'x')).rejects.toThrow(/invalid secret id/);
  });

  it('explains when the tokens were sealed with a keychain key it cannot reach', async () => {
    const dir = await home();
    await mkdir(path.join(dir, 'secrets'), { recursive: true });
    await writeFile(path.join(dir, 'secrets', 'acct_2.enc'), '{"v":1}');
    const store = new FileSecretStore(dir, { warn: () => undefined }, 'test');
    await expect(store.get('acct_2')).rejects.toBeInstanceOf(SecretUnreadableError);
  });

  it('is chosen when CODEX_CLAUDE_PROXY_SECRETS=file, and a bad value is refused', async () => {
    const dir = await home();
    const store = await openSecretStore({ home: dir, env: { CODEX_CLAUDE_PROXY_SECRETS: 'file' }, log: { warn: () => undefined } });
    expect(store.kind).toBe('file');
    await expect(openSecretStore({ home: dir, env: { CODEX_CLAUDE_PROXY_SECRETS: 'vault' }, log: { warn: () => undefined } })).rejects.toThrow(
      /keychain, file or auto/,
    );
  });
});
