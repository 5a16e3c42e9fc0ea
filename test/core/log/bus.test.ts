import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { LogEntry } from '../../../shared/api.js';
import { createLogBus, type LogBus } from '../../../main/core/log/index.js';

const JWT = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1c2VyLTEyMyJ9.c2lnbmF0dXJlLXBhcnQ';
let bus: LogBus | undefined;
const tmpDirs: string[] = [];

function tmpDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ccp-log-'));
  tmpDirs.push(dir);
  return dir;
}

afterEach(() => {
  bus?.close();
  bus = undefined;
  vi.restoreAllMocks();
  for (const dir of tmpDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe('createLogBus', () => {
  it('keeps a ring of the latest entries, oldest first, with running seq numbers', () => {
    bus = createLogBus({ ringSize: 3 });
    for (let i = 1; i <= 5; i++) bus.logger.info({ n: i }, `line ${i}`);
    const all = bus.recent();
    expect(all.map((e) => e.msg)).toEqual(['line 3', 'line 4', 'line 5']);
    expect(all.map((e) => e.seq)).toEqual([3, 4, 5]);
    expect(all[2]).toMatchObject({ level: 'info', n: 5 });
    expect(typeof all[2].time).toBe('number');
    expect(all[2]).not.toHaveProperty('pid');
    expect(bus.recent(1).map((e) => e.msg)).toEqual(['line 5']);
    expect(bus.recent(0)).toEqual([]);
  });

  it('honours the level and folds pino levels onto the four dashboard levels', () => {
    bus = createLogBus({ level: 'debug' });
    bus.logger.trace('hidden');
    bus.logger.debug('d');
    bus.logger.warn('w');
    bus.logger.fatal('f');
    expect(bus.recent().map((e) => [e.level, e.msg])).toEqual([
      ['debug', 'd'],
      ['warn', 'w'],
      ['error', 'f'],
    ]);
  });

  it('delivers entries to subscribers until they unsubscribe, even if one throws', () => {
    bus = createLogBus();
    const seen: string[] = [];
    bus.subscribe(() => {
      throw new Error('dead client');
    });
    const off = bus.subscribe((e) => seen.push(e.msg));
    bus.logger.info('one');
    off();
    bus.logger.info('two');
    expect(seen).toEqual(['one']);
  });

  it('redacts secrets in every sink: ring, subscribers, file and stdout', () => {
    const file = path.join(tmpDir(), 'logs', 'proxy.log');
    const printed: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      printed.push(String(chunk));
      return true;
    });
    bus = createLogBus({ file, stdout: true });
    const streamed: LogEntry[] = [];
    bus.subscribe((e) => streamed.push(e));
    const child = bus.logger.child({ access_token: 'child-binding-secret' });
    child.info(
      { headers: { authorization: `Bearer ${JWT}`, Cookie: 'session=abc123secret' }, tokens: { refresh_token: 'rt-secret-value' } },
      `refreshing with Bearer plain-secret-token and ${JWT}`,
    );
    child.error(Object.assign(new Error(`upstream said ${JWT}`), { response: { 'set-cookie': 'x=cookie-secret' } }));
    bus.close();

    const sinks = [JSON.stringify(bus.recent()), JSON.stringify(streamed), fs.readFileSync(file, 'utf8'), printed.join('')];
    for (const text of sinks) {
      for (const secret of [JWT, 'plain-secret-token', 'abc123secret', 'rt-secret-value', 'cookie-secret', 'child-binding-secret']) {
        expect(text).not.toContain(secret);
      }
    }
    expect(bus.recent()[0].msg).toContain('Bearer [redacted]');
    expect(bus.recent()[1]).toMatchObject({ level: 'error', err: { message: 'upstream said [redacted-jwt]' } });
  });

  it('prints one readable line per entry on stdout', () => {
    const printed: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      printed.push(String(chunk));
      return true;
    });
    bus = createLogBus({ stdout: true });
    bus.logger.info(
      { request: { id: 'r1', method: 'POST', path: '/v1/messages', status: 200, latency_ms: 812, model: 'claude-opus-5-5', upstream_model: 'gpt-5.5', account: 'me@example.com', input_tokens: 10, output_tokens: 3 } },
      'request done\nsecond line',
    );
    expect(printed).toHaveLength(1);
    const line = printed[0];
    expect(line.endsWith('\n')).toBe(true);
    expect(line.trimEnd()).not.toContain('\n');
    expect(line).toMatch(/^\d\d:\d\d:\d\d\.\d{3} INFO {2}request done\\nsecond line \[POST \/v1\/messages 200 812ms claude-opus-5-5→gpt-5.5 account=me@example.com tokens=10\/3\]$/m);
  });

  it('counts requests and errors of today', () => {
    bus = createLogBus({ ringSize: 2 });
    bus.logger.info({ request: { id: '1', method: 'POST', path: '/v1/messages', status: 200 } }, 'ok');
    bus.logger.info({ request: { id: '2', method: 'POST', path: '/v1/messages', status: 429 } }, 'limited');
    bus.logger.error({ request: { id: '3', method: 'POST', path: '/v1/messages', status: 502 } }, 'failed');
    bus.logger.error('background refresh failed');
    bus.logger.info('not a request');
    expect(bus.stats()).toEqual({ requests_today: 3, errors_today: 3 });
  });

  it('rotates the file by size and keeps N old files', () => {
    const file = path.join(tmpDir(), 'proxy.log');
    bus = createLogBus({ file, fileRotation: { maxBytes: 300, keep: 2 } });
    for (let i = 0; i < 40; i++) bus.logger.info(`message number ${i}`);
    bus.close();
    const names = fs.readdirSync(path.dirname(file)).sort();
    expect(names).toEqual(['proxy.log', 'proxy.log.1', 'proxy.log.2']);
    for (const name of names) expect(fs.statSync(path.join(path.dirname(file), name)).size).toBeLessThanOrEqual(300);
    const newest = fs.readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { msg: string });
    expect(newest.at(-1)?.msg).toBe('message number 39');
    if (process.platform !== 'win32') expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });

  it('appends to an existing file and stops writing after close', () => {
    const file = path.join(tmpDir(), 'proxy.log');
    fs.writeFileSync(file, '{"level":30,"time":1,"msg":"old"}\n');
    bus = createLogBus({ file });
    bus.logger.info('new');
    bus.close();
    bus.logger.info('after close');
    const lines = fs.readFileSync(file, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(bus.recent().map((e) => e.msg)).toEqual(['new']);
  });
});
