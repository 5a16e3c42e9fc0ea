import net from 'node:net';

/**
 * A loopback port nobody listens on right now. For servers that must be told their port before
 * they start (the OAuth callback, whose redirect URI the fake issuer has to know in advance).
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
