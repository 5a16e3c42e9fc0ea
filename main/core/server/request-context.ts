// What every route needs from a Koa request: its headers as one flat lower-case map, and a
// signal that aborts when the client goes away before the response is finished.
import type { Context } from 'koa';

export function lowerHeaders(ctx: Context): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(ctx.headers)) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

/**
 * Aborts when the client goes away before the response finished: Node emits `close` on the
 * response when the socket goes, finished or not (docs/FACTS.md, "A client that leaves shows on
 * the response, not the request").
 */
export function clientSignal(ctx: Context): AbortSignal {
  const controller = new AbortController();
  ctx.res.on('close', () => {
    if (!ctx.res.writableFinished) controller.abort();
  });
  return controller.signal;
}
