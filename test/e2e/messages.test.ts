// The real server over real sockets against the strict fake Codex backend: what a client of
// /v1/messages sees, and what reaches upstream.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestProxy, type TestProxy } from '../support/proxy.js';
import { assertValidAnthropicStream, parseSse } from '../support/stream-validator.js';
import { ev, interleave } from '../fakes/codex-events.js';
import type { RecordedRequest, Reply } from '../fakes/codex-backend.js';
import type { Message } from '../../shared/anthropic.js';
import { MessageAccumulator } from '../../main/core/translate/aggregate.js';

interface UpstreamBody {
  model: string;
  instructions: string;
  input: Array<Record<string, unknown>>;
  tools?: Array<Record<string, unknown>>;
  prompt_cache_key?: string;
  reasoning?: { effort: string };
}

const SESSION = '6f1c2a8e-0d5b-4c1e-9a7f-3b2d1e0f9a88';

function post(p: TestProxy, path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${p.url}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-api-key': 'anything',
      'anthropic-version': '2023-06-01',
      'x-claude-code-session-id': SESSION,
      ...headers,
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

function claudeCodeBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    model: 'claude-opus-5-5',
    max_tokens: 128000,
    stream: true,
    system: [
      { type: 'text', text: 'x-anthropic-billing-header: cc_version=2.1.331.abc; cc_entrypoint=sdk-cli;' },
      { type: 'text', text: 'You are a careful coding agent.', cache_control: { type: 'ephemeral' } },
    ],
    messages: [
      { role: 'user', content: [{ type: 'text', text: 'Say hello.' }] },
      { role: 'system', content: '# Environment\nPlatform: linux' },
    ],
    tools: [
      {
        name: 'Bash',
        description: 'Run a shell command',
        input_schema: {
          $schema: 'https://json-schema.org/draft/2020-12/schema',
          type: 'object',
          properties: { command: { type: 'string' } },
          required: ['command'],
          additionalProperties: false,
        },
      },
    ],
    thinking: { type: 'adaptive', display: 'omitted' },
    output_config: { effort: 'medium' },
    context_management: { edits: [{ type: 'clear_thinking_20251015', keep: 'all' }] },
    metadata: { user_id: JSON.stringify({ device_id: 'd', account_uuid: '', session_id: SESSION }) },
    ...overrides,
  };
}

function sse(events: ReturnType<typeof ev.created>[], extra: Partial<Extract<Reply, { kind: 'sse' }>> = {}): Reply {
  return { kind: 'sse', events, ...extra };
}

function lastAccepted(p: TestProxy): RecordedRequest & { body: UpstreamBody } {
  const accepted = p.fake.requests.filter((r) => r.path.endsWith('/codex/responses') && !r.rejected);
  return accepted.at(-1) as RecordedRequest & { body: UpstreamBody };
}

async function streamOf(res: Response): Promise<ReturnType<typeof parseSse>> {
  const text = await res.text();
  assertValidAnthropicStream(text);
  return parseSse(text);
}

