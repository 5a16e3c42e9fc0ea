// Which runtime may import what, checked by reading the sources. The headless core must load in
// plain Node (the CLI, CI): one stray `import 'electron'` there would try to download Electron.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..', '..');

function sources(dir: string): string[] {
  return readdirSync(path.join(root, dir), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.(ts|mts|cts|js|mjs|cjs|svelte)$/.test(e.name))
    .map((e) => path.relative(root, path.join(e.parentPath, e.name)));
}

const IMPORT =
  /(?:^|[\s;])(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)|(?:^|[\s;])import\s*['"]([^'"]+)['"]|\brequire\(\s*['"]([^'"]+)['"]\s*\)/g;

/** Import specifiers of a file; relative ones resolved to repo-relative paths. */
function importsOf(file: string): string[] {
  const text = readFileSync(path.join(root, file), 'utf8');
  return [...text.matchAll(IMPORT)].map((m) => {
    const spec = m[1] ?? m[2] ?? m[3] ?? m[4];
    return spec.startsWith('.') ? path.relative(root, path.resolve(path.dirname(path.join(root, file)), spec)) : spec;
  });
}

function violations(dir: string, forbidden: (spec: string) => boolean): string[] {
  return sources(dir).flatMap((file) =>
    importsOf(file)
      .filter(forbidden)
      .map((spec) => `${file} imports ${spec}`),
  );
}

const inside = (spec: string, dir: string): boolean => spec === dir || spec.startsWith(`${dir}/`);
const isElectron = (spec: string): boolean =>
  spec === 'electron' || spec.startsWith('electron/') || spec === 'electron-store';

describe('runtime boundaries', () => {
  it('finds imports in the files it scans (the scanner works)', () => {
    expect(importsOf('main/desktop/ipc.ts')).toEqual(expect.arrayContaining(['electron', 'shared/ipc.js']));
    expect(sources('main/core').length).toBeGreaterThan(20);
  });

  it('main/core never imports electron, the desktop shell, the preload or the renderer', () => {
    expect(
      violations(
        'main/core',
        (s) =>
          isElectron(s) ||
          inside(s, 'main/desktop') ||
          inside(s, 'preload') ||
          inside(s, 'renderer') ||
          s === 'main/cli.js',
      ),
    ).toEqual([]);
  });

  it('the desktop shell reaches the core only through main/core/index.ts', () => {
    expect(violations('main/desktop', (s) => inside(s, 'main/core') && s !== 'main/core/index.js')).toEqual([]);
    expect(violations('main/desktop', (s) => inside(s, 'renderer') || inside(s, 'preload'))).toEqual([]);
  });

  it('the preload imports only electron and shared/', () => {
    expect(violations('preload', (s) => s !== 'electron' && !inside(s, 'shared'))).toEqual([]);
  });

  it('shared/ and the renderer import neither electron nor Node built-ins', () => {
    const nodeOrElectron = (s: string): boolean => isElectron(s) || s.startsWith('node:');
    expect(violations('shared', nodeOrElectron)).toEqual([]);
    expect(violations('renderer/src', nodeOrElectron)).toEqual([]);
  });

  it('translate/ is pure: it imports nothing from upstream/, accounts/ or server/', () => {
    const io = (s: string): boolean =>
      inside(s, 'main/core/upstream') || inside(s, 'main/core/accounts') || inside(s, 'main/core/server');
    expect(violations('main/core/translate', io)).toEqual([]);
  });

  it('upstream/ imports nothing from accounts/ (the accounts room uses the upstream, not the other way)', () => {
    expect(violations('main/core/upstream', (s) => inside(s, 'main/core/accounts'))).toEqual([]);
  });

  it('no route imports another route: what two routes share lives in server/', () => {
    const routes = 'main/core/server/routes';
    expect(violations(routes, (s) => inside(s, routes))).toEqual([]);
  });
});
