// The real backend's gates (docs/FACTS.md), each checked through
// the real server against the fake that enforces them. Every test here failed on the build before
// the identity, model and reasoning changes: the fake answered it 403 or 400.
import { afterEach, describe, expect, it } from 'vitest';
import type { Message } from '../../shared/anthropic.js';
import { ev } from '../fakes/codex-events.js';
import type { RecordedRequest, Reply } from '../fakes/codex-backend.js';
import { startTestProxy, type TestProxy } from '../support/proxy.js';

const SESSION = '6f1c2a4e-9d1b-4c3e-8a7f-0b1c2d3e4f50';
let p: TestProxy | undefined;
afterEach(async () => {
  await p?.close();
  p = undefined;
});

const one = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v);
const accountOf = (r: RecordedRequest): string => String(one(r.headers['chatgpt-account-id']));
const responses = (t: TestProxy) => t.fake.requests.filter((r) => r.path.endsWith('/codex/responses'));
const accepted = (t: TestProxy) => responses(t).filter((r) => !r.rejected);

async function ask(t: TestProxy, body: Record<string, unknown>): Promise<Response> {
  return fetch(`${t.url}/v1/messages`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-api-key': 'x',
      'anthropic-version': '2023-06-01',
      'x-claude-code-session-id': SESSION,
    },
    body: JSON.stringify({ model: 'claude-sonnet-5-5', max_tokens: 2000, stream: false, ...body }),
  });
}

async function health(t: TestProxy): Promise<{
  identity: { originator: string; client_version: string; user_agent: string };
  accounts: { total: number; usable: number };
  models: Record<string, { configured: string; resolved: string }>;
  compatibility: Array<{ kind: string; subject: string }>;
}> {
  return (await fetch(`${t.url}/health`)).json() as never;
}

async function catalogLoaded(t: TestProxy): Promise<void> {
  await expect.poll(() => t.fake.requests.some((r) => r.path.includes('/codex/models') && !r.rejected)).toBe(true);
  await expect.poll(() => t.core.catalog.loaded).toBe(true);
}

const thinkingAnswer = (encrypted: string, text: string): Reply => ({
  kind: 'sse',
  events: [
    ev.created(),
    ...ev.reasoning(['Thinking it over'], encrypted),
    ...ev.textMessage(text, { outputIndex: 1 }),
    ev.completed({ input_tokens: 30, output_tokens: 20, reasoning_tokens: 12 }),
  ],
});

/** Asks once to learn which account the pool serves first (A) and names the other B. */
async function firstAndOther(t: TestProxy): Promise<{ A: string; B: string }> {
  await (await ask(t, { messages: [{ role: 'user', content: 'warm-up' }] })).text();
  const A = accountOf(accepted(t).at(-1) as RecordedRequest);
  return { A, B: t.accountIds.find((id) => id !== A) as string };
}

describe('the identity gate', () => {
  it('presents the first-party identity on responses, the model list and wham/usage', async () => {
    p = await startTestProxy();
    await catalogLoaded(p);
    const res = await ask(p, { messages: [{ role: 'user', content: 'hi' }] });
    expect(res.status).toBe(200);
    await (await fetch(`${p.url}/accounts/quota/refresh`, { method: 'POST' })).text();
    for (const kind of ['/codex/responses', '/codex/models', '/wham/usage']) {
      const req = p.fake.requests.find((r) => r.path.includes(kind));
      expect(req, kind).toBeDefined();
      expect(req?.rejected).toBeUndefined();
      expect(one(req?.headers.originator)).toBe('codex_cli_rs');
      expect(one(req?.headers['user-agent'])).toMatch(/^codex_cli_rs\/0\.171\.0 \(.+\) codex-claude-proxy\//);
      expect(one(req?.headers.version)).toBe('0.171.0');
    }
    const sent = accepted(p)[0];
    expect(one(sent.headers['thread-id'])).toBe(SESSION);
    expect(one(sent.headers['x-client-request-id'])).toBe(SESSION);
    expect(one(sent.headers['x-codex-routing-hint'])).toBe('model=gpt-6.2-sol');
    expect((await health(p)).identity).toMatchObject({ originator: 'codex_cli_rs', client_version: '0.171.0' });
  });

  it('a refused identity is named, with the fix, and puts no account in cooldown', async () => {
    p = await startTestProxy({ accounts: 2, env: { CODEX_ORIGINATOR: 'codex_claude_proxy' } });
    for (let i = 0; i < 3; i++) {
      const res = await ask(p, { messages: [{ role: 'user', content: 'hi' }] });
      expect(res.status).toBe(403);
      const body = (await res.json()) as { type: string; error: { type: string; message: string } };
      expect(body.error.type).toBe('permission_error');
      expect(body.error.message).toContain("refused this client's identity (HTTP 403)");
      expect(body.error.message).toContain('CODEX_ORIGINATOR/CODEX_CLIENT_VERSION');
    }
    // No failover storm and no cooldown: one attempt per request, both accounts still usable.
    expect(responses(p)).toHaveLength(3);
    const h = await health(p);
    expect(h.accounts).toEqual({ total: 2, usable: 2 });
    expect(h.identity.originator).toBe('codex_claude_proxy');
    expect(h.compatibility).toContainEqual(expect.objectContaining({ kind: 'identity_refused' }));
  });

  it('the sign-in URL carries the same originator', async () => {
    p = await startTestProxy({ env: { CODEX_CLAUDE_PROXY_CALLBACK_PORT: '0', CODEX_ORIGINATOR: 'codex_exec' } });
    const res = await fetch(`${p.url}/accounts/add`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ callback_server: false }),
    });
    const { auth_url } = (await res.json()) as { auth_url: string };
    expect(new URL(auth_url).searchParams.get('originator')).toBe('codex_exec');
  });
});

