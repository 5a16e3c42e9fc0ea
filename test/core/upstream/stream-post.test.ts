import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { postForStream } from '../../../main/core/upstream/stream-post.js';

let server: http.Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

/** A server that answers "ok", except that `drop(n, perSocket)` decides to kill the connection instead. */
async function serve(drop: (requestOnSocket: number) => boolean): Promise<{ url: URL; requests: () => number }> {
  const perSocket = new Map<Socket, number>();
  let total = 0;
  server = http.createServer((req, res) => {
    const n = (perSocket.get(req.socket) ?? 0) + 1;
    perSocket.set(req.socket, n);
    total++;
    req.resume();
    req.on('end', () => {
      if (drop(n)) req.socket.destroy();
      else res.end('ok');
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: new URL(`http://127.0.0.1:${port}/codex/responses`), requests: () => total };
}

const post = (url: URL, signal = new AbortController().signal) => postForStream(url, {}, '{"x":1}', signal);

describe('postForStream', () => {
  it('reuses the connection of a body read to its end', async () => {
    const seen = new Set<unknown>();
    const { url } = await serve(() => false);
    server!.on('connection', (socket) => seen.add(socket));
    for (let i = 0; i < 3; i++) expect(await (await post(url)).text()).toBe('ok');
    expect(seen.size).toBe(1);
  });

  it('retries once on a new connection when a pooled one turns out to be dead', async () => {
    // The second request on any connection finds it closed, as after a server's idle timeout.
    const { url, requests } = await serve((n) => n === 2);
    expect(await (await post(url)).text()).toBe('ok');
    const again = await post(url);
    expect(again.status).toBe(200);
    expect(await again.text()).toBe('ok');
    expect(requests()).toBe(3);
  });

  it('does not retry a request that failed on a fresh connection', async () => {
    const { url, requests } = await serve(() => true);
    await expect(post(url)).rejects.toThrow();
    expect(requests()).toBe(1);
  });

  it('rejects with an AbortError when aborted while waiting for the answer', async () => {
    const { url } = await serve(() => false);
    server!.removeAllListeners('request');
    server!.on('request', (req: http.IncomingMessage) => req.resume()); // never answers
    const controller = new AbortController();
    const pending = post(url, controller.signal);
    setTimeout(() => controller.abort(), 20);
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
  });
});
