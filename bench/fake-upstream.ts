// A lean stand-in for the Codex backend, fast enough not to be the bottleneck: it answers every
// POST /codex/responses with the same pre-serialized realistic stream (see workload.ts), written
// in small batches so that many streams interleave as they would on a real connection. A request
// whose body contains `think=<ms>` gets its answer (headers included) only after that long, and
// `pace=<ms>` puts that pause between batches, like a model generating tokens. Also serves the
// model catalog and usage endpoints the core asks for. Run as a child process: prints {"url"}
// once listening.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { sseFrame } from '../test/fakes/codex-events.js';
import { DEFAULT_CODEX_MODELS } from '../test/fakes/codex-backend.js';
import { answerEvents } from './workload.js';

const EVENTS_PER_WRITE = 16;

const batches: Buffer[] = [];
const frames = answerEvents().map(sseFrame);
for (let i = 0; i < frames.length; i += EVENTS_PER_WRITE)
  batches.push(Buffer.from(frames.slice(i, i + EVENTS_PER_WRITE).join('')));

const now = Math.floor(Date.now() / 1000);
const SSE_HEADERS = {
  'content-type': 'text/event-stream',
  'cache-control': 'no-cache',
  'x-codex-primary-used-percent': '12',
  'x-codex-primary-window-minutes': '300',
  'x-codex-primary-reset-at': String(now + 9000),
  'x-codex-secondary-used-percent': '34',
  'x-codex-secondary-window-minutes': '10080',
  'x-codex-secondary-reset-at': String(now + 300_000),
  'x-codex-plan-type': 'plus',
};
const MODELS = Buffer.from(JSON.stringify({ models: DEFAULT_CODEX_MODELS }));
const USAGE = Buffer.from(JSON.stringify({ plan_type: 'plus', rate_limit: { allowed: true, limit_reached: false } }));

function pause(pace: number): Promise<void> {
  return new Promise((resolve) => (pace > 0 ? setTimeout(resolve, pace) : setImmediate(resolve)));
}

async function stream(res: http.ServerResponse, think: number, pace: number): Promise<void> {
  if (think > 0) await new Promise((resolve) => setTimeout(resolve, think));
  if (res.destroyed) return;
  res.writeHead(200, SSE_HEADERS);
  res.socket?.setNoDelay(true);
  for (const batch of batches) {
    if (res.destroyed) return;
    if (!res.write(batch)) await new Promise((resolve) => res.once('drain', resolve));
    await pause(pace);
  }
  res.end();
}

const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const url = req.url ?? '';
    if (req.method === 'POST' && url.startsWith('/backend-api/codex/responses')) {
      const text = Buffer.concat(chunks).toString('latin1');
      const param = (name: string) => Number(new RegExp(`${name}=(\\d+)`).exec(text)?.[1] ?? 0);
      void stream(res, param('think'), param('pace'));
    } else if (url.startsWith('/backend-api/codex/models')) {
      res.writeHead(200, { 'content-type': 'application/json' }).end(MODELS);
    } else if (url.startsWith('/backend-api/wham/usage')) {
      res.writeHead(200, { 'content-type': 'application/json' }).end(USAGE);
    } else {
      res.writeHead(404).end();
    }
  });
});
server.keepAliveTimeout = 65_000;
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${port}/backend-api` })}\n`);
});
