// The dashboard's credential when the proxy has an API key: a random token made once per process
// and handed out only with the dashboard page, as an HttpOnly SameSite=Strict cookie, to a peer on
// this machine that asked for it by a loopback name. Pages of other sites never get it or send it
// (SameSite), scripts cannot read it (HttpOnly), other machines are never given it, and a restart
// makes every old one worthless.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Context } from 'koa';
import { isLocalPeer, isLoopbackHost } from './peer.js';

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

export class DashboardSession {
  private readonly token = randomBytes(32).toString('base64url');
  private readonly expected = digest(this.token);

  /** Per port: two proxies on one machine share the browser's cookie jar for 127.0.0.1. */
  cookieName(ctx: Context): string {
    return `ccp_session_${ctx.req.socket.localPort ?? 0}`;
  }

  /** Sets the cookie on the answer that carries the dashboard page, for local peers only. */
  issue(ctx: Context): void {
    if (!isLocalPeer(ctx) || !isLoopbackHost(ctx.get('host') || undefined)) return;
    ctx.cookies.set(this.cookieName(ctx), this.token, {
      httpOnly: true,
      sameSite: 'strict',
      path: '/',
      overwrite: true,
    });
  }

  /** The request carries this process's cookie, and comes from this machine. */
  presented(ctx: Context): boolean {
    if (!isLocalPeer(ctx)) return false;
    const value = ctx.cookies.get(this.cookieName(ctx));
    return value !== undefined && timingSafeEqual(digest(value), this.expected);
  }

  /** A cookie of ours that is not this process's: the page was loaded before a restart. */
  stale(ctx: Context): boolean {
    return ctx.cookies.get(this.cookieName(ctx)) !== undefined && !this.presented(ctx);
  }
}
