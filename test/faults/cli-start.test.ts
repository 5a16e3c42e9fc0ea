// The `start` command as users run it (main/cli.ts in a process of its own): the API key read
// from a file, so it never shows in the process arguments; and a terminal log in which text from
// clients cannot smuggle escape sequences.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestProxy, type TestProxy } from '../support/proxy.js';
import { claudeBody } from './support.js';

const CLI = path.join(import.meta.dirname, '..', '..', 'main', 'cli.ts');

interface Started {
  child: ChildProcess;
  url: string;
  out: () => string;
  exited: Promise<number | null>;
}

let data: TestProxy;
const children: ChildProcess[] = [];

beforeAll(async () => {
  data = await startTestProxy();
  await data.core.close();
});

afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await data?.fake.close();
  if (data) await rm(data.home, { recursive: true, force: true });
});

function cli(args: string[]): { child: ChildProcess; out: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], {
    env: data.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, out: () => out, exited };
}

async function start(args: string[]): Promise<Started> {
  const run = cli(['start', '--port', '0', ...args]);
  const url = await new Promise<string>((resolve, reject) => {
    const poll = setInterval(() => {
      const m = /Proxy ready at (\S+)/.exec(run.out());
      if (m) {
        clearInterval(poll);
        resolve(m[1]);
      }
    }, 20);
    void run.exited.then((code) => {
      clearInterval(poll);
      reject(new Error(`start exited (${code}):\n${run.out()}`));
    });
  });
  return { ...run, url };
}

async function stop(s: Started): Promise<void> {
  s.child.kill('SIGTERM');
  await s.exited;
}

describe('codex-claude-proxy start', () => {
  it('--api-key-file: the key is required, and it is not in the process arguments', async () => {
    const key = 'key-from-a-file-0123456789';
    const file = path.join(data.home, 'proxy.key');
    await writeFile(file, `${key}\n`, { mode: 0o600 });
    const s = await start(['--api-key-file', file]);
    try {
      expect((await fetch(`${s.url}/accounts`)).status).toBe(401);
      expect((await fetch(`${s.url}/accounts`, { headers: { 'x-api-key': key } })).status).toBe(200);
      const cmdline = await readFile(`/proc/${s.child.pid}/cmdline`, 'utf8').catch(() => '');
      expect(cmdline).not.toContain(key);
    } finally {
      await stop(s);
    }
  });

  it.each([
    ['a missing file', (dir: string) => path.join(dir, 'nope.key'), /nope\.key/],
    ['an empty file', (dir: string) => path.join(dir, 'empty.key'), /empty/],
  ])('--api-key-file with %s stops with a clear error', async (_name, fileOf, message) => {
    const file = fileOf(data.home);
    if (file.endsWith('empty.key')) await writeFile(file, '\n');
    const run = cli(['start', '--port', '0', '--api-key-file', file]);
    expect(await run.exited).toBe(1);
    expect(run.out()).toMatch(message);
    expect(run.out()).not.toMatch(/\n\s+at /);
  });

  it('escapes control characters from clients in the terminal log', async () => {
    const s = await start([]);
    try {
      const evil = 'claude-sonnet-5-5\u001b]0;owned\u0007\u001b[2J\r\u009b31m\u202e';
      const res = await fetch(`${s.url}/v1/messages?beta=true`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
        body: JSON.stringify(claudeBody({ model: evil, stream: false })),
      });
      await res.text();
      const logged = await new Promise<string>((resolve) => {
        const poll = setInterval(() => {
          const line = s
            .out()
            .split('\n')
            .find((l) => l.includes('/v1/messages'));
          if (line) {
            clearInterval(poll);
            resolve(line);
          }
        }, 20);
      });
      expect(logged).toContain('claude-sonnet-5-5');
      // Nothing a terminal acts on: only line ends and printable text (no C0/C1 control, no bidi
      // mark, override or isolate).
      expect(s.out()).not.toMatch(/[^\n\x20-\x7e\xa0-\u200d\u2010-\u2027\u202f-\u2065\u206a-\uffff]/);
      expect(logged).toContain('\\u001b]0;owned\\u0007');
    } finally {
      await stop(s);
    }
  });
});
