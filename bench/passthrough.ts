// The floor: a proxy that does nothing but pipe bytes. Every request is forwarded to the upstream
// Codex responses endpoint as it is and the answer piped back untouched, over a keep-alive agent
// like ours. Whatever our proxy costs beyond this is translation, routing and bookkeeping.
// Run as a child process with UPSTREAM set: prints {"url"} once listening.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

const upstream = new URL(`${process.env.UPSTREAM ?? ''}/codex/responses`);
const agent = new http.Agent({ keepAlive: true });

const server = http.createServer((req, res) => {
  const out = http.request(
    upstream,
    { method: 'POST', agent, headers: { 'content-type': 'application/json', accept: 'text/event-stream' } },
    (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      res.socket?.setNoDelay(true);
      up.pipe(res);
    },
  );
  out.on('error', () => res.destroy());
  res.on('close', () => {
    if (!res.writableFinished) out.destroy();
  });
  req.pipe(out);
});
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${port}` })}\n`);
});
