// The active quota source: GET {CHATGPT_BACKEND_URL}/wham/usage with the account's usual
// authentication headers.
import { identityHeaders, type UpstreamIdentity } from './identity.js';
import type { UpstreamCredentials } from './codex-client.js';

export class UsageHttpError extends Error {
  constructor(
    readonly status: number,
    readonly headers?: Headers,
  ) {
    super(`GET /wham/usage answered HTTP ${status}`);
  }
}

export async function fetchUsage(
  backendUrl: string,
  credentials: UpstreamCredentials,
  fetchImpl: typeof fetch,
  identity: UpstreamIdentity,
): Promise<unknown> {
  const res = await fetchImpl(`${backendUrl.replace(/\/+$/, '')}/wham/usage`, {
    headers: {
      authorization: `Bearer ${credentials.accessToken}`,
      'chatgpt-account-id': credentials.chatgptAccountId,
      ...identityHeaders(identity),
      accept: 'application/json',
    },
    signal: AbortSignal.timeout(15_000),
  });
  if (!res.ok) {
    await res.body?.cancel();
    throw new UsageHttpError(res.status, res.headers);
  }
  return res.json();
}