describe('POST /v1/messages end to end', () => {
  let p: TestProxy;
  beforeAll(async () => {
    p = await startTestProxy();
  });
  afterAll(async () => {
    await p?.close();
  });

  it('streams a text answer in the Anthropic grammar and sends an accepted upstream body', async () => {
    p.fake.setScript(() =>
      sse([
        ev.created(),
        ...ev.textMessage('Hello there, friend!'),
        ev.completed({ input_tokens: 100, cached_tokens: 60, output_tokens: 7 }),
      ]),
    );
    const res = await post(p, '/v1/messages?beta=true', claudeCodeBody());
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    expect(res.headers.get('request-id')).toMatch(/^req_/);
    const parsed = await streamOf(res);
    const events = parsed.events;
    const text = events
      .map((e) => (e.type === 'content_block_delta' && e.delta.type === 'text_delta' ? e.delta.text : ''))
      .join('');
    expect(text).toBe('Hello there, friend!');
    const start = events[0];
    expect(start.type === 'message_start' && start.message.model).toBe('claude-opus-5-5');
    const delta = events.find((e) => e.type === 'message_delta');
    expect(delta?.type === 'message_delta' && delta.delta.stop_reason).toBe('end_turn');
    expect(delta?.type === 'message_delta' && delta.usage).toMatchObject({
      input_tokens: 40,
      cache_read_input_tokens: 60,
      output_tokens: 7,
    });

    const up = lastAccepted(p);
    expect(up.body.model).toBe('gpt-6.2-astra');
    expect(up.body.instructions).not.toContain('x-anthropic-billing-header');
    expect(up.body.instructions).toContain('careful coding agent');
    expect(up.body.prompt_cache_key).toBe(SESSION);
    expect(up.headers['session-id']).toBe(SESSION);
    expect(up.body.input.some((i) => i.role === 'developer')).toBe(true);
    expect(JSON.stringify(up.body)).not.toMatch(/cache_control|max_output_tokens|temperature|"\$schema"/);
  });

  it('answers non-streaming requests with the same translation', async () => {
    p.fake.setScript(() => sse([ev.created(), ...ev.textMessage('Plain answer.'), ev.completed()]));
    const res = await post(p, '/v1/messages', claudeCodeBody({ stream: false, max_tokens: 64000 }));
    expect(res.status).toBe(200);
    const msg = (await res.json()) as Message;
    expect(msg.type).toBe('message');
    expect(msg.model).toBe('claude-opus-5-5');
    expect(msg.content.filter((b) => b.type === 'text')).toEqual([{ type: 'text', text: 'Plain answer.' }]);
    expect(msg.stop_reason).toBe('end_turn');
  });

  it('streams parallel tool calls as separate tool_use blocks and accepts their results back', async () => {
    const calls = interleave(
      ev.functionCall('call_one', 'Bash', '{"command":"echo one"}', { outputIndex: 1 }),
      ev.functionCall('call_two', 'Bash', '{"command":"echo two"}', { outputIndex: 2 }),
    );
    p.fake.setScript((req) => {
      const input = (req.body as UpstreamBody).input;
      return input.at(-1)?.type === 'function_call_output'
        ? sse([ev.created(), ...ev.textMessage('Both ran.'), ev.completed()])
        : sse([
            ev.created(),
            ...ev.reasoning(['Two commands.'], 'enc-abc', { outputIndex: 0 }),
            ...calls,
            ev.completed(),
          ]);
    });

    const first = await post(
      p,
      '/v1/messages?beta=true',
      claudeCodeBody({ thinking: { type: 'adaptive', display: 'updates' } }),
    );
    const parsed = await streamOf(first);
    const toolIds = parsed.events.flatMap((e) =>
      e.type === 'content_block_start' && e.content_block.type === 'tool_use' ? [e.content_block.id] : [],
    );
    expect(toolIds).toEqual(['call_one', 'call_two']);
    const message = accumulate(parsed);
    expect(message.stop_reason).toBe('tool_use');
    const thinking = message.content.find((b) => b.type === 'thinking') as { signature: string; thinking: string };
    expect(thinking.thinking).toContain('Two commands.');

    // Claude Code sends the results back in completion order, with our thinking block verbatim.
    const second = await post(
      p,
      '/v1/messages?beta=true',
      claudeCodeBody({
        messages: [
          { role: 'user', content: [{ type: 'text', text: 'Run both.' }] },
          { role: 'assistant', content: message.content },
          {
            role: 'user',
            content: [
              { type: 'tool_result', tool_use_id: 'call_two', content: 'two' },
              {
                type: 'tool_result',
                tool_use_id: 'call_one',
                content: [{ type: 'text', text: 'one' }],
                cache_control: { type: 'ephemeral' },
              },
            ],
          },
        ],
      }),
    );
    expect(second.status).toBe(200);
    await streamOf(second);
    const up = lastAccepted(p);
    const reasoningItem = up.body.input.find((i) => i.type === 'reasoning');
    expect(reasoningItem?.encrypted_content).toBe('enc-abc');
    expect(up.body.input.filter((i) => i.type === 'function_call_output').map((i) => i.call_id)).toEqual([
      'call_two',
      'call_one',
    ]);
  });

  it('sends images in user turns and inside tool results', async () => {
    p.fake.setScript(() => sse([ev.created(), ...ev.textMessage('A red pixel.'), ev.completed()]));
    const png = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
    const res = await post(
      p,
      '/v1/messages',
      claudeCodeBody({
        stream: false,
        messages: [
          {
            role: 'user',
            content: [
              { type: 'image', source: { type: 'base64', media_type: 'image/png', data: png } },
              { type: 'text', text: 'What is this?' },
            ],
          },
        ],
      }),
    );
    expect(res.status).toBe(200);
    const up = lastAccepted(p);
    expect(JSON.stringify(up.body.input)).toContain(`data:image/png;base64,${png}`);
  });

  it('counts tokens with a real tokenizer over what would be sent', async () => {
    const small = await post(p, '/v1/messages/count_tokens?beta=true', {
      model: 'claude-sonnet-4-5-20250929',
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(small.status).toBe(200);
    const a = ((await small.json()) as { input_tokens: number }).input_tokens;
    const big = await post(p, '/v1/messages/count_tokens', claudeCodeBody());
    const b = ((await big.json()) as { input_tokens: number }).input_tokens;
    expect(a).toBeGreaterThan(0);
    expect(b).toBeGreaterThan(a);
  });

  it('lists Claude models in the Anthropic shape and answers health and side traffic', async () => {
    const models = (await (await fetch(`${p.url}/v1/models?limit=1000`)).json()) as {
      data: Array<{ id: string; type: string }>;
      has_more: boolean;
      first_id: string;
    };
    expect(models.data.every((m) => m.type === 'model' && m.id.startsWith('claude-'))).toBe(true);
    expect(models.first_id).toBe(models.data[0].id);
    const health = (await (await fetch(`${p.url}/health`)).json()) as {
      status: string;
      accounts: { total: number; usable: number };
    };
    expect(health).toMatchObject({ status: 'ok', accounts: { total: 1, usable: 1 } });
    expect((await post(p, '/api/event_logging/batch', { events: [] })).status).toBe(200);
    expect((await fetch(`${p.url}/`, { method: 'HEAD' })).status).toBe(200);
    const page = await fetch(`${p.url}/`);
    expect(page.status).toBe(200);
    // `npm test` builds the dashboard first; then it is served with a strict CSP header.
    if (page.headers.get('content-type')?.includes('text/html')) {
      expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    }
  });

  it('routes the families above opus to opus, unknown ones to the default lane, Codex slugs directly', async () => {
    p.fake.setScript(() => sse([ev.created(), ...ev.textMessage('ok'), ev.completed()]));
    for (const model of ['claude-fable-5-2', 'claude-mythos-5', 'claude-fable-5']) {
      await (await post(p, '/v1/messages', claudeCodeBody({ model, stream: false }))).json();
      expect(lastAccepted(p).body.model).toBe('gpt-6.2-astra');
    }
    await (await post(p, '/v1/messages', claudeCodeBody({ model: 'claude-novella-6', stream: false }))).json();
    expect(lastAccepted(p).body.model).toBe('gpt-6.2-sol');
    const health = (await (await fetch(`${p.url}/health`)).json()) as {
      compatibility: Array<{ kind: string; subject: string }>;
    };
    expect(health.compatibility).toContainEqual(
      expect.objectContaining({ kind: 'unknown_claude_family', subject: 'claude-novella-6' }),
    );
    await (await post(p, '/v1/messages', claudeCodeBody({ model: 'claude-haiku-4-5-20251001', stream: false }))).json();
    expect(lastAccepted(p).body.model).toBe('gpt-6-luna');
    await (await post(p, '/v1/messages', claudeCodeBody({ model: 'gpt-5.5', stream: false }))).json();
    expect(lastAccepted(p).body.model).toBe('gpt-5.5');
  });

  it('answers bad input with Anthropic-shaped 4xx errors, never a stack trace', async () => {
    const cases: Array<[string | Record<string, unknown>, number, string]> = [
      ['{not json', 400, 'invalid_request_error'],
      [{ model: 'claude-opus-5-5' }, 400, 'invalid_request_error'],
      [{ model: 'claude-opus-5-5', messages: 'hi' }, 400, 'invalid_request_error'],
      [{ model: 42, messages: [{ role: 'user', content: 'hi' }] }, 400, 'invalid_request_error'],
      [{ model: 'llama-3', messages: [{ role: 'user', content: 'hi' }] }, 404, 'not_found_error'],
    ];
    for (const [body, status, type] of cases) {
      const res = await post(p, '/v1/messages', body);
      expect(res.status, JSON.stringify(body)).toBe(status);
      const json = (await res.json()) as { type: string; error: { type: string; message: string } };
      expect(json.type).toBe('error');
      expect(json.error.type).toBe(type);
      expect(json.error.message).not.toMatch(/\n\s+at /);
    }
    const notFound = await post(p, '/v1/messages', { model: 'llama-3', messages: [{ role: 'user', content: 'hi' }] });
    expect(((await notFound.json()) as { error: { message: string } }).error.message).toContain('claude-opus-5-5');
    const huge = await post(
      p,
      '/v1/messages',
      JSON.stringify({ model: 'claude-opus-5-5', messages: [{ role: 'user', content: 'x'.repeat(33 * 1024 * 1024) }] }),
    );
    expect(huge.status).toBe(413);
    expect(((await huge.json()) as { error: { type: string } }).error.type).toBe('request_too_large');
  });

  it('ignores unknown fields instead of rejecting them', async () => {
    p.fake.setScript(() => sse([ev.created(), ...ev.textMessage('fine'), ev.completed()]));
    const res = await post(
      p,
      '/v1/messages',
      claudeCodeBody({
        stream: false,
        safeguards: [{ type: 'dangerous_tool_use' }],
        some_future_field: { x: 1 },
        temperature: 0.2,
        top_k: 5,
      }),
    );
    expect(res.status).toBe(200);
    expect(JSON.stringify(lastAccepted(p).body)).not.toMatch(/safeguards|some_future_field|temperature|top_k/);
  });

  it('turns an upstream failure before the first byte into an HTTP error and after it into an error event', async () => {
    p.fake.setScript(() =>
      sse([ev.created(), ev.failed('context_length_exceeded', 'Your input exceeds the context window of this model.')]),
    );
    const before = await post(p, '/v1/messages', claudeCodeBody());
    expect(before.status).toBe(400);
    expect(((await before.json()) as { error: { message: string } }).error.message).toMatch(/prompt is too long/i);

    p.fake.setScript(() => sse([ev.created(), ...ev.textMessage('partial answer'), ev.error('server_error', 'boom')]));
    const after = await post(p, '/v1/messages', claudeCodeBody());
    expect(after.status).toBe(200);
    const parsed = await streamOf(after);
    expect(parsed.events.at(-1)?.type).toBe('error');
  });

  it('replays x-codex-turn-state within a turn and drops it when a new user turn starts', async () => {
    p.fake.setScript(() => sse([ev.created(), ...ev.textMessage('ok'), ev.completed()]));
    const turnHeader = (): string | undefined => lastAccepted(p).headers['x-codex-turn-state'] as string | undefined;
    const session = { 'x-claude-code-session-id': 'turn-state-session' };
    const user = { role: 'user', content: [{ type: 'text', text: 'Run it.' }] };
    const call = {
      role: 'assistant',
      content: [{ type: 'tool_use', id: 'call_t1', name: 'Bash', input: { command: 'ls' } }],
    };
    const result = { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'call_t1', content: 'a.txt' }] };

    await (await post(p, '/v1/messages', claudeCodeBody({ stream: false, messages: [user] }), session)).json();
    expect(turnHeader()).toBeUndefined();
    await (
      await post(p, '/v1/messages', claudeCodeBody({ stream: false, messages: [user, call, result] }), session)
    ).json();
    const replayed = turnHeader();
    expect(replayed).toMatch(/^ts_/);
    await (
      await post(
        p,
        '/v1/messages',
        claudeCodeBody({ stream: false, messages: [user, call, result, { role: 'assistant', content: 'done' }, user] }),
        session,
      )
    ).json();
    expect(turnHeader()).toBeUndefined();
  });

  it('aborts the upstream request as soon as the client disconnects', async () => {
    p.fake.setScript(() => sse([ev.created(), ...ev.textMessage('never ending')], { stallAfter: 3 }));
    const controller = new AbortController();
    const aborted = p.fake.abortedStreams();
    const res = await fetch(`${p.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(claudeCodeBody()),
      signal: controller.signal,
    });
    const reader = res.body!.getReader();
    await reader.read();
    controller.abort();
    await expect.poll(() => p.fake.abortedStreams(), { timeout: 3000 }).toBeGreaterThanOrEqual(aborted + 1);
  });
});

function accumulate(parsed: ReturnType<typeof parseSse>): Message {
  const acc = new MessageAccumulator();
  for (const e of parsed.events) acc.push(e);
  return acc.message();
}

describe('with no account configured', () => {
  it('answers authentication_error explaining how to add one', async () => {
    const p = await startTestProxy({ accounts: 0 });
    try {
      const res = await post(p, '/v1/messages', claudeCodeBody());
      expect(res.status).toBe(401);
      const body = (await res.json()) as { error: { type: string; message: string } };
      expect(body.error.type).toBe('authentication_error');
      expect(body.error.message).toMatch(/accounts import/);
    } finally {
      await p.close();
    }
  });
});

describe('when the live catalog no longer offers the lane models', () => {
  const catalogModel = (slug: string, efforts: string[]) => ({
    slug,
    display_name: slug,
    visibility: 'list',
    context_window: 272_000,
    default_reasoning_level: 'medium',
    supported_reasoning_levels: efforts.map((effort) => ({ effort })),
    input_modalities: ['text', 'image'],
    supports_parallel_tool_calls: true,
  });

  it('resolves each lane to the closest offered model, visibly, and clamps the effort', async () => {
    const p = await startTestProxy({
      fake: {
        models: [
          catalogModel('gpt-6-sol', ['low', 'medium', 'high', 'xhigh', 'max', 'ultra']),
          catalogModel('gpt-6-luna', ['low', 'medium', 'high']),
        ],
      },
    });
    try {
      p.fake.setScript(() => sse([ev.created(), ...ev.textMessage('ok'), ev.completed()]));
      await expect
        .poll(
          async () =>
            ((await (await fetch(`${p.url}/health`)).json()) as { models: Record<string, { resolved: string }> }).models
              .opus.resolved,
        )
        .toBe('gpt-6-sol');
      const res = await post(
        p,
        '/v1/messages',
        claudeCodeBody({ model: 'claude-haiku-5-5', stream: false, output_config: { effort: 'xhigh' } }),
      );
      expect(res.status).toBe(200);
      expect(lastAccepted(p).body).toMatchObject({ model: 'gpt-6-luna', reasoning: { effort: 'high' } });
      const models = (await (await fetch(`${p.url}/api/models`)).json()) as {
        resolved: Record<string, { configured: string; resolved: string }>;
      };
      expect(models.resolved.sonnet).toMatchObject({ configured: 'gpt-6.2-sol', resolved: 'gpt-6-sol' });
      const health = (await (await fetch(`${p.url}/health`)).json()) as { compatibility: Array<{ kind: string }> };
      expect(health.compatibility.filter((f) => f.kind === 'lane_model_missing')).toHaveLength(2);
    } finally {
      await p.close();
    }
  });
});
