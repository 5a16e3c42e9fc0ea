// The load generator: keeps `concurrency` streaming requests in flight until `total` have
// finished, timing each one's first body byte and last byte. Plain node:http with a keep-alive
// agent (lighter than fetch), reading bytes without parsing them, so the client costs the same
// whichever server it measures.
import http from 'node:http';

export interface LoadOptions {
  url: string;
  body: Buffer;
  concurrency: number;
  total: number;
  /** Whether a finished response body (its last bytes) is a complete stream. */
  complete: (tail: string) => boolean;
}

export interface LoadResult {
  ttfbMs: number[];
  ttlbMs: number[];
  bytes: number;
  wallMs: number;
  failures: number;
}

/** Enough of the end of a stream to hold its whole final event. */
const TAIL_CHARS = 4096;

interface One {
  ttfb: number;
  ttlb: number;
  bytes: number;
  ok: boolean;
}

function once(url: URL, body: Buffer, agent: http.Agent, complete: LoadOptions['complete']): Promise<One> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    let ttfb = 0;
    let bytes = 0;
    let tail = '';
    const req = http.request(
      url,
      {
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': body.length,
          'anthropic-version': '2023-06-01',
        },
      },
      (res) => {
        res.on('data', (chunk: Buffer) => {
          if (bytes === 0) ttfb = performance.now() - t0;
          bytes += chunk.length;
          tail = (tail + chunk.toString('latin1')).slice(-TAIL_CHARS);
        });
        res.on('end', () =>
          resolve({ ttfb, ttlb: performance.now() - t0, bytes, ok: res.statusCode === 200 && complete(tail) }),
        );
        res.on('error', () => resolve({ ttfb, ttlb: performance.now() - t0, bytes, ok: false }));
      },
    );
    req.on('error', () => resolve({ ttfb, ttlb: performance.now() - t0, bytes, ok: false }));
    req.end(body);
  });
}

export async function runLoad(opts: LoadOptions): Promise<LoadResult> {
  const url = new URL(opts.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: opts.concurrency });
  const result: LoadResult = { ttfbMs: [], ttlbMs: [], bytes: 0, wallMs: 0, failures: 0 };
  let started = 0;
  const worker = async (): Promise<void> => {
    while (started < opts.total) {
      started++;
      const r = await once(url, opts.body, agent, opts.complete);
      if (!r.ok) result.failures++;
      result.ttfbMs.push(r.ttfb);
      result.ttlbMs.push(r.ttlb);
      result.bytes += r.bytes;
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: opts.concurrency }, worker));
  result.wallMs = performance.now() - t0;
  agent.destroy();
  return result;
}

/** The p-th percentile (0–100) by nearest rank. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export function median(values: number[]): number {
  return percentile(values, 50);
}
