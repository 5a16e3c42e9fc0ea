// The Koa application: one error envelope for everything, the local-API guard, then the routes.
import Koa from 'koa';
import serve from 'koa-static';
import { existsSync } from 'node:fs';
import type Router from '@koa/router';
import type { Logger } from 'pino';
import { HttpError, sendError } from './http-error.js';
import type { ErrorType } from '../../../shared/anthropic.js';
import { RequestError } from '../translate/request-error.js';
import { DASHBOARD_CSP } from '../../../shared/csp.js';
import { randomId } from '../translate/ids.js';
import type { DashboardSession } from './dashboard-session.js';
import { normalizeRequestPath } from './request-path.js';

export interface AppOptions {
  log: Logger;
  /** Guard middleware (peer/Host/Origin/API-key checks), mounted before every route. */
  guard: Koa.Middleware;
  /** Given to the dashboard page; the guard accepts it in place of the key. */
  session?: DashboardSession;
  routers: Router[];
  /** Built dashboard (dist/renderer); served at / when present. */
  rendererDir?: string;
}

const CLIENT_GONE = new Set(['ERR_STREAM_PREMATURE_CLOSE', 'ECONNRESET', 'EPIPE', 'ERR_STREAM_DESTROYED']);

const CLIENT_ERROR_TYPES: Record<number, ErrorType> = {
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
};

/** A 4xx thrown by Koa or a middleware (ctx.throw, http-errors): the client's mistake, said as such. */
function clientError(err: unknown): { status: number; message: string } | null {
  const e = err as { status?: unknown; expose?: unknown; message?: unknown };
  if (typeof e.status !== 'number' || e.status < 400 || e.status > 499 || e.expose !== true) return null;
  return { status: e.status, message: typeof e.message === 'string' ? e.message : 'Bad request.' };
}

export function createApp(opts: AppOptions): Koa {
  const app = new Koa();
  app.proxy = false;

  app.use(async (ctx, next) => {
    ctx.state.requestId = randomId('req_');
    ctx.set('request-id', ctx.state.requestId);
    try {
      await next();
    } catch (err) {
      const thrown = clientError(err);
      if (err instanceof HttpError) {
        ctx.set(err.headers);
        sendError(ctx, { errorType: err.errorType, message: err.message, status: err.status });
      } else if (err instanceof RequestError) {
        sendError(ctx, { errorType: err.errorType, message: err.message });
      } else if (thrown && !ctx.headerSent) {
        const errorType = CLIENT_ERROR_TYPES[thrown.status] ?? 'invalid_request_error';
        sendError(ctx, { errorType, message: thrown.message, status: thrown.status });
      } else if (ctx.headerSent) {
        opts.log.warn({ err: (err as Error).message, path: ctx.path }, 'error after the response started');
      } else {
        opts.log.error({ err: (err as Error).stack, path: ctx.path }, 'unhandled error');
        sendError(ctx, { errorType: 'api_error', message: 'Internal error in the proxy; see its log for details.' });
      }
    }
  });

  app.use(normalizeRequestPath());
  app.use(opts.guard);
  for (const router of opts.routers) app.use(router.routes()).use(router.allowedMethods());

  if (opts.rendererDir && existsSync(opts.rendererDir)) {
    const files = serve(opts.rendererDir, { index: 'index.html', maxage: 0 });
    app.use(async (ctx, next) => {
      await files(ctx, next);
      if (ctx.status === 200 && ctx.type === 'text/html') {
        opts.session?.issue(ctx);
        ctx.set('content-security-policy', DASHBOARD_CSP);
        ctx.set('x-frame-options', 'DENY');
        ctx.set('x-content-type-options', 'nosniff');
      }
    });
  }

  app.use(async (ctx, next) => {
    await next();
    if (ctx.body !== undefined || ctx.status !== 404) return;
    // Claude Code probes the base URL with HEAD /; GET / is the dashboard when it is built.
    if (ctx.path === '/' && (ctx.method === 'HEAD' || ctx.method === 'GET')) {
      ctx.status = 200;
      ctx.body = ctx.method === 'GET' ? 'codex-claude-proxy is running. Build the dashboard with `npm run build`.' : '';
      return;
    }
    sendError(ctx, { errorType: 'not_found_error', message: `No route for ${ctx.method} ${ctx.path}.` });
  });

  app.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code && CLIENT_GONE.has(err.code)) return;
    opts.log.warn({ err: err.message }, 'server error');
  });
  return app;
}
