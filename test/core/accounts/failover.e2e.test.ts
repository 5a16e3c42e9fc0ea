// Failover through the real server against the strict fake Codex backend and the fake issuer:
// whatever happens to the first account before any byte reaches the client, the client sees one
// clean 200 stream (or, when every account is spent, one Anthropic 429 that stops Claude Code).
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ev } from '../../fakes/codex-events.js';
import { usageLimitReply, type RecordedRequest, type Reply } from '../../fakes/codex-backend.js';
import { startFakeIssuer, type FakeIssuer } from '../../fakes/oauth-issuer.js';
import { startTestProxy, type TestProxy } from '../../support/proxy.js';
import { assertValidAnthropicStream, parseSse } from '../../support/stream-validator.js';
import { writeAuthJson } from './helpers.js';

const SESSION = 'b3c1f0de-5a4e-4d2b-8f9a-1e2d3c4b5a69';

let issuer: FakeIssuer;
let p: TestProxy;
/** Local ids of accounts A and B; A is preferred, so every request tries it first. */
let A: string;
let B: string;
/** Answers per ChatGPT account id; unset accounts stream a normal answer. */
let replies: Record<string, Array<Reply>>;
/** Body of GET /wham/usage per ChatGPT account id. */
let usage: Record<string, unknown>;

function answer(text: string): Reply {
  return { kind: 'sse', events: [ev.created(), ...ev.textMessage(text), ev.completed({ input_tokens: 10, output_tokens: 3 })] };
}

function accountOf(req: RecordedRequest): string {
  return String(req.headers['chatgpt-account-id']);
}

function served(): string[] {
  return p.fake.requests.filter((r) => r.path.endsWith('/codex/responses')).map(accountOf);
}

async function ask(): Promise<Response> {
  return fetch(`${p.url}/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': 'x', 'anthropic-version': '2023-06-01', 'x-claude-code-session-id': SESSION },
    body: JSON.stringify({
      model: 'claude-sonnet-5-5',
      max_tokens: 1000,
      stream: true,
      system: 'Be brief.',
      messages: [{ role: 'user', content: 'Say hi.' }],
    }),
  });
}

/** Asserts a clean 200 Anthropic stream and returns the text it carried. */
async function cleanStreamText(res: Response): Promise<string> {
  expect(res.status).toBe(200);
  const raw = await res.text();
  assertValidAnthropicStream(raw);
  return parseSse(raw)
    .events.map((e) => (e.type === 'content_block_delta' && e.delta.type === 'text_delta' ? e.delta.text : ''))
    .join('');
}

beforeEach(async () => {
  issuer = await startFakeIssuer();
  replies = {};
  usage = {};
  p = await startTestProxy({
    accounts: 0,
    env: { OPENAI_AUTH_URL: issuer.url },
    fake: {
      script: (req) => replies[accountOf(req)]?.shift() ?? answer(`served by ${accountOf(req)}`),
      usage: (accountId) => usage[accountId] ?? { rate_limit: { allowed: true, limit_reached: false } },
    },
  });
  const ids: string[] = [];
  for (const name of ['acc-a', 'acc-b']) {
    const tokens = issuer.mint({ accountId: name, email: `${name}@example.test` }, 3600);
    const file = await writeAuthJson(path.join(p.home, `import-${name}`), { accountId: name, tokens });
    ids.push((await p.core.pool.importCodexAuth(file)).id);
  }
  [A, B] = ids;
  await p.core.pool.setPreferred(A);
});

afterEach(async () => {
  await p.close();
  await issuer.close();
});

describe('failover before the first byte', () => {
  it('429 usage_limit_reached: the next account answers, the first cools down until its reset', async () => {
    replies['acc-a'] = [usageLimitReply(3 * 3600)];
    expect(await cleanStreamText(await ask())).toContain('served by acc-b');
    expect(served()).toEqual(['acc-a', 'acc-b']);
    const listed = (await p.core.pool.list()).accounts;
    expect(listed.find((x) => x.id === A)).toMatchObject({ status: 'cooldown', status_reason: expect.stringMatching(/usage limit/) });
    expect(listed.find((x) => x.id === B)?.status).toBe('active');
    // The next request does not even try the limited account.
    await cleanStreamText(await ask());
    expect(served()).toEqual(['acc-a', 'acc-b', 'acc-b']);
  });

  it('401: refreshes the token once and retries the same account', async () => {
    replies['acc-a'] = [{ kind: 'http', status: 401, body: { detail: 'Unauthorized' } }];
    expect(await cleanStreamText(await ask())).toContain('served by acc-a');
    expect(served()).toEqual(['acc-a', 'acc-a']);
    expect(issuer.refreshCount()).toBe(1);
    const [first, second] = p.fake.requests.filter((r) => r.path.endsWith('/codex/responses'));
    expect(first.headers.authorization).not.toBe(second.headers.authorization);
  });

  it('5xx and an overload inside the first events move the request to the next account', async () => {
    replies['acc-a'] = [{ kind: 'http', status: 500, body: { detail: 'Internal Server Error' } }];
    expect(await cleanStreamText(await ask())).toContain('served by acc-b');
    replies['acc-a'] = [{ kind: 'sse', events: [ev.created(), ev.failed('server_is_overloaded', 'Our servers are busy.')] }];
    expect(await cleanStreamText(await ask())).toContain('served by acc-b');
    expect(served()).toEqual(['acc-a', 'acc-b', 'acc-a', 'acc-b']);
    expect((await p.core.pool.list()).accounts.find((x) => x.id === A)?.status_reason).toMatch(/overloaded/);
  });
});

describe('when accounts run out', () => {
  it('every account limited: one 429 rate_limit_error naming both, with retry-after over a minute', async () => {
    replies['acc-a'] = [usageLimitReply(2 * 3600)];
    replies['acc-b'] = [usageLimitReply(5 * 3600)];
    const res = await ask();
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(60);
    const body = (await res.json()) as { type: string; error: { type: string; message: string } };
    expect(body).toMatchObject({ type: 'error', error: { type: 'rate_limit_error' } });
    expect(body.error.message).toMatch(/acc-a@example\.test: usage limit reached/);
    expect(body.error.message).toMatch(/acc-b@example\.test: usage limit reached/);
    expect(body.error.message).toMatch(/Earliest reset/);
  });

  it('a quota reset seen on the usage endpoint lifts the cooldown and the account serves again', async () => {
    replies['acc-a'] = [usageLimitReply(3 * 3600)];
    await cleanStreamText(await ask());
    usage['acc-a'] = {
      rate_limit: { allowed: true, limit_reached: false, primary_window: { used_percent: 1, limit_window_seconds: 18000, reset_after_seconds: 18000 } },
    };
    const quota = await fetch(`${p.url}/accounts/quota/refresh`, { method: 'POST', headers: { 'x-api-key': 'x' } });
    expect(quota.status).toBe(200);
    expect(await quota.json()).toMatchObject({ accounts: 2, usable: 2 });
    expect(await cleanStreamText(await ask())).toContain('served by acc-a');
  });
});
