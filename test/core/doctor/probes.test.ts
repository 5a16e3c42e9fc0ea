// What the doctor finds on the proxy's port and in the data dir, on real sockets and files.
import http from 'node:http';
import net from 'node:net';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { dataDirFacts, probePort } from '../../../main/core/doctor/probes.js';
import { freePort } from '../../e2e/dashboard/free-port.js';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

async function listen(server: net.Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(
    () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        if (server instanceof http.Server) server.closeAllConnections();
      }),
  );
  return `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
}

describe('probePort', () => {
  it('nobody listening: free', async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    expect(await probePort(url)).toEqual({ kind: 'free', url });
  });

  it('our /health: ours, with its version', async () => {
    const url = await listen(
      http.createServer((_req, res) => {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ status: 'ok', version: '9.9.9', accounts: { total: 0, usable: 0 }, uptime_s: 1 }));
      }),
    );
    expect(await probePort(url)).toEqual({ kind: 'ours', url, version: '9.9.9' });
  });

  it('another HTTP server, or something that is not HTTP: other, saying what it saw', async () => {
    const web = await listen(
      http.createServer((_req, res) => {
        res.writeHead(404, { server: 'nginx' });
        res.end('not here');
      }),
    );
    expect(await probePort(web)).toEqual({
      kind: 'other',
      url: web,
      detail: 'its /health answered HTTP 404 from nginx',
    });
    const raw = await listen(
      net.createServer((socket) => {
        socket.on('error', () => undefined);
        socket.resume();
        socket.end('SSH-2.0-OpenSSH_9.6\r\n');
      }),
    );
    expect(await probePort(raw)).toEqual({ kind: 'other', url: raw, detail: 'it does not speak HTTP' });
  });
});

describe('dataDirFacts', () => {
  it('reads existence, kind, writability and mode', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'ccp-doctor-'));
    closers.push(() => rm(dir, { recursive: true, force: true }));
    await chmod(dir, 0o755);
    expect(await dataDirFacts(dir)).toMatchObject({ path: dir, exists: true, isDirectory: true, writable: true });
    expect(((await dataDirFacts(dir)).mode ?? 0) & 0o777).toBe(0o755);
    const file = path.join(dir, 'f');
    await writeFile(file, '');
    expect(await dataDirFacts(file)).toMatchObject({ exists: true, isDirectory: false });
    expect(await dataDirFacts(path.join(dir, 'missing'))).toMatchObject({ exists: false });
  });
});