describe('current models', () => {
  it('sees the models its client version unlocks: an older version gets the older generation', async () => {
    p = await startTestProxy({ env: { CODEX_CLIENT_VERSION: '0.160.0' } });
    await catalogLoaded(p);
    expect((await health(p)).models).toMatchObject({
      opus: { configured: 'gpt-6.2-astra', resolved: 'gpt-6-astra' },
      sonnet: { configured: 'gpt-6.2-sol', resolved: 'gpt-6.1-sol' },
      haiku: { configured: 'gpt-6-luna', resolved: 'gpt-6-luna' },
    });
    expect(p.fake.requests.find((r) => r.path.includes('/codex/models'))?.path).toContain('client_version=0.160.0');
  });

  it('never sends a retired slug, even when a lane names one', async () => {
    p = await startTestProxy();
    p.core.settings.setLanes({ opus: { model: 'gpt-5.3-codex' }, sonnet: { model: 'gpt-5.2-codex' } });
    for (const model of ['claude-opus-5-5', 'claude-sonnet-5-5']) {
      expect((await ask(p, { model, messages: [{ role: 'user', content: 'hi' }] })).status).toBe(200);
    }
    expect(accepted(p).map((r) => (r.body as { model: string }).model)).toEqual(['gpt-6.2-astra', 'gpt-6.2-sol']);
    expect(responses(p).every((r) => !r.rejected)).toBe(true);
    const h = await health(p);
    expect(h.compatibility.filter((f) => f.kind === 'lane_model_missing').length).toBeGreaterThanOrEqual(2);
  });

  it('sends fast mode as the priority tier, which the backend accepts', async () => {
    p = await startTestProxy();
    await catalogLoaded(p);
    const res = await ask(p, { speed: 'fast', messages: [{ role: 'user', content: 'hi' }] });
    expect(res.status).toBe(200);
    const sent = accepted(p)[0];
    expect((sent.body as { service_tier?: string }).service_tier).toBe('priority');
    expect(one(sent.headers['x-codex-routing-hint'])).toBe('model=gpt-6.2-sol;tier=priority');
  });
});

