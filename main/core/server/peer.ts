// Whether the other end of a connection is this machine. Only the socket knows: Host, Origin and
// X-Forwarded-For are text the client writes itself, so none of them decides who is local.
import net from 'node:net';
import type { Context } from 'koa';

const LOOPBACK = new net.BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

/** 127.0.0.0/8, ::1, and IPv4-mapped loopback (::ffff:127.x) as a dual-stack socket reports it. */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  const family = net.isIPv4(address) ? 'ipv4' : net.isIPv6(address) ? 'ipv6' : null;
  return family !== null && LOOPBACK.check(address, family);
}

export function peerAddress(ctx: Context): string | undefined {
  return ctx.req.socket.remoteAddress;
}

export function isLocalPeer(ctx: Context): boolean {
  return isLoopbackAddress(peerAddress(ctx));
}

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]']);

/** `127.0.0.1:8081` → `127.0.0.1`, `[::1]:8081` → `[::1]`, lower-cased. */
export function hostName(hostHeader: string): string {
  const host = hostHeader.trim().toLowerCase();
  if (host.startsWith('[')) return host.slice(0, host.indexOf(']') + 1);
  const colon = host.indexOf(':');
  return colon === -1 ? host : host.slice(0, colon);
}

/** A loopback name in Host: what a page of a rebinding domain can never send (it sends its own). */
export function isLoopbackHost(hostHeader: string | undefined): boolean {
  return hostHeader !== undefined && LOOPBACK_NAMES.has(hostName(hostHeader));
}
