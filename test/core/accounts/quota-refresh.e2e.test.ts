// Fetching quota from the backend is a side effect, so it is a POST: a GET (which any web page
// can send with an <img>) never makes the proxy call upstream.
import { afterEach, describe, expect, it } from 'vitest';
import { startTestProxy, type TestProxy } from '../../support/proxy.js';

let p: TestProxy | null = null;
afterEach(async () => {
  await p?.close();
  p = null;
});

function usageCalls(proxy: TestProxy): number {
  return proxy.fake.requests.filter((r) => r.path.split('?')[0].endsWith('/wham/usage')).length;
}

describe('quota refresh', () => {
  it('GET /accounts/quota?refresh=1 refuses and calls nothing; POST /accounts/quota/refresh fetches usage', async () => {
    p = await startTestProxy({ accounts: 1, env: { CODEX_CLAUDE_PROXY_USAGE_POLL_MS: '0' } });
    const proxy = p;
    const get = await fetch(`${proxy.url}/accounts/quota?refresh=1`);
    expect(get.status).toBe(400);
    const refused = (await get.json()) as { type: string; error: { type: string; message: string } };
    expect(refused).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } });
    expect(refused.error.message).toMatch(/POST \/accounts\/quota\/refresh/);
    expect(usageCalls(proxy)).toBe(0);

    const plain = await fetch(`${proxy.url}/accounts/quota`);
    expect(plain.status).toBe(200);
    expect(await plain.json()).toMatchObject({ accounts: 1, usable: 1 });
    expect(usageCalls(proxy)).toBe(0);

    const post = await fetch(`${proxy.url}/accounts/quota/refresh`, { method: 'POST' });
    expect(post.status).toBe(200);
    expect(await post.json()).toMatchObject({ accounts: 1, usable: 1, five_hour_remaining_percent: 88 });
    expect(usageCalls(proxy)).toBe(1);
  });
});
