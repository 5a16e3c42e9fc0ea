// The loopback server the browser is redirected to after sign-in. It exists only while a sign-in
// is pending; the port must be one the issuer registered (1455, else 1457).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { failurePage } from './pages.js';

export interface CallbackReply {
  status: number;
  html: string;
}

export type CallbackHandler = (url: URL) => Promise<CallbackReply>;

function listenOn(server: http.Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error): void => {
      server.off('listening', onListening);
      reject(err);
    };
    const onListening = (): void => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, '127.0.0.1');
  });
}

/** The request target as a URL on this server, or null when it is not one (`//a:99999/`, `*`). */
function callbackUrl(target: string | undefined): URL | null {
  if (!target?.startsWith('/') || target.startsWith('//')) return null;
  try {
    return new URL(target, 'http://localhost');
  } catch {
    return null;
  }
}

function reply(res: http.ServerResponse, { status, html }: CallbackReply): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    connection: 'close',
  });
  res.end(html);
}

/**
 * Any page in the browser can make it send a request here (an <img>), so nothing a request
 * contains may throw outside this function: a throw in a listener would end the whole proxy.
 */
async function answer(req: http.IncomingMessage, res: http.ServerResponse, handler: CallbackHandler): Promise<void> {
  res.on('error', () => undefined);
  try {
    const url = req.method === 'GET' || req.method === 'HEAD' ? callbackUrl(req.url) : null;
    reply(
      res,
      url ? await handler(url) : { status: 400, html: failurePage('This address is not part of the sign-in.') },
    );
  } catch {
    reply(res, { status: 500, html: failurePage('The sign-in could not be completed; start it again.') });
  }
}

export class CallbackServer {
  private constructor(
    private readonly server: http.Server,
    readonly port: number,
  ) {}

  /**
   * Listens on the first free port of `ports`. Rejects with every port's reason when none is free
   * (in use, or reserved as on Windows' excluded port ranges).
   */
  static async start(ports: readonly number[], handler: CallbackHandler): Promise<CallbackServer> {
    const failures: string[] = [];
    for (const port of ports) {
      const server = http.createServer((req, res) => void answer(req, res, handler));
      try {
        await listenOn(server, port);
        return new CallbackServer(server, (server.address() as AddressInfo).port);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        failures.push(
          `port ${port}: ${code === 'EADDRINUSE' ? 'already in use' : code === 'EACCES' ? 'not allowed (reserved)' : (err as Error).message}`,
        );
      }
    }
    throw new Error(failures.join('; '));
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      // Lets the last page finish; a connection the browser keeps open is cut shortly after.
      this.server.close(() => resolve());
      setTimeout(() => this.server.closeAllConnections(), 1_000).unref();
    });
  }
}
