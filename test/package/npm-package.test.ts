// What `npx codex-claude-proxy@latest start` gets: `npm pack` of this checkout, installed from the
// tarball into an empty folder (dependencies from the npm cache, else the registry), and the
// installed bin started, answering /health and serving the dashboard. Also what the package must
// not carry: the desktop bundle, the preload, source maps. Needs `npm run build` first.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandboxEnv } from './sandbox-env.js';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '..', '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { name: string; version: string };

interface PackResult {
  filename: string;
  size: number;
  unpackedSize: number;
  files: Array<{ path: string; size: number }>;
}

/** Starts the installed bin and resolves with the URL it reports once ready. */
function startInstalled(bin: string, home: string): { child: ChildProcess; ready: Promise<string> } {
  let output = '';
  // The bin link itself (its shebang and mode are part of what is tested); Windows has a .cmd shim.
  const [command, args] = process.platform === 'win32' ? [process.execPath, [bin, 'start']] : [bin, ['start']];
  const child = spawn(command, args, {
    cwd: home,
    env: sandboxEnv(home),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const ready = new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      output += `${line}\n`;
      const url = /Proxy ready at (http:\/\/\S+?) /.exec(line)?.[1];
      if (url) resolve(url);
    });
    child.on('exit', (code) => reject(new Error(`codex-claude-proxy start exited with ${code}:\n${output}`)));
  });
  return { child, ready };
}

describe('the npm package, from its tarball', () => {
  const work = mkdtempSync(path.join(os.tmpdir(), 'ccp-npm-package-'));
  let packed: PackResult;
  let files: string[];

  beforeAll(async () => {
    const missing = ['dist/cli.js', 'dist/renderer/index.html'].filter((f) => !existsSync(path.join(root, f)));
    if (missing.length) throw new Error(`Build first (npm run build): missing ${missing.join(', ')}`);
    const { stdout } = await run(npm, ['pack', '--json', '--pack-destination', work], {
      cwd: root,
      maxBuffer: 16 * 1024 * 1024,
    });
    [packed] = JSON.parse(stdout) as PackResult[];
    files = packed.files.map((f) => f.path).sort();
    console.info(
      `npm pack: ${packed.filename} ${packed.size} bytes packed, ${packed.unpackedSize} unpacked, ${files.length} files`,
    );
  }, 120_000);

  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('carries the CLI, the dashboard it serves, README and package.json, nothing else', () => {
    expect(files).toEqual(
      expect.arrayContaining(['README.md', 'dist/cli.js', 'dist/renderer/index.html', 'package.json']),
    );
    const unexpected = files.filter(
      (f) => !['README.md', 'LICENSE', 'package.json', 'dist/cli.js'].includes(f) && !f.startsWith('dist/renderer/'),
    );
    expect(unexpected).toEqual([]);
  });

  it('does not carry the desktop bundle, the preload or source maps', () => {
    expect(
      files.filter(
        (f) =>
          f.startsWith('dist/main/') ||
          f.startsWith('dist/preload/') ||
          f.startsWith('dist/dev-app/') ||
          f.endsWith('.map'),
      ),
    ).toEqual([]);
    const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as Record<string, unknown>;
    // npm always packs the "main" file, so there is none.
    expect(manifest.main).toBeUndefined();
  });

  it('stays small: the CLI bundle and the dashboard, under 2 MB packed', () => {
    expect(packed.size).toBeLessThan(2 * 1024 * 1024);
  });

  it('installs into an empty folder and `codex-claude-proxy start` answers /health and serves the dashboard', async () => {
    writeFileSync(path.join(work, 'package.json'), '{ "name": "ccp-install-check", "private": true }\n');
    await run(
      npm,
      ['install', '--no-audit', '--no-fund', '--prefer-offline', '--no-package-lock', path.join(work, packed.filename)],
      { cwd: work, timeout: 240_000, maxBuffer: 16 * 1024 * 1024 },
    );
    const installed = path.join(work, 'node_modules', pkg.name);
    expect(JSON.parse(readFileSync(path.join(installed, 'package.json'), 'utf8')).version).toBe(pkg.version);
    const home = mkdtempSync(path.join(work, 'home-'));
    const bin =
      process.platform === 'win32'
        ? path.join(installed, 'dist', 'cli.js')
        : path.join(work, 'node_modules', '.bin', 'codex-claude-proxy');
    const server = startInstalled(bin, home);
    try {
      const url = await server.ready;
      const health = await fetch(`${url}/health`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ status: 'ok', version: pkg.version });
      const page = await fetch(`${url}/`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<div id="app">');
    } finally {
      server.child.kill('SIGTERM');
    }
  }, 300_000);
});
