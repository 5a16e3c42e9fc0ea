import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import { afterEach, describe, expect, it } from 'vitest';
import { openSse, type SseStream } from '../../../main/core/server/sse.js';

const servers: http.Server[] = [];

async function serve(handler: Koa.Middleware): Promise<string> {
  const app = new Koa();
  app.use(handler);
  const server = http.createServer(app.callback());
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Promise.withResolvers is Node 22+; we support Node 20. */
function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve: (value: T) => void = () => undefined;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

function get(url: string): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => http.get(url, resolve).on('error', reject));
}

async function readAll(res: http.IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of res) text += String(chunk);
  return text;
}

/** Resolves once `predicate` holds for the text received so far. */
function readUntil(res: http.IncomingMessage, predicate: (text: string) => boolean): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const onData = (chunk: Buffer): void => {
      text += String(chunk);
      if (predicate(text)) {
        res.off('data', onData);
        resolve(text);
      }
    };
    res.on('data', onData);
    res.on('error', reject);
  });
}

afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

describe('openSse', () => {
  it('writes SSE headers and event frames, and ends the response on close()', async () => {
    const url = await serve(async (ctx) => {
      const sse = openSse(ctx);
      await sse.send('log', { n: 1, text: 'line\nbreak' });
      await sse.comment('hello');
      await sse.send('done', 'x');
      sse.close();
      sse.close();
      expect(sse.closed).toBe(true);
    });
    const res = await get(url);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/event-stream/);
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.headers['x-accel-buffering']).toBe('no');
    expect(res.headers.connection).toBe('keep-alive');
    expect(await readAll(res)).toBe('event: log\ndata: {"n":1,"text":"line\\nbreak"}\n\n: hello\n\nevent: done\ndata: "x"\n\n');
  });

  it('sends keepalive comments when asked', async () => {
    let stream: SseStream | undefined;
    const url = await serve(async (ctx) => {
      stream = openSse(ctx, { keepaliveMs: 10 });
    });
    const res = await get(url);
    const text = await readUntil(res, (t) => t.split(': ping\n\n').length > 2);
    expect(text.startsWith(': ping\n\n')).toBe(true);
    stream?.close();
  });

  it('notices a client that leaves: closed, onClose callbacks, writes dropped', async () => {
    let closedCalls = 0;
    const { promise: opened, resolve: onOpen } = deferred<SseStream>();
    const url = await serve(async (ctx) => {
      const sse = openSse(ctx);
      sse.onClose(() => closedCalls++);
      onOpen(sse);
    });
    http.get(url, (res) => res.destroy()).on('error', () => undefined);
    const stream = await opened;
    await new Promise<void>((resolve) => stream.onClose(resolve));
    expect(stream.closed).toBe(true);
    expect(closedCalls).toBe(1);
    await expect(stream.send('log', {})).resolves.toBeUndefined();
    // A callback registered after the end still runs.
    await new Promise<void>((resolve) => stream.onClose(resolve));
  });

  it('holds the writer back while the client does not read, then delivers everything in order', async () => {
    const payload = 'x'.repeat(64 * 1024);
    const total = 400; // ~26 MB offered, far beyond socket buffers
    let blockedAt = -1;
    const { promise: blocked, resolve: onBlocked } = deferred<void>();
    const url = await serve(async (ctx) => {
      const sse = openSse(ctx);
      for (let i = 0; i < total; i++) {
        const sent = sse.send('chunk', { i, payload });
        if (blockedAt < 0 && ctx.res.writableNeedDrain) {
          blockedAt = i;
          onBlocked();
        }
        await sent;
      }
      sse.close();
    });
    const res = await get(url);
    res.pause();
    await blocked;
    expect(blockedAt).toBeLessThan(total - 1);
    res.resume();
    const text = await readAll(res);
    const ids = [...text.matchAll(/"i":(\d+)/g)].map((m) => Number(m[1]));
    expect(ids).toEqual(Array.from({ length: total }, (_, i) => i));
  });
});
