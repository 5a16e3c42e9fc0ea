// One spelling of every request path, made before the guard and the routers look at it, so that
// both judge the same string (and both ignore its case, see guard.ts); a path that could mean
// something else to the file server is refused here.
import type Koa from 'koa';
import { ClientError } from '../util/client-error.js';

const UNRESERVED = /^[A-Za-z0-9\-._~]$/;
// NUL and the other controls (anything below a space, and DEL), backslashes (a separator on
// Windows), encoded slashes.
const REFUSED = /[^\x20-\x7e\x80-\uffff]|\\|%2f/i;

/**
 * `//v1//messages/` → `/v1/messages`, `/%61ccounts` → `/accounts`; null for a path that is
 * malformed or tries to move around (`..`, `.`, `%2e%2e`, `%00`, `%2f`).
 */
export function canonicalPath(raw: string): string | null {
  if (!raw.startsWith('/')) return null;
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    return null;
  }
  if (REFUSED.test(raw) || REFUSED.test(decoded)) return null;
  // Percent-encoded unreserved characters are the same characters (RFC 3986 §6.2.2.2).
  const path = raw.replace(/%[0-9a-f]{2}/gi, (hex) => {
    const char = String.fromCharCode(parseInt(hex.slice(1), 16));
    return UNRESERVED.test(char) ? char : hex.toUpperCase();
  });
  const segments = path.split('/').filter((s) => s !== '');
  if (segments.some((s) => s === '.' || s === '..')) return null;
  return `/${segments.join('/')}`;
}

export function normalizeRequestPath(): Koa.Middleware {
  return async (ctx, next) => {
    const path = canonicalPath(ctx.path);
    if (path === null) throw new ClientError('invalid_request_error', 'Invalid request path.');
    if (path !== ctx.path) ctx.path = path;
    return next();
  };
}
