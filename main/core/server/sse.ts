// Server-sent events on a Koa response, written straight to the socket. A PassThrough as
// `ctx.body` would only start flowing once the handler returns, which a long-lived stream never
// does; so the handler takes over the response and owns backpressure itself.
import type { Context } from 'koa';

export interface SseOptions {
  /** Send a `: ping` comment this often (ms) to keep idle connections and middleboxes alive; 0 = never. */
  keepaliveMs?: number;
  /**
   * Send the headers with the first write instead of at once: one socket write less per stream,
   * for callers that write their first events immediately.
   */
  headersWithFirstWrite?: boolean;
}

export interface SseStream {
  /** Writes one event; resolves once the socket can take more (await it for backpressure). */
  send(event: string, data: unknown): Promise<void>;
  /** Writes typed events (each named after its `type`) in one socket write. */
  sendEvents(events: ReadonlyArray<{ type: string }>): Promise<void>;
  comment(text: string): Promise<void>;
  /** Ends the response (idempotent), with these last events in the same socket write. */
  close(finalEvents?: ReadonlyArray<{ type: string }>): void;
  /** True once the client left or `close()` was called: further writes are dropped. */
  readonly closed: boolean;
  /** Runs once when the stream ends, whoever ended it (immediately if it already has). */
  onClose(callback: () => void): void;
}

export const SSE_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
  'x-accel-buffering': 'no',
  connection: 'keep-alive',
};

function frame(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

function frames(events: ReadonlyArray<{ type: string }>): string {
  let chunk = '';
  for (const ev of events) chunk += frame(ev.type, ev);
  return chunk;
}

export function openSse(ctx: Context, opts: SseOptions = {}): SseStream {
  const res = ctx.res;
  ctx.set(SSE_HEADERS);
  ctx.status = 200;
  ctx.respond = false;
  if (!opts.headersWithFirstWrite) res.flushHeaders();
  ctx.req.socket.setNoDelay(true);

  let closed = false;
  const callbacks: Array<() => void> = [];
  let keepalive: NodeJS.Timeout | undefined;

  const finish = (): void => {
    if (closed) return;
    closed = true;
    clearInterval(keepalive);
    for (const callback of callbacks.splice(0)) callback();
  };
  res.once('close', finish);

  const write = (chunk: string): Promise<void> => {
    if (closed || res.writableEnded) return Promise.resolve();
    if (res.write(chunk)) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        res.off('drain', done);
        res.off('close', done);
        resolve();
      };
      res.on('drain', done);
      res.on('close', done);
    });
  };

  if (opts.keepaliveMs && opts.keepaliveMs > 0) {
    keepalive = setInterval(() => void write(': ping\n\n'), opts.keepaliveMs);
    keepalive.unref();
  }

  return {
    send: (event, data) => write(frame(event, data)),
    sendEvents: (events) => write(frames(events)),
    comment: (text) => write(`: ${text.replace(/\r?\n/g, ' ')}\n\n`),
    close(finalEvents) {
      if (!closed && !res.writableEnded) res.end(finalEvents ? frames(finalEvents) : undefined);
      finish();
    },
    get closed() {
      return closed;
    },
    onClose(callback) {
      if (closed) queueMicrotask(callback);
      else callbacks.push(callback);
    },
  };
}
