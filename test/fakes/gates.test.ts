// The fake's own checks of the real backend's gates (docs/FACTS.md). The product-side
// tests of the same gates, through the real server, are in test/e2e/real-backend-gates.test.ts.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeCodex, type FakeCodex } from './codex-backend.js';
import { ev } from './codex-events.js';
import { codexTokens } from './jwt.js';
import { startFakeIssuer, FAKE_CLIENT_ID, type FakeIssuer } from './oauth-issuer.js';

const CLI = {
  originator: 'codex_cli_rs',
  version: '0.171.0',
  'user-agent': 'codex_cli_rs/0.171.0 (Linux 6.1; x86_64) codex-claude-proxy/0.2.0',
};

let fake: FakeCodex;
const tokensFor = (accountId: string, plan = 'plus') => codexTokens({ accountId, plan });

beforeEach(async () => {
  fake = await startFakeCodex();
});
afterEach(() => fake.close());

function auth(accountId = 'acct-a', plan = 'plus'): Record<string, string> {
  return { authorization: `Bearer ${tokensFor(accountId, plan).access_token}`, 'chatgpt-account-id': accountId };
}

function body(over: Record<string, unknown> = {}): string {
  return JSON.stringify({
    model: 'gpt-6.2-sol',
    instructions: 'x',
    input: [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hi' }] }],
    tool_choice: 'auto',
    parallel_tool_calls: true,
    store: false,
    stream: true,
    include: ['reasoning.encrypted_content'],
    ...over,
  });
}

function post(headers: Record<string, string>, payload = body()): Promise<Response> {
  return fetch(`${fake.url}/codex/responses`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: payload,
  });
}

describe('the identity gate', () => {
  it('refuses a third-party originator with a Cloudflare challenge on every endpoint', async () => {
    const ours = { ...auth(), originator: 'codex_claude_proxy', 'user-agent': 'codex_claude_proxy/0.1.0' };
    for (const res of [
      await post(ours),
      await fetch(`${fake.url}/codex/models?client_version=0.171.0`, { headers: ours }),
      await fetch(`${fake.url}/wham/usage`, { headers: ours }),
    ]) {
      expect(res.status).toBe(403);
      expect(res.headers.get('cf-mitigated')).toBe('challenge');
      expect(res.headers.get('content-type')).toContain('text/html');
      await res.text();
    }
  });

  it('refuses a User-Agent that does not pair with the originator', async () => {
    const res = await post({ ...auth(), ...CLI, 'user-agent': 'codex_vscode/0.171.0 (Linux)' });
    expect(res.status).toBe(403);
    await res.text();
  });

  it('refuses a version below 0.144.0 and accepts the first-party identities', async () => {
    expect((await post({ ...auth(), ...CLI, version: '0.143.9' })).status).toBe(403);
    for (const originator of ['codex_cli_rs', 'codex_exec', 'Codex Desktop']) {
      const res = await post({ ...auth(), originator, version: '0.171.0', 'user-agent': `${originator}/0.171.0 (x)` });
      expect(res.status).toBe(200);
      await res.text();
    }
  });
});

describe('the catalog', () => {
  it('hides models newer than client_version and models outside the plan', async () => {
    const list = async (q: string, plan = 'plus') =>
      (
        (await (
          await fetch(`${fake.url}/codex/models${q}`, { headers: { ...auth('acct-a', plan), ...CLI } })
        ).json()) as {
          models: Array<{ slug: string }>;
        }
      ).models.map((m) => m.slug);
    expect(await list('?client_version=0.171.0')).toContain('gpt-6.2-sol');
    expect(await list('?client_version=0.160.0')).not.toContain('gpt-6.2-sol');
    expect(await list('?client_version=0.160.0')).toContain('gpt-6.1-sol');
    expect(await list('')).toEqual([]);
    expect(await list('?client_version=0.171.0', 'free')).not.toContain('gpt-6.2-astra');
  });

  it('answers a retired slug 400 "not supported"', async () => {
    for (const model of ['gpt-5.3-codex', 'gpt-5.2-codex', 'gpt-5.2']) {
      const res = await post({ ...auth(), ...CLI }, body({ model }));
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({
        detail: `The '${model}' model is not supported when using Codex with a ChatGPT account.`,
      });
    }
  });

  it('allows the new effort levels per model: luna stops at max, gpt-5.5 at xhigh', async () => {
    const status = async (model: string, effort: string) => {
      const res = await post({ ...auth(), ...CLI }, body({ model, reasoning: { effort, summary: 'auto' } }));
      await res.text();
      return res.status;
    };
    expect(await status('gpt-6.2-sol', 'ultra')).toBe(200);
    expect(await status('gpt-6-luna', 'max')).toBe(200);
    expect(await status('gpt-6-luna', 'ultra')).toBe(400);
    expect(await status('gpt-5.5', 'xhigh')).toBe(200);
    expect(await status('gpt-5.5', 'max')).toBe(400);
    expect(await status('gpt-6.2-sol', 'minimal')).toBe(400);
  });

  it('accepts service_tier priority and empty instructions', async () => {
    const res = await post({ ...auth(), ...CLI }, body({ service_tier: 'priority', instructions: '' }));
    expect(res.status).toBe(200);
    await res.text();
  });
});

describe('encrypted reasoning', () => {
  it('decrypts only for the account it was issued to', async () => {
    fake.setScript(() => ({ kind: 'sse', events: [ev.created(), ...ev.reasoning(['t'], 'enc-of-a'), ev.completed()] }));
    await (await post({ ...auth('acct-a'), ...CLI })).text();
    const replay = body({
      input: [
        { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hi' }] },
        { type: 'reasoning', summary: [], encrypted_content: 'enc-of-a' },
        { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'more' }] },
      ],
    });
    const same = await post({ ...auth('acct-a'), ...CLI }, replay);
    expect(same.status).toBe(200);
    await same.text();
    const other = await post({ ...auth('acct-b'), ...CLI }, replay);
    expect(other.status).toBe(400);
    expect(((await other.json()) as { error: { code: string } }).error.code).toBe('invalid_encrypted_content');
  });
});

describe('the sign-in page', () => {
  let issuer: FakeIssuer;
  beforeEach(async () => {
    issuer = await startFakeIssuer();
  });
  afterEach(() => issuer.close());

  const authorize = (originator: string) =>
    fetch(
      `${issuer.url}/oauth/authorize?${new URLSearchParams({
        response_type: 'code',
        client_id: FAKE_CLIENT_ID,
        redirect_uri: 'http://localhost:1455/auth/callback',
        scope: 'openid profile email offline_access',
        code_challenge: 'a'.repeat(43),
        code_challenge_method: 'S256',
        state: 's',
        id_token_add_organizations: 'true',
        codex_cli_simplified_flow: 'true',
        originator,
      }).toString()}`,
      { redirect: 'manual' },
    );

  it('fails at consent for an originator outside the allow-list', async () => {
    const res = await authorize('codex_claude_proxy');
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: { code: 'missing_required_parameter', message: 'Missing required parameter.' },
    });
    expect((await authorize('codex_cli_rs')).status).toBe(302);
  });

  it('accepts a refresh that carries scope', async () => {
    const { refresh_token } = issuer.mint();
    const res = await fetch(`${issuer.url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        client_id: FAKE_CLIENT_ID,
        grant_type: 'refresh_token',
        refresh_token,
        scope: 'openid profile email',
      }),
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { access_token?: string }).access_token).toBeTruthy();
  });
});
