// Fault matrix, part 1: every HTTP error the Codex backend answers before a stream starts reaches
// the client as the Anthropic error Claude Code acts on correctly (status and error type), with a
// readable message, a bounded number of upstream attempts, and nothing lost on disk.
import { afterEach, describe, expect, it } from 'vitest';
import { usageLimitReply, type Reply } from '../fakes/codex-backend.js';
import { startTestProxy, type TestProxy } from '../support/proxy.js';
import { ask, claudeBody, expectAnthropicError, expectNothingLost, savedState, type SavedState } from './support.js';

interface Case {
  name: string;
  reply: () => Reply;
  status: number;
  type: string;
}

const http = (status: number, body: unknown, headers?: Record<string, string>): Reply => ({
  kind: 'http',
  status,
  body,
  headers,
});

const CASES: Case[] = [
  {
    name: '400 schema error',
    reply: () =>
      http(400, {
        error: { message: "Invalid value: 'x'.", type: 'invalid_request_error', param: 'input', code: 'invalid_value' },
      }),
    status: 400,
    type: 'invalid_request_error',
  },
  {
    name: '401 unauthorized',
    reply: () => http(401, { detail: 'Unauthorized' }),
    status: 401,
    type: 'authentication_error',
  },
  {
    name: '403 workspace',
    reply: () => http(403, { detail: { code: 'invalid_workspace_selected' } }),
    status: 403,
    type: 'permission_error',
  },
  { name: '404 not found', reply: () => http(404, { detail: 'Not Found' }), status: 404, type: 'not_found_error' },
  { name: '413 too large', reply: () => http(413, 'Request Entity Too Large'), status: 413, type: 'request_too_large' },
  { name: '429 usage_limit_reached', reply: () => usageLimitReply(2 * 3600), status: 429, type: 'rate_limit_error' },
  { name: '500 internal', reply: () => http(500, { detail: 'Internal Server Error' }), status: 500, type: 'api_error' },
  {
    name: '502 HTML page',
    reply: () =>
      http(502, '<html><head><title>502 Bad Gateway</title></head><body><center>cloudflare</center></body></html>', {
        'content-type': 'text/html',
      }),
    status: 502,
    type: 'api_error',
  },
  {
    name: '503 unavailable',
    reply: () => http(503, 'upstream connect error or disconnect/reset before headers'),
    status: 529,
    type: 'overloaded_error',
  },
  {
    name: '529 overloaded',
    reply: () => http(529, { error: { message: 'Overloaded', type: 'server_error', code: 'server_is_overloaded' } }),
    status: 529,
    type: 'overloaded_error',
  },
];

let p: TestProxy;
let before: SavedState;

async function proxyAnswering(c: Case): Promise<void> {
  p = await startTestProxy({ accounts: 1, fake: { script: () => c.reply() } });
  p.core.settings.setLanes({ sonnet: { effort: 'high' } });
  before = await savedState(p.core.home, p.env);
}

afterEach(async () => {
  await p?.close();
});

function attempts(): number {
  return p.fake.requests.filter((r) => r.path.endsWith('/codex/responses')).length;
}

describe('upstream HTTP errors before the stream', () => {
  it.each(CASES)('$name → $status $type', async (c) => {
    await proxyAnswering(c);
    const res = await ask(p.url, claudeBody({ stream: true }));
    const body = await expectAnthropicError(res, c.status, c.type);
    // Upstream HTML or JSON envelopes never reach the client verbatim.
    expect(body.error.message).not.toMatch(/<\/?[a-z]+>|"detail"|\{"error"/i);
    if (c.type === 'rate_limit_error') expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(60);
    // One account: a refresh-and-retry at most, never a retry storm.
    expect(attempts()).toBeLessThanOrEqual(2);

    // The same request again, non-streaming: the same answer, or (while the account cools down)
    // a 429 whose retry-after tells Claude Code when to come back.
    const again = await ask(p.url, claudeBody({ stream: false }));
    if (again.status === c.status) await expectAnthropicError(again, c.status, c.type);
    else {
      await expectAnthropicError(again, 429, 'rate_limit_error');
      expect(Number(again.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    }
    expect(attempts()).toBeLessThanOrEqual(4);
    await expectNothingLost(p.core.home, p.env, before);
  });
});
