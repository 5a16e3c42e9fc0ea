// The HTTP server around the Koa app, with bounds on how slowly a request may arrive. Node's
// requestTimeout covers only the request itself (headers and body, until the body is complete),
// never the answer, so long streams are not cut; headersTimeout bounds the headers alone. Without
// them, a client sending a byte every few seconds holds its socket for ever (slowloris).
import http from 'node:http';
import type { Duplex } from 'node:stream';
import type { ErrorBody } from '../../../shared/anthropic.js';

export interface ServerTimeouts {
  /** Until the end of the request headers. */
  headersMs: number;
  /** Until the end of the request body (headers included). */
  requestMs: number;
}

export const DEFAULT_TIMEOUTS: ServerTimeouts = { headersMs: 20_000, requestMs: 120_000 };

/** PROXY_HEADERS_TIMEOUT_MS and PROXY_REQUEST_TIMEOUT_MS, else the defaults. */
export function serverTimeouts(env: NodeJS.ProcessEnv): ServerTimeouts {
  const ms = (value: string | undefined, fallback: number): number => {
    const n = Number(value);
    return Number.isInteger(n) && n > 0 ? n : fallback;
  };
  const requestMs = ms(env.PROXY_REQUEST_TIMEOUT_MS, DEFAULT_TIMEOUTS.requestMs);
  // Node refuses a headers bound beyond the request bound.
  const headersMs = Math.min(requestMs, ms(env.PROXY_HEADERS_TIMEOUT_MS, DEFAULT_TIMEOUTS.headersMs));
  return { headersMs, requestMs };
}

function errorResponse(status: number, message: string): string {
  const body: ErrorBody = { type: 'error', error: { type: 'invalid_request_error', message } };
  const text = JSON.stringify(body);
  return (
    `HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\n` +
    `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`
  );
}

function clientErrorAnswer(err: NodeJS.ErrnoException): string {
  if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT')
    return errorResponse(408, 'The request took too long to arrive (headers or body); send it again.');
  if (err.code === 'HPE_HEADER_OVERFLOW') return errorResponse(431, 'The request headers are too large.');
  return errorResponse(400, 'Malformed HTTP request.');
}

/**
 * Requests Node refuses before any handler runs (timeouts, parse errors) still get an
 * Anthropic-shaped answer, unless an answer already started on that socket; then the socket goes.
 */
function onClientError(err: NodeJS.ErrnoException, socket: Duplex): void {
  const inFlight = (socket as Duplex & { _httpMessage?: http.ServerResponse })._httpMessage;
  if (err.code === 'ECONNRESET' || !socket.writable || inFlight?.headersSent) {
    socket.destroy();
    return;
  }
  // Destroyed, not just ended: a slow client would otherwise keep the half-closed socket open.
  socket.write(clientErrorAnswer(err), () => socket.destroy());
  setTimeout(() => socket.destroy(), 1_000).unref();
}

export function createHttpServer(handler: http.RequestListener, timeouts: ServerTimeouts): http.Server {
  const server = http.createServer(
    {
      headersTimeout: timeouts.headersMs,
      requestTimeout: timeouts.requestMs,
      // How often Node looks for connections past those bounds.
      connectionsCheckingInterval: Math.max(50, Math.floor(timeouts.headersMs / 4)),
    },
    handler,
  );
  server.keepAliveTimeout = 65_000;
  server.on('clientError', onClientError);
  return server;
}
