import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import { afterEach, describe, expect, it } from 'vitest';
import type { LogEntry, OverviewResponse, PooledQuota } from '../../../shared/api.js';
import type { AccountPool } from '../../../main/core/accounts/types.js';
import { createLogBus, type LogBus } from '../../../main/core/log/index.js';
import { MAX_PENDING_LOG_ENTRIES, dashboardApiRouter } from '../../../main/core/server/routes/dashboard-api.js';

const pooled: PooledQuota = { accounts: 2, usable: 1, five_hour_remaining_percent: 40, weekly_remaining_percent: 80, next_reset_at: 1_800_000_000 };
const sessions = [{ session: 's-1', account: 'a@example.com', last_used: 1_700_000_000_000 }];
const unused = async (): Promise<never> => {
  throw new Error('not used by the dashboard API');
};
const stubPool: AccountPool = {
  acquire: unused,
  report: unused,
  counts: () => ({ total: 2, usable: 1 }),
  list: unused,
  quota: async () => pooled,
  importCodexAuth: unused,
  remove: unused,
  setStrategy: unused,
  setPreferred: unused,
  refresh: unused,
  sessions: () => sessions,
  on: () => undefined,
  off: () => undefined,
  close: async () => undefined,
};

const servers: http.Server[] = [];
const buses: LogBus[] = [];

/** A log bus that also tells how many subscribers are attached right now. */
function countingBus(): { bus: LogBus; listeners: () => number } {
  const bus = createLogBus({ ringSize: 50 });
  buses.push(bus);
  let count = 0;
  const subscribe = bus.subscribe.bind(bus);
  bus.subscribe = (fn) => {
    count++;
    const off = subscribe(fn);
    return () => {
      count--;
      off();
    };
  };
  return { bus, listeners: () => count };
}

async function start(logs: LogBus, pingMs?: number): Promise<string> {
  const app = new Koa();
  const router = dashboardApiRouter({
    pool: stubPool,
    logs,
    version: '9.9.9',
    host: () => '127.0.0.1',
    port: () => 8081,
    startedAt: Date.now() - 5_000,
    secretStore: () => 'keychain',
    pingMs,
  });
  app.use(router.routes());
  const server = http.createServer(app.callback());
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

afterEach(async () => {
  for (const bus of buses.splice(0)) bus.close();
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** Reads SSE from `url`, handing each parsed frame to `onFrame` until it returns true. */
function readSse(url: string, onFrame: (frame: { event?: string; data?: string; comment?: string }) => boolean): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    http
      .get(url, (res) => {
        let buffer = '';
        res.on('data', (chunk: Buffer) => {
          buffer += String(chunk);
          let end: number;
          while ((end = buffer.indexOf('\n\n')) !== -1) {
            const raw = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const frame: { event?: string; data?: string; comment?: string } = {};
            for (const line of raw.split('\n')) {
              if (line.startsWith(':')) frame.comment = line.slice(1).trim();
              else if (line.startsWith('event: ')) frame.event = line.slice(7);
              else if (line.startsWith('data: ')) frame.data = line.slice(6);
            }
            if (onFrame(frame)) {
              res.destroy();
              resolve(res);
              return;
            }
          }
        });
      })
      .on('error', reject);
  });
}

describe('dashboardApiRouter', () => {
  it('GET /api/overview combines server, pool and log figures', async () => {
    const { bus } = countingBus();
    bus.logger.info({ request: { id: 'r1', method: 'POST', path: '/v1/messages', status: 200 } }, 'ok');
    bus.logger.info({ request: { id: 'r2', method: 'POST', path: '/v1/messages', status: 500 } }, 'failed');
    const url = await start(bus);
    const res = await fetch(`${url}/api/overview`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as OverviewResponse;
    expect(body).toEqual({
      version: '9.9.9',
      host: '127.0.0.1',
      port: 8081,
      uptime_s: expect.any(Number),
      requests_today: 2,
      errors_today: 1,
      sessions,
      pooled,
      secret_store: 'keychain',
    });
    expect(body.uptime_s).toBeGreaterThanOrEqual(5);
  });

  it('GET /api/logs returns the latest entries, limited', async () => {
    const { bus } = countingBus();
    for (let i = 0; i < 5; i++) bus.logger.info(`entry ${i}`);
    const url = await start(bus);
    const all = (await (await fetch(`${url}/api/logs`)).json()) as { entries: LogEntry[] };
    expect(all.entries.map((e) => e.msg)).toEqual(['entry 0', 'entry 1', 'entry 2', 'entry 3', 'entry 4']);
    const two = (await (await fetch(`${url}/api/logs?limit=2`)).json()) as { entries: LogEntry[] };
    expect(two.entries.map((e) => e.msg)).toEqual(['entry 3', 'entry 4']);
    const junk = (await (await fetch(`${url}/api/logs?limit=abc`)).json()) as { entries: LogEntry[] };
    expect(junk.entries).toHaveLength(5);
  });

  it('GET /api/logs/stream?history=true sends history, then live entries, and unsubscribes on close', async () => {
    const { bus, listeners } = countingBus();
    bus.logger.info('before 1');
    bus.logger.info('before 2');
    const url = await start(bus);
    const received: LogEntry[] = [];
    const res = await readSse(`${url}/api/logs/stream?history=true`, (frame) => {
      if (frame.event !== 'log') return false;
      received.push(JSON.parse(frame.data ?? '{}') as LogEntry);
      if (received.length === 2) bus.logger.warn({ request: { id: 'r', method: 'GET', path: '/x', status: 404 } }, 'live');
      return received.length === 3;
    });
    expect(res.headers['content-type']).toMatch(/^text\/event-stream/);
    expect(received.map((e) => e.msg)).toEqual(['before 1', 'before 2', 'live']);
    expect(received[2]).toMatchObject({ level: 'warn', request: { status: 404 } });
    expect(received.map((e) => e.seq)).toEqual([1, 2, 3]);
    await expect.poll(listeners).toBe(0);
  });

  it('without history only live entries are sent; keepalive comments flow', async () => {
    const { bus } = countingBus();
    bus.logger.info('old');
    const url = await start(bus, 10);
    const seen: string[] = [];
    await readSse(`${url}/api/logs/stream`, (frame) => {
      if (frame.comment === 'ping' && seen.length === 0) {
        seen.push('ping');
        bus.logger.info('new');
        return false;
      }
      if (frame.event === 'log') seen.push((JSON.parse(frame.data ?? '{}') as LogEntry).msg);
      return seen.includes('new');
    });
    expect(seen).toEqual(['ping', 'new']);
  });

  it('keeps a bounded queue for a client that falls behind, dropping the oldest entries', async () => {
    const { bus } = countingBus();
    const url = await start(bus, 10);
    const total = MAX_PENDING_LOG_ENTRIES * 3;
    const seqs: number[] = [];
    let logged = false;
    await readSse(`${url}/api/logs/stream`, (frame) => {
      if (frame.comment === 'ping' && !logged) {
        logged = true;
        // One synchronous burst: the stream cannot send anything until it is over.
        for (let i = 1; i <= total; i++) bus.logger.info(`burst ${i}`);
      }
      if (frame.event === 'log') seqs.push((JSON.parse(frame.data ?? '{}') as LogEntry).seq);
      return seqs.at(-1) === total;
    });
    expect(seqs).toEqual(Array.from({ length: MAX_PENDING_LOG_ENTRIES }, (_, i) => total - MAX_PENDING_LOG_ENTRIES + 1 + i));
  });
});
