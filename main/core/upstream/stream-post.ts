// A POST whose answer is read as a stream, on node:http(s) with keep-alive agents. Used for the
// Codex responses call instead of fetch: a Node stream delivers each socket read synchronously,
// where fetch's web stream adds promise hops and objects per chunk on the hottest path
// (docs/PERFORMANCE.md), and the connection goes back to the pool once a body is read to its end.
import http from 'node:http';
import https from 'node:https';

export interface StreamResponse {
  status: number;
  ok: boolean;
  headers: Headers;
  /** The response body; destroy it to drop the connection, read it to the end to keep it. */
  body: http.IncomingMessage;
  text(): Promise<string>;
}

/** An idle pooled connection is closed after this long (servers drop them sooner or later). */
const IDLE_SOCKET_MS = 30_000;

const agents = {
  'http:': new http.Agent({ keepAlive: true, timeout: IDLE_SOCKET_MS }),
  'https:': new https.Agent({ keepAlive: true, timeout: IDLE_SOCKET_MS }),
};

function headersOf(res: http.IncomingMessage): Headers {
  const headers = new Headers();
  const raw = res.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) headers.append(raw[i], raw[i + 1]);
  return headers;
}

function textOf(body: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    body.setEncoding('utf8');
    body.on('data', (chunk: string) => (text += chunk));
    body.once('end', () => resolve(text));
    body.once('error', reject);
  });
}

function once(url: URL, headers: Record<string, string>, body: string, signal: AbortSignal) {
  const client = url.protocol === 'https:' ? https : http;
  const agent = url.protocol === 'https:' ? agents['https:'] : agents['http:'];
  return new Promise<{ res: http.IncomingMessage } | { err: Error; reused: boolean }>((resolve) => {
    const req = client.request(url, {
      method: 'POST',
      headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
      agent,
      signal,
    });
    req.once('response', (res) => {
      // Errors after this point surface through whoever reads the body; an unread body must
      // not turn a late reset into an uncaught 'error' event.
      res.on('error', () => undefined);
      resolve({ res });
    });
    req.on('error', (err) => resolve({ err, reused: req.reusedSocket }));
    req.end(body);
  });
}

/**
 * Sends the request and resolves with the response head; the body streams afterwards. Rejects
 * when no response arrives (connection refused, reset, aborted through `signal`). A pooled
 * connection the server closed while idle is retried once on a new one, which is safe because
 * such a request never reached the server.
 */
export async function postForStream(
  url: URL,
  headers: Record<string, string>,
  body: string,
  signal: AbortSignal,
): Promise<StreamResponse> {
  let sent = await once(url, headers, body, signal);
  if ('err' in sent && sent.reused && !signal.aborted && isStaleSocket(sent.err)) {
    sent = await once(url, headers, body, signal);
  }
  if ('err' in sent) throw sent.err;
  const res = sent.res;
  const status = res.statusCode ?? 0;
  return { status, ok: status >= 200 && status < 300, headers: headersOf(res), body: res, text: () => textOf(res) };
}

function isStaleSocket(err: Error): boolean {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'ECONNRESET' || code === 'EPIPE';
}
