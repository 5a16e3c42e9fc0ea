import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cliStatusLineCommand, shellWord } from '../../../main/core/statusline/command.js';
import { isProxyStatusLine } from '../../../main/core/claude/index.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ccp statusline cmd-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('cliStatusLineCommand', () => {
  it('names this CLI by absolute, quoted paths (through a bin symlink too)', () => {
    const cli = path.join(dir, 'node_modules', 'codex-claude-proxy', 'dist', 'cli.js');
    fs.mkdirSync(path.dirname(cli), { recursive: true });
    fs.writeFileSync(cli, '');
    const bin = path.join(dir, 'codex-claude-proxy');
    fs.symlinkSync(cli, bin);
    const command = cliStatusLineCommand(['/usr/bin/node', bin], '/usr/bin/node');
    expect(command).toBe(`/usr/bin/node "${fs.realpathSync(cli)}" statusline`);
    expect(isProxyStatusLine({ type: 'command', command })).toBe(true);
  });

  it('is null when this process is not the CLI', () => {
    expect(cliStatusLineCommand(['/usr/bin/node', '/nowhere/dist/cli.js'])).toBeNull();
    const other = path.join(dir, 'vitest.mjs');
    fs.writeFileSync(other, '');
    expect(cliStatusLineCommand(['/usr/bin/node', other])).toBeNull();
    expect(cliStatusLineCommand(['/usr/bin/node'])).toBeNull();
  });
});

describe('shellWord', () => {
  it('quotes only what needs it, and escapes what a shell would expand', () => {
    expect(shellWord('/usr/bin/node')).toBe('/usr/bin/node');
    expect(shellWord('C:\\nodejs\\node.exe')).toBe('C:\\nodejs\\node.exe');
    expect(shellWord('/a b/$HOME/`x`/"q"')).toBe('"/a b/\\$HOME/\\`x\\`/\\"q\\""');
  });
});