describe('reasoning never crosses accounts', () => {
  it('a failover in the middle of a thinking conversation leaves the other account its reasoning out', async () => {
    p = await startTestProxy({ accounts: 2 });
    const proxy = p;
    // A is whichever account the pool picks first; B is the other one.
    const { A, B } = await firstAndOther(proxy);
    proxy.fake.setScript((req) =>
      accountOf(req) === A ? thinkingAnswer('enc-from-A', 'First answer.') : thinkingAnswer('enc-from-B', 'Second.'),
    );
    // Turn 1 on A: the answer carries A's reasoning in its thinking signature.
    const first = (await (
      await ask(proxy, { thinking: { type: 'adaptive' }, messages: [{ role: 'user', content: 'Question one' }] })
    ).json()) as Message;
    expect(first.content.map((b) => b.type)).toEqual(['thinking', 'text']);
    expect(first.usage.output_tokens_details).toEqual({ thinking_tokens: 12 });
    expect(accountOf(accepted(proxy).at(-1) as RecordedRequest)).toBe(A);

    // A is spent; turn 2 replays turn 1's thinking and fails over to B.
    proxy.fake.limitAccount(A, 3600);
    const history = [
      { role: 'user', content: 'Question one' },
      { role: 'assistant', content: first.content },
      { role: 'user', content: 'Question two' },
    ];
    const second = await ask(proxy, { thinking: { type: 'adaptive' }, messages: history });
    expect(second.status).toBe(200);
    const toB = accepted(proxy).at(-1) as RecordedRequest;
    expect(accountOf(toB)).toBe(B);
    expect((toB.body as { input: Array<{ type: string }> }).input.some((i) => i.type === 'reasoning')).toBe(false);
    expect(responses(proxy).filter((r) => r.rejected?.status === 400)).toHaveLength(0);

    // Back on A (the limit lifted), its own reasoning is replayed again, B's is not.
    proxy.fake.liftLimit(A);
    await (await fetch(`${proxy.url}/accounts/quota/refresh`, { method: 'POST' })).text();
    const secondMessage = (await second.json()) as Message;
    const third = await ask(proxy, {
      thinking: { type: 'adaptive' },
      messages: [...history, { role: 'assistant', content: secondMessage.content }, { role: 'user', content: 'Three' }],
    });
    expect(third.status).toBe(200);
    const last = accepted(proxy).at(-1) as RecordedRequest;
    if (accountOf(last) === A) {
      const replayed = (last.body as { input: Array<{ type: string; encrypted_content?: string }> }).input
        .filter((i) => i.type === 'reasoning')
        .map((i) => i.encrypted_content);
      expect(replayed).toEqual(['enc-from-A']);
    }
  });

  it('retries once without replayed reasoning when the backend still cannot decrypt it', async () => {
    p = await startTestProxy();
    const proxy = p;
    proxy.fake.setScript(() => thinkingAnswer('enc-1', 'One.'));
    const first = (await (
      await ask(proxy, { thinking: { type: 'adaptive' }, messages: [{ role: 'user', content: 'Q1' }] })
    ).json()) as Message;
    let refusedOnce = false;
    proxy.fake.setScript((req) => {
      const hasReasoning = (req.body as { input: Array<{ type: string }> }).input.some((i) => i.type === 'reasoning');
      if (hasReasoning && !refusedOnce) {
        refusedOnce = true;
        return {
          kind: 'http',
          status: 400,
          body: {
            error: {
              message: 'The encrypted content for item rs_1 could not be verified.',
              type: 'invalid_request_error',
              param: null,
              code: 'invalid_encrypted_content',
            },
          },
        };
      }
      return thinkingAnswer('enc-2', 'Two.');
    });
    const res = await ask(proxy, {
      thinking: { type: 'adaptive' },
      messages: [
        { role: 'user', content: 'Q1' },
        { role: 'assistant', content: first.content },
        { role: 'user', content: 'Q2' },
      ],
    });
    expect(res.status).toBe(200);
    const [withIt, without] = accepted(proxy).slice(-2);
    expect((withIt.body as { input: Array<{ type: string }> }).input.some((i) => i.type === 'reasoning')).toBe(true);
    expect((without.body as { input: Array<{ type: string }> }).input.some((i) => i.type === 'reasoning')).toBe(false);
    expect(proxy.core.logs.recent(200).some((e) => /could not decrypt replayed reasoning/.test(e.msg))).toBe(true);
  });

  it('keeps the turn state of the account that issued it, set once per turn', async () => {
    p = await startTestProxy({ accounts: 2 });
    const proxy = p;
    const { A, B } = await firstAndOther(proxy);
    const before = accepted(proxy).length;
    proxy.fake.setScript((req, n) => ({
      kind: 'sse',
      headers: { 'x-codex-turn-state': `ts-${accountOf(req)}-${n}` },
      events: [ev.created(), ...ev.functionCall('call_1', 'Bash', '{"command":"ls"}'), ev.completed()],
    }));
    const tools = [{ name: 'Bash', description: 'Run', input_schema: { type: 'object', properties: {} } }];
    const start = (await (
      await ask(proxy, { tools, messages: [{ role: 'user', content: 'list' }] })
    ).json()) as Message;
    const use = start.content.find((b) => b.type === 'tool_use') as { id: string };
    const followUp = (n: number) => ({
      tools,
      messages: [
        { role: 'user', content: 'list' },
        { role: 'assistant', content: start.content },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: use.id, content: `out ${n}` }] },
      ],
    });
    await (await ask(proxy, followUp(1))).text();
    await (await ask(proxy, followUp(2))).text();
    const onA = accepted(proxy)
      .slice(before)
      .filter((r) => accountOf(r) === A);
    const issued = String(one(onA[0].headers['x-codex-turn-state']) ?? '');
    expect(issued).toBe('');
    // Both follow-ups echo the first response's state, not the newer one of the second.
    expect(onA.slice(1).map((r) => one(r.headers['x-codex-turn-state']))).toEqual([
      `ts-${A}-${before}`,
      `ts-${A}-${before}`,
    ]);
    // After a failover to B within the turn, A's state is not sent to B.
    proxy.fake.limitAccount(A, 3600);
    await (await ask(proxy, followUp(3))).text();
    const toB = accepted(proxy).at(-1) as RecordedRequest;
    expect(accountOf(toB)).toBe(B);
    expect(one(toB.headers['x-codex-turn-state'])).toBeUndefined();
  });
});

