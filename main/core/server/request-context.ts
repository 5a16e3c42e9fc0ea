// What every route needs from a Koa request: its headers as one flat lower-case map, a signal
// that aborts when the client goes away before the response is finished, its request id, and how
// its unexpected failures are told (the error middleware in app.ts reads both).
import type { Context } from 'koa';

/** The id the error middleware gave the request (`request-id` header, `request_id` of errors). */
export function requestIdOf(ctx: Context): string {
  return String(ctx.state.requestId ?? '');
}

/**
 * What a route tells the client when it fails with something other than a ClientError: a message
 * a person can act on, or null for the default (a 500 that points to the log).
 */
export type UnexpectedFailure = (err: Error) => string | null;

/** Declares how this request's unexpected failures are told; app.ts renders what it returns. */
export function tellUnexpected(ctx: Context, describe: UnexpectedFailure): void {
  ctx.state.tellUnexpected = describe;
}

export function unexpectedTeller(ctx: Context): UnexpectedFailure | undefined {
  const describe: unknown = ctx.state.tellUnexpected;
  return typeof describe === 'function' ? (describe as UnexpectedFailure) : undefined;
}

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
