// Who may talk to the proxy. Locality comes from the socket's peer address alone: a peer on
// another machine needs the API key for everything, whatever Host or Origin it writes. On this
// machine, Claude Code, SDKs and curl send no Origin and a loopback Host; browsers always reveal
// where a page came from. So, for local peers: a Host that is not a loopback name means a
// DNS-rebinding page (refused without the key); a foreign Origin means another web site
// (refused); and when a key is set, the dashboard proves itself with its session cookie
// (dashboard-session.ts), never with an Origin that merely looks like ours.
import { createHash, timingSafeEqual } from 'node:crypto';
import type Koa from 'koa';
import type { ErrorType } from '../../../shared/anthropic.js';
import { ClientError } from '../util/client-error.js';
import type { DashboardSession } from './dashboard-session.js';
import { isLocalPeer, isLoopbackHost, peerAddress } from './peer.js';

export interface GuardOptions {
  /** When set, API clients must present it (`x-api-key` or `Authorization: Bearer`). */
  apiKey?: string;
  /** Origins of the dashboard as served by this process, e.g. `http://127.0.0.1:8081`. */
  selfOrigins: () => string[];
  /** The dashboard's cookie; without it, only the key lets anyone in when a key is set. */
  session?: DashboardSession;
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
 *
 * `rawPath` is the normalized path (request-path.ts), the one the routers match; they match it
 * ignoring case, and so does this.
 */
export function routeKind(method: string, rawPath: string): RouteKind {
  const path = rawPath.toLowerCase();
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

  // Answered by the error middleware (app.ts), in the shape of the API that was called.
  const refuse = (errorType: ErrorType, message: string): never => {
    throw new ClientError(errorType, message);
  };

  return async (ctx, next) => {
    const hasKey = keyMatches(ctx);

    if (!isLocalPeer(ctx) && !hasKey) {
      if (expected)
        return refuse(
          'authentication_error',
          'This proxy requires its API key (x-api-key or Authorization: Bearer) for requests from other machines.',
        );
      return refuse(
        'permission_error',
        `This proxy serves this machine only; ${peerAddress(ctx) ?? 'an unknown peer'} is another one. Start it with an API key to serve the network.`,
      );
    }

    if (!isLoopbackHost(ctx.get('host') || undefined) && !hasKey) {
      if (expected)
        return refuse(
          'authentication_error',
          'This proxy requires its API key (x-api-key or Authorization: Bearer) for requests that do not name it as localhost.',
        );
      return refuse(
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
        'permission_error',
        `Cross-origin request from ${origin} refused: only the proxy's own dashboard may call this endpoint from a browser.`,
      );
    }
    const safeMethod = ctx.method === 'GET' || ctx.method === 'HEAD';
    if (!safeMethod && !sameOrigin && !foreignAllowed && ctx.get('sec-fetch-site') === 'cross-site') {
      return refuse('permission_error', 'Cross-site request refused.');
    }

    if (expected && !hasKey && !opts.session?.presented(ctx)) {
      return refuse(
        'authentication_error',
        opts.session?.stale(ctx) || sameOrigin
          ? 'The dashboard session is not valid (was the proxy restarted?): reload the page.'
          : 'Missing or wrong API key: send it as x-api-key or Authorization: Bearer.',
      );
    }
    return next();
  };
}
