// Writes a stand-in Electron distribution for `electron-builder --dir -c.electronDist=<dir>`, so the
// whole packaging pipeline (config validation, file set, asar, asarUnpack, fuses) runs on machines
// that cannot download Electron. It is not runnable Electron: its executable is a shell script that
// carries a fuse wire in Electron's format, so `electronFuses` can be flipped and read back.
//
//   node scripts/fake-electron.mjs [outDir]      (default: release/fake-electron)
import { Buffer } from 'node:buffer';
import process from 'node:process';
import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The marker @electron/fuses searches for; the wire follows it. */
const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
const FUSE_WIRE_VERSION = 1;
/**
 * Electron's shipped defaults, in @electron/fuses' FuseV1Options order (RunAsNode,
 * CookieEncryption, NodeOptions, NodeCliInspect, AsarIntegrity, OnlyLoadAppFromAsar,
 * BrowserV8Snapshot, FileProtocolPrivileges): '1' enabled, '0' disabled. Starting from the real
 * defaults means a packaged app that reads back our settings proves the builder flipped them.
 */
const DEFAULT_FUSE_WIRE = '10110001';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function electronVersion() {
  const pkg = JSON.parse(readFileSync(path.join(root, 'node_modules', 'electron', 'package.json'), 'utf8'));
  return pkg.version;
}

/** Creates the fake dist in `outDir` (replacing it) and returns its absolute path. */
function writeFakeElectron(outDir = path.join(root, 'release', 'fake-electron')) {
  const dir = path.resolve(outDir);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(path.join(dir, 'resources'), { recursive: true });
  writeFileSync(path.join(dir, 'version'), `v${electronVersion()}`);
  writeFileSync(path.join(dir, 'LICENSE'), 'Stand-in for the Electron license file (offline packaging check).\n');
  writeFileSync(path.join(dir, 'LICENSES.chromium.html'), '<!-- stand-in -->\n');

  const script = Buffer.from('#!/bin/sh\necho "stand-in electron: not runnable" >&2\nexit 1\n# ', 'latin1');
  const wire = Buffer.concat([
    Buffer.from(FUSE_SENTINEL, 'latin1'),
    Buffer.from([FUSE_WIRE_VERSION, DEFAULT_FUSE_WIRE.length]),
    Buffer.from(DEFAULT_FUSE_WIRE, 'latin1'),
    Buffer.from('\n', 'latin1'),
  ]);
  const executable = path.join(dir, 'electron');
  writeFileSync(executable, Buffer.concat([script, wire]));
  chmodSync(executable, 0o755);
  return dir;
}

process.stdout.write(`${writeFakeElectron(process.argv[2])}\n`);