describe('failure events', () => {
  it('reads a usage limit named by type only, with its reset time, and fails over', async () => {
    p = await startTestProxy({ accounts: 2 });
    const { A, B } = await firstAndOther(p);
    const before = accepted(p).length;
    const resetsAt = Math.floor(Date.now() / 1000) + 7200;
    p.fake.setScript((req) =>
      accountOf(req) === A
        ? {
            kind: 'sse',
            events: [
              ev.created(),
              {
                type: 'response.failed',
                response: {
                  id: 'resp_1',
                  status: 'failed',
                  error: {
                    type: 'usage_limit_reached',
                    message: 'The usage limit has been reached',
                    resets_at: resetsAt,
                  },
                },
              },
            ],
          }
        : { kind: 'sse', events: [ev.created(), ...ev.textMessage('From B.'), ev.completed()] },
    );
    const res = await ask(p, { messages: [{ role: 'user', content: 'hi' }] });
    expect(res.status).toBe(200);
    expect(accepted(p).slice(before).map(accountOf)).toEqual([A, B]);
    const accounts = (await (await fetch(`${p.url}/accounts`)).json()) as {
      accounts: Array<{ account_id: string; status: string; status_until: number | null }>;
    };
    expect(accounts.accounts.find((a) => a.account_id === A)).toMatchObject({
      status: 'cooldown',
      status_until: resetsAt,
    });
  });

  it('maps cache_write_tokens to cache_creation_input_tokens', async () => {
    p = await startTestProxy();
    p.fake.setScript(() => ({
      kind: 'sse',
      events: [
        ev.created(),
        ...ev.textMessage('ok'),
        ev.completed({ input_tokens: 1000, cached_tokens: 200, cache_write_tokens: 700, output_tokens: 5 }),
      ],
    }));
    const msg = (await (await ask(p, { messages: [{ role: 'user', content: 'hi' }] })).json()) as Message;
    expect(msg.usage).toMatchObject({
      input_tokens: 100,
      cache_read_input_tokens: 200,
      cache_creation_input_tokens: 700,
    });
  });
});

describe('web search', () => {
  it('asks web search for live results, so a search for anything recent finds pages', async () => {
    p = await startTestProxy();
    p.fake.setScript(() => ({
      kind: 'sse',
      events: [
        ev.created(),
        ...ev.webSearch('codex 0.171.0 release', [{ url: 'https://example.com/news', title: 'News' }]),
        ...ev.textMessage('Found it.', { outputIndex: 1 }),
        ev.completed(),
      ],
    }));
    const res = await ask(p, {
      messages: [{ role: 'user', content: 'What is new today?' }],
      tools: [{ type: 'web_search_20250305', name: 'web_search', max_uses: 3 }],
    });
    const msg = (await res.json()) as Message;
    expect(accepted(p).at(-1)?.body).toMatchObject({
      tools: [{ type: 'web_search', external_web_access: true }],
    });
    const results = msg.content.find((b) => b.type === 'web_search_tool_result');
    expect(results).toMatchObject({ content: [{ type: 'web_search_result', url: 'https://example.com/news' }] });
  });
});

describe('the compatibility sentinel', () => {
  it('reports unknown upstream events, unknown error codes and untranslated request fields, once each', async () => {
    p = await startTestProxy();
    const proxy = p;
    proxy.fake.setScript((_req, n) =>
      n === 0
        ? {
            kind: 'sse',
            events: [
              ev.created(),
              { type: 'response.hologram.delta', delta: 'x' },
              ...ev.textMessage('ok'),
              ev.completed(),
            ],
          }
        : { kind: 'sse', events: [ev.created(), ev.failed('quantum_flux', 'Something new.')] },
    );
    expect((await ask(proxy, { messages: [{ role: 'user', content: 'hi' }], telepathy: { on: true } })).status).toBe(
      200,
    );
    await (await ask(proxy, { messages: [{ role: 'user', content: 'hi' }], telepathy: { on: true } })).text();
    const found = (await health(proxy)).compatibility;
    expect(found).toContainEqual(
      expect.objectContaining({ kind: 'upstream_event', subject: 'response.hologram.delta' }),
    );
    expect(found).toContainEqual(expect.objectContaining({ kind: 'upstream_error_code', subject: 'quantum_flux' }));
    expect(found).toContainEqual(expect.objectContaining({ kind: 'request_field', subject: 'telepathy', count: 2 }));
    const warnings = proxy.core.logs.recent(500).filter((e) => /compatibility: .*telepathy/.test(e.msg));
    expect(warnings).toHaveLength(1);
  });
});
