// The Koa application: the one place that answers errors, the local-API guard, then the routes.
import Koa from 'koa';
import type { Context } from 'koa';
import serve from 'koa-static';
import { existsSync } from 'node:fs';
import type Router from '@koa/router';
import type { Logger } from 'pino';
import type { ErrorBody, ErrorType } from '../../../shared/anthropic.js';
import { ClientError } from '../util/client-error.js';
import { chatErrorBody } from '../openai/errors.js';
import { ChatRequestError } from '../openai/chat-to-anthropic.js';
import { DASHBOARD_CSP } from '../../../shared/csp.js';
import { randomId } from '../translate/ids.js';
import type { DashboardSession } from './dashboard-session.js';
import { normalizeRequestPath } from './request-path.js';
import { requestIdOf, unexpectedTeller } from './request-context.js';

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

/** The OpenAI endpoint answers in OpenAI's shape, so that its SDK raises its own error classes. */
const OPENAI_PATH = /^\/v1\/chat\//i;

/** A 4xx thrown by Koa or a middleware (ctx.throw, http-errors): the client's mistake, said as such. */
function thrownByKoa(err: unknown): ClientError | null {
  const e = err as { status?: unknown; expose?: unknown; message?: unknown };
  if (typeof e.status !== 'number' || e.status < 400 || e.status > 499 || e.expose !== true) return null;
  const message = typeof e.message === 'string' ? e.message : 'Bad request.';
  return new ClientError(CLIENT_ERROR_TYPES[e.status] ?? 'invalid_request_error', message, { status: e.status });
}

/** Where the error middleware says what went wrong on our side. */
export type ErrorLog = Pick<Logger, 'warn' | 'error'>;

/** Any failure as what the client is told: never a stack trace, and the log gets the rest. */
function clientErrorOf(err: unknown, ctx: Context, log: ErrorLog): ClientError {
  if (err instanceof ClientError) return err;
  const fromKoa = thrownByKoa(err);
  if (fromKoa) return fromKoa;
  const error = err instanceof Error ? err : new Error(String(err));
  const told = unexpectedTeller(ctx)?.(error);
  if (told) {
    log.warn({ err: error.message, path: ctx.path }, 'request failed');
    return new ClientError('api_error', told, { cause: err });
  }
  log.error({ err: error.stack, path: ctx.path }, 'unhandled error');
  return new ClientError('api_error', 'Internal error in the proxy; see its log for details.');
}

function render(ctx: Context, err: ClientError): void {
  ctx.status = err.status;
  ctx.set(err.responseHeaders());
  if (OPENAI_PATH.test(ctx.path)) {
    const param = err instanceof ChatRequestError ? err.param : null;
    ctx.body = chatErrorBody(err.errorType, err.message, { code: err.code, param });
    return;
  }
  const body: ErrorBody = {
    type: 'error',
    error: { type: err.errorType, message: err.message },
    request_id: requestIdOf(ctx),
  };
  ctx.body = body;
}

/**
 * Gives every request its id and answers whatever is thrown below it: ClientErrors as they are,
 * Koa's own 4xx by their status, anything else as a 500. The only place errors are rendered.
 */
export function errorAnswers(log: ErrorLog): Koa.Middleware {
  return async (ctx, next) => {
    ctx.state.requestId = randomId('req_');
    ctx.set('request-id', ctx.state.requestId);
    try {
      await next();
    } catch (err) {
      if (ctx.headerSent) {
        log.warn({ err: (err as Error).message, path: ctx.path }, 'error after the response started');
        return;
      }
      render(ctx, clientErrorOf(err, ctx, log));
    }
  };
}

export function createApp(opts: AppOptions): Koa {
  const app = new Koa();
  app.proxy = false;

  app.use(errorAnswers(opts.log));
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
    throw new ClientError('not_found_error', `No route for ${ctx.method} ${ctx.path}.`, { code: 'unknown_url' });
  });

  app.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code && CLIENT_GONE.has(err.code)) return;
    opts.log.warn({ err: err.message }, 'server error');
  });
  return app;
}
