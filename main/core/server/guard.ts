// Who may talk to the local proxy. Claude Code, SDKs and curl send no Origin and a loopback Host;
// browsers always reveal where a page came from. So: a Host that is not a loopback name means a
// DNS-rebinding page or a network client (refused without the API key); a foreign Origin means
// another web site (refused); the dashboard, served by us, is its own origin.
import { createHash, timingSafeEqual } from 'node:crypto';
import type Koa from 'koa';
import { ERROR_STATUS, type ErrorType } from '../../../shared/anthropic.js';
import { sendError } from './http-error.js';
import { chatErrorBody } from '../openai/errors.js';

export interface GuardOptions {
  /** When set, API clients must present it (`x-api-key` or `Authorization: Bearer`). */
  apiKey?: string;
  /** Origins of the dashboard as served by this process, e.g. `http://127.0.0.1:8081`. */
  selfOrigins: () => string[];
}

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]']);

/** `127.0.0.1:8081` → `127.0.0.1`, `[::1]:8081` → `[::1]`, lower-cased. */
export function hostName(hostHeader: string): string {
  const host = hostHeader.trim().toLowerCase();
  if (host.startsWith('[')) return host.slice(0, host.indexOf(']') + 1);
  const colon = host.indexOf(':');
  return colon === -1 ? host : host.slice(0, colon);
}

export function isLoopbackHost(hostHeader: string | undefined): boolean {
  return hostHeader !== undefined && LOOPBACK_NAMES.has(hostName(hostHeader));
}

function normalizeOrigin(origin: string): string {
  return origin.trim().toLowerCase().replace(/\/+$/, '');
}

type RouteKind = 'open' | 'api' | 'protected' | 'static';

/**
 * - open: what Claude Code fires without credentials and must never fail loudly;
 * - api: the Anthropic/OpenAI endpoints (`/v1/*`);
 * - protected: anything that reveals accounts or logs or changes state;
 * - static: the dashboard's files.
 */
export function routeKind(method: string, path: string): RouteKind {
  if (path === '/health') return 'open';
  if (method === 'HEAD' && (path === '/' || path === '/api/hello')) return 'open';
  if (path === '/api/event_logging/batch') return 'open';
  if (path === '/v1' || path.startsWith('/v1/')) return 'api';
  if (path === '/api' || path.startsWith('/api/')) return 'protected';
  if (/^\/(accounts|claude)(\/|$)/.test(path)) return 'protected';
  // Default-deny for state changes on any route added later.
  return method === 'GET' || method === 'HEAD' ? 'static' : 'protected';
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/** The keys a request presents: `x-api-key` and/or the Bearer token. */
function presentedKeys(headers: Koa.Context['headers']): string[] {
  const keys: string[] = [];
  const xApiKey = headers['x-api-key'];
  if (typeof xApiKey === 'string' && xApiKey) keys.push(xApiKey);
  const bearer = /^Bearer\s+(.+)$/i.exec(headers.authorization ?? '');
  if (bearer) keys.push(bearer[1].trim());
  return keys;
}

export function localApiGuard(opts: GuardOptions): Koa.Middleware {
  const expected = opts.apiKey ? digest(opts.apiKey) : null;
  const keyMatches = (ctx: Koa.Context): boolean =>
    expected !== null && presentedKeys(ctx.headers).some((key) => timingSafeEqual(digest(key), expected));

  // Each API answers in its own error shape, so its SDK raises its own error class.
  const refuse = (ctx: Koa.Context, errorType: ErrorType, message: string): void => {
    if (!ctx.path.startsWith('/v1/chat/')) return sendError(ctx, { errorType, message });
    ctx.status = ERROR_STATUS[errorType];
    ctx.body = chatErrorBody(errorType, message);
  };

  return async (ctx, next) => {
    const hasKey = keyMatches(ctx);

    if (!isLoopbackHost(ctx.get('host') || undefined) && !hasKey) {
      if (expected)
        return refuse(
          ctx,
          'authentication_error',
          'This proxy requires its API key (x-api-key or Authorization: Bearer) for requests that do not come from localhost.',
        );
      return refuse(
        ctx,
        'permission_error',
        `Host "${ctx.get('host')}" is not allowed: open the proxy as http://127.0.0.1 or http://localhost.`,
      );
    }

    const kind = routeKind(ctx.method, ctx.path);
    if (kind === 'open' || kind === 'static') return next();

    const origin = ctx.get('origin');
    const sameOrigin = origin !== '' && opts.selfOrigins().map(normalizeOrigin).includes(normalizeOrigin(origin));
    // A page elsewhere may use the API only with the key, which it can only have been given.
    const foreignAllowed = kind === 'api' && hasKey;
    if (origin !== '' && !sameOrigin && !foreignAllowed) {
      return refuse(
        ctx,
        'permission_error',
        `Cross-origin request from ${origin} refused: only the proxy's own dashboard may call this endpoint from a browser.`,
      );
    }
    const safeMethod = ctx.method === 'GET' || ctx.method === 'HEAD';
    if (!safeMethod && !sameOrigin && !foreignAllowed && ctx.get('sec-fetch-site') === 'cross-site') {
      return refuse(ctx, 'permission_error', 'Cross-site request refused.');
    }

    if (expected && !sameOrigin && !hasKey) {
      return refuse(
        ctx,
        'authentication_error',
        'Missing or wrong API key: send it as x-api-key or Authorization: Bearer.',
      );
    }
    return next();
  };
}
