// The real packaging pipeline, offline: electron-builder --dir against a stand-in Electron
// (scripts/fake-electron.mjs), then a look inside what it produced. It proves the packaged app holds
// main, preload, dashboard and the native keychain addon, and that the fuses were flipped. It needs
// `npm run build` first (npm test builds before it runs the tests).
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { extractFile, listPackage } from '@electron/asar';
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '..', '..');
const supported = process.platform === 'linux' && process.arch === 'x64';
const BUILT = ['dist/main/index.cjs', 'dist/preload/index.cjs', 'dist/renderer/index.html'];

if (!supported) {
  console.warn(
    `package.test: skipped on ${process.platform}-${process.arch}; the offline packaging check runs on linux-x64 only.`,
  );
}

describe.skipIf(!supported)('electron-builder --dir with a stand-in Electron (linux x64)', () => {
  const work = mkdtempSync(path.join(os.tmpdir(), 'ccp-package-'));
  const unpacked = path.join(work, 'out', 'linux-unpacked');
  const asar = path.join(unpacked, 'resources', 'app.asar');
  let files: string[] = [];

  beforeAll(async () => {
    const missing = BUILT.filter((f) => !existsSync(path.join(root, f)));
    if (missing.length) throw new Error(`Build first (npm run build): missing ${missing.join(', ')}`);
    const { stdout } = await run(process.execPath, ['scripts/fake-electron.mjs', path.join(work, 'fake-electron')], {
      cwd: root,
    });
    await run(
      process.execPath,
      [
        'node_modules/electron-builder/cli.js',
        '--dir',
        '--linux',
        '--x64',
        `-c.electronDist=${stdout.trim()}`,
        `-c.directories.output=${path.join(work, 'out')}`,
      ],
      {
        cwd: root,
        env: { ...process.env, CSC_IDENTITY_AUTO_DISCOVERY: 'false' },
        timeout: 150_000,
        maxBuffer: 16 * 1024 * 1024,
      },
    );
    files = listPackage(asar, { isPack: false });
  }, 180_000);

  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('packs main, preload, dashboard, tray icons and package.json into app.asar', () => {
    expect(files).toEqual(
      expect.arrayContaining([
        '/package.json',
        '/dist/main/index.cjs',
        '/dist/preload/index.cjs',
        '/dist/renderer/index.html',
        '/assets/icons/trayTemplate.png',
        '/assets/icons/trayTemplate@2x.png',
        '/assets/icons/tray-linux.png',
        '/assets/icons/app.png',
      ]),
    );
    expect(files.some((f) => f.startsWith('/dist/renderer/assets/') && f.endsWith('.js'))).toBe(true);
  });

  it('points Electron at the bundled main process', () => {
    const pkg = JSON.parse(extractFile(asar, 'package.json').toString('utf8')) as { main?: string };
    expect(pkg.main).toBe('dist/main/index.cjs');
  });

  it('leaves out what the bundles already contain: sources, maps, the CLI, the dev manifest, bundled node_modules', () => {
    expect(
      files.filter(
        (f) =>
          f.endsWith('.map') ||
          f.endsWith('.ts') ||
          f.startsWith('/main/') ||
          f === '/dist/cli.js' ||
          f.startsWith('/dist/dev-app'),
      ),
    ).toEqual([]);
    expect(files.filter((f) => /^\/node_modules\/(koa|conf|pino|electron-store)\//.test(f))).toEqual([]);
  });

  it('unpacks the native keychain addon for the target next to the asar', () => {
    const addon = path.join(
      unpacked,
      'resources',
      'app.asar.unpacked',
      'node_modules',
      '@napi-rs',
      'keyring-linux-x64-gnu',
      'keyring.linux-x64-gnu.node',
    );
    expect(existsSync(addon)).toBe(true);
    expect(files).toContain('/node_modules/@napi-rs/keyring/index.js');
  });

  it('flips the Electron fuses as electron-builder.yml asks', async () => {
    const wire = await getCurrentFuseWire(path.join(unpacked, 'codex-claude-proxy'));
    // A fuse byte is ASCII '1' (enabled) or '0' (disabled).
    const read = (fuse: FuseV1Options): string => `${FuseV1Options[fuse]}=${String.fromCharCode(wire[fuse] as number)}`;
    const expected: Array<[FuseV1Options, '0' | '1']> = [
      [FuseV1Options.RunAsNode, '0'],
      [FuseV1Options.EnableCookieEncryption, '1'],
      [FuseV1Options.EnableNodeOptionsEnvironmentVariable, '0'],
      [FuseV1Options.EnableNodeCliInspectArguments, '0'],
      [FuseV1Options.EnableEmbeddedAsarIntegrityValidation, '1'],
      [FuseV1Options.OnlyLoadAppFromAsar, '1'],
      [FuseV1Options.LoadBrowserProcessSpecificV8Snapshot, '0'],
      [FuseV1Options.GrantFileProtocolExtraPrivileges, '0'],
    ];
    expect(expected.map(([fuse]) => read(fuse))).toEqual(
      expected.map(([fuse, state]) => `${FuseV1Options[fuse]}=${state}`),
    );
  });
});
