import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { echoScript, startFakeCodex, usageLimitReply, type FakeCodex, type FakeCodexOptions } from './codex-backend.js';
import { ev, interleave, toSse, type Ev } from './codex-events.js';
import { codexTokens, decodeJwt, makeJwt, OPENAI_AUTH_CLAIM } from './jwt.js';

const ACCOUNT = 'acct-test-1';
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]).toString('base64');

let fake: FakeCodex;
let tokens: { id_token: string; access_token: string };

async function start(opts: FakeCodexOptions = {}): Promise<void> {
  await fake?.close();
  fake = await startFakeCodex(opts);
}

beforeEach(async () => {
  tokens = codexTokens({ accountId: ACCOUNT, email: 'dev@example.test', plan: 'pro' });
  await start();
});

afterEach(async () => {
  await fake.close();
});

/** What the first-party Codex CLI presents; the edge refuses anything else (codex-gates.ts). */
export const CLI_IDENTITY = {
  originator: 'codex_cli_rs',
  version: '0.171.0',
  'user-agent': 'codex_cli_rs/0.171.0 (Linux 6.1; x86_64) codex-claude-proxy/test',
};

function authHeaders(token = tokens.access_token, account = ACCOUNT): Record<string, string> {
  return { authorization: `Bearer ${token}`, 'chatgpt-account-id': account, ...CLI_IDENTITY };
}

/** Has the fake issue `encrypted` to `account` in a stream, as the real backend would first. */
async function issueReasoning(encrypted: string): Promise<void> {
  const before = fake.requests.length;
  fake.setScript(() => ({ kind: 'sse', events: [ev.created(), ...ev.reasoning(['t'], encrypted), ev.completed()] }));
  await (await post(validBody())).text();
  fake.requests.splice(before);
  fake.setScript(echoScript);
}

function validBody(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    model: 'gpt-6.2-sol',
    instructions: 'You are a coding agent.',
    input: [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hello there' }] }],
    tools: [
      {
        type: 'function',
        name: 'Bash',
        description: 'Run a command',
        parameters: { type: 'object', properties: {} },
        strict: false,
      },
    ],
    tool_choice: 'auto',
    parallel_tool_calls: true,
    reasoning: { effort: 'medium', summary: 'auto' },
    store: false,
    stream: true,
    include: ['reasoning.encrypted_content'],
    prompt_cache_key: 'session-1',
    ...over,
  };
}

function post(body: unknown, headers: Record<string, string> = {}, signal?: AbortSignal): Promise<Response> {
  return fetch(`${fake.url}/codex/responses`, {
    method: 'POST',
    headers: {
      ...authHeaders(),
      'content-type': 'application/json',
      accept: 'text/event-stream',
      'session-id': 'session-1',
      ...headers,
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
    signal,
  });
}

function parseSse(text: string): Ev[] {
  return text
    .split('\n\n')
    .filter((block) => block.trim() !== '')
    .map((block) => {
      const lines = block.split('\n');
      const event = lines.find((l) => l.startsWith('event: '))?.slice(7);
      const data = JSON.parse(lines.find((l) => l.startsWith('data: '))!.slice(6)) as Ev;
      expect(data.type).toBe(event);
      return data;
    });
}

async function expectRejected(res: Response, status: number, body: unknown): Promise<void> {
  expect(res.status).toBe(status);
  expect(await res.json()).toEqual(body);
  expect(fake.requests.at(-1)?.rejected).toEqual({ status, body });
}

const apiError = (message: string, param: string | null, code: string | null) => ({
  error: { message, type: 'invalid_request_error', param, code },
});

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(check()).toBe(true);
}

describe('a valid request', () => {
  it('streams the default echo answer with quota and turn-state headers', async () => {
    const res = await post(validBody());
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    expect(res.headers.get('x-codex-primary-used-percent')).toBe('12');
    expect(res.headers.get('x-codex-secondary-window-minutes')).toBe('10080');
    expect(res.headers.get('x-codex-plan-type')).toBe('pro');
    expect(res.headers.get('x-codex-turn-state')).toMatch(/^ts_/);
    expect(res.headers.get('openai-model')).toBe('gpt-6.2-sol');
    const events = parseSse(await res.text());
    expect(events[0].type).toBe('codex.rate_limits');
    expect(events[1].type).toBe('response.created');
    expect(events.at(-1)?.type).toBe('response.completed');
    const text = events
      .filter((e) => e.type === 'response.output_text.delta')
      .map((e) => e.delta)
      .join('');
    expect(text).toBe('Echo: hello there');
    expect(events.map((e) => e.sequence_number)).toEqual(events.map((_, i) => i));
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0].rejected).toBeUndefined();
    expect(fake.requests[0].headers.originator).toBe('codex_cli_rs');
  });

  it('accepts a full tool round trip with replayed reasoning, images, files and deferred tools', async () => {
    const body = validBody({
      input: [
        { type: 'message', role: 'developer', content: [{ type: 'input_text', text: 'mid-conversation note' }] },
        {
          type: 'message',
          role: 'user',
          content: [
            { type: 'input_text', text: 'look' },
            { type: 'input_image', image_url: `data:image/png;base64,${PNG}` },
            { type: 'input_image', image_url: 'https://example.test/cat.png', detail: 'high' },
            { type: 'input_file', filename: 'a.pdf', file_data: 'data:application/pdf;base64,JVBERi0=' },
          ],
        },
        {
          type: 'reasoning',
          summary: [{ type: 'summary_text', text: 'thinking' }],
          encrypted_content: 'gAAAA-opaque',
          content: null,
        },
        { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Running it.' }] },
        { type: 'function_call', call_id: 'call_1', name: 'Bash', arguments: '{"command":"ls"}' },
        { type: 'function_call', call_id: 'call_2', name: 'Bash', arguments: '{"command":"pwd"}' },
        { type: 'function_call_output', call_id: 'call_1', output: 'a.txt' },
        {
          type: 'function_call_output',
          call_id: 'call_2',
          output: [{ type: 'input_image', image_url: `data:image/png;base64,${PNG}` }],
        },
        { type: 'web_search_call', status: 'completed', action: { type: 'search', query: 'vitest' } },
      ],
      tools: [
        { type: 'function', name: 'Bash', parameters: { type: 'object' }, strict: false },
        {
          type: 'function',
          name: 'mcp__srv__tool',
          parameters: { type: 'object' },
          strict: false,
          defer_loading: true,
        },
        { type: 'tool_search', execution: 'client' },
        { type: 'web_search' },
      ],
      tool_choice: { type: 'function', name: 'Bash' },
      text: { verbosity: 'low' },
    });
    await issueReasoning('gAAAA-opaque');
    const res = await post(body, { 'x-codex-turn-state': 'ts_previous' });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-codex-turn-state')).toBe('ts_previous');
    await res.text();
  });

  it('passes the recorded request and the accepted-request count to the script', async () => {
    const seen: number[] = [];
    fake.setScript((req, n) => {
      seen.push(n);
      return {
        kind: 'sse',
        events: [ev.created('resp_x'), ...ev.textMessage(`turn ${n}`), ev.completed()],
        headers: { 'x-extra': String((req.body as { model: string }).model) },
      };
    });
    await post(validBody({ instructions: 7 })).then((r) => r.text());
    const res = await post(validBody());
    expect(res.headers.get('x-extra')).toBe('gpt-6.2-sol');
    const events = parseSse(await res.text());
    expect(events[0]).toMatchObject({ type: 'response.created', response: { id: 'resp_x' } });
    expect(events.at(-1)).toMatchObject({ type: 'response.completed', response: { id: 'resp_x' } });
    await post(validBody()).then((r) => r.text());
    expect(seen).toEqual([0, 1]);
  });
});

describe('rejections', () => {
  it('missing instructions', async () => {
    await expectRejected(await post(validBody({ instructions: undefined })), 400, {
      detail: 'Instructions are required',
    });
  });

  it('instructions that are not a string', async () => {
    await expectRejected(await post(validBody({ instructions: null })), 400, { detail: 'Instructions are required' });
  });

  it('store true', async () => {
    await expectRejected(await post(validBody({ store: true })), 400, { detail: 'Store must be set to false' });
  });

  it('store missing', async () => {
    await expectRejected(await post(validBody({ store: undefined })), 400, { detail: 'Store must be set to false' });
  });

  it('stream false', async () => {
    await expectRejected(await post(validBody({ stream: false })), 400, { detail: 'Stream must be set to true' });
  });

  it('max_output_tokens', async () => {
    await expectRejected(await post(validBody({ max_output_tokens: 1000 })), 400, {
      detail: 'Unsupported parameter: max_output_tokens',
    });
  });

  it('max_tokens', async () => {
    await expectRejected(await post(validBody({ max_tokens: 1000 })), 400, {
      detail: 'Unsupported parameter: max_tokens',
    });
  });

  it('temperature', async () => {
    await expectRejected(await post(validBody({ temperature: 0.2 })), 400, {
      detail: 'Unsupported parameter: temperature',
    });
  });

  it('top_p', async () => {
    await expectRejected(await post(validBody({ top_p: 0.9 })), 400, { detail: 'Unsupported parameter: top_p' });
  });

  it('an unknown top-level key', async () => {
    await expectRejected(await post(validBody({ previous_response_id: 'resp_1' })), 400, {
      detail: 'Unsupported parameter: previous_response_id',
    });
  });

  it('a system-role message', async () => {
    const input = [{ type: 'message', role: 'system', content: [{ type: 'input_text', text: 'be nice' }] }];
    await expectRejected(await post(validBody({ input })), 400, { detail: 'System messages are not allowed' });
  });

  it('an item carrying a server id', async () => {
    const input = [
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hi' }] },
      { id: 'rs_abc', type: 'reasoning', summary: [], encrypted_content: 'x' },
    ];
    await expectRejected(
      await post(validBody({ input })),
      404,
      apiError(
        "Item with id 'rs_abc' not found. Items are not persisted when `store` is set to false. Try again with `store` set to true, or remove this item from your input.",
        'input',
        null,
      ),
    );
  });

  it('a function_call_output without an earlier call', async () => {
    const input = [{ type: 'function_call_output', call_id: 'call_orphan', output: 'x' }];
    await expectRejected(
      await post(validBody({ input })),
      400,
      apiError('No tool call found for function call output with call_id call_orphan.', 'input', null),
    );
  });

  it('a function_call_output before its call', async () => {
    const input = [
      { type: 'function_call_output', call_id: 'call_1', output: 'x' },
      { type: 'function_call', call_id: 'call_1', name: 'Bash', arguments: '{}' },
    ];
    await expectRejected(
      await post(validBody({ input })),
      400,
      apiError('No tool call found for function call output with call_id call_1.', 'input', null),
    );
  });

  it('a function_call without an output', async () => {
    const input = [
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hi' }] },
      { type: 'function_call', call_id: 'call_1', name: 'Bash', arguments: '{}' },
    ];
    await expectRejected(
      await post(validBody({ input })),
      400,
      apiError('No tool output found for function call call_1.', 'input', null),
    );
  });

  it('function_call arguments that are not a string', async () => {
    const input = [
      { type: 'function_call', call_id: 'call_1', name: 'Bash', arguments: { command: 'ls' } },
      { type: 'function_call_output', call_id: 'call_1', output: 'x' },
    ];
    await expectRejected(
      await post(validBody({ input })),
      400,
      apiError(
        "Invalid type for 'input[0].arguments': expected a string, but got an object instead.",
        'input[0].arguments',
        'invalid_type',
      ),
    );
  });

  it('a reasoning item without encrypted_content', async () => {
    const input = [{ type: 'reasoning', summary: [] }];
    await expectRejected(
      await post(validBody({ input })),
      400,
      apiError(
        "Missing required parameter: 'input[0].encrypted_content'.",
        'input[0].encrypted_content',
        'missing_required_parameter',
      ),
    );
  });

  it('a user content part in an assistant message', async () => {
    const input = [{ type: 'message', role: 'assistant', content: [{ type: 'input_text', text: 'x' }] }];
    await expectRejected(
      await post(validBody({ input })),
      400,
      apiError(
        "Invalid value: 'input_text'. Supported values are: 'output_text' and 'refusal'.",
        'input[0].content[0].type',
        'invalid_value',
      ),
    );
  });

  it('cache_control inside a content part', async () => {
    const input = [
      {
        type: 'message',
        role: 'user',
        content: [{ type: 'input_text', text: 'x', cache_control: { type: 'ephemeral' } }],
      },
    ];
    await expectRejected(
      await post(validBody({ input })),
      400,
      apiError(
        "Unknown parameter: 'input[0].content[0].cache_control'.",
        'input[0].content[0].cache_control',
        'unknown_parameter',
      ),
    );
  });

  it('a tool name with characters outside the pattern', async () => {
    const tools = [{ type: 'function', name: 'mcp.server:tool', parameters: { type: 'object' }, strict: false }];
    await expectRejected(
      await post(validBody({ tools, tool_choice: 'auto' })),
      400,
      apiError(
        "Invalid 'tools[0].name': string does not match pattern. Expected a string that matches the pattern '^[a-zA-Z0-9_-]+$'.",
        'tools[0].name',
        'invalid_value',
      ),
    );
  });

  it('a tool name longer than 64 characters', async () => {
    const tools = [{ type: 'function', name: 'x'.repeat(65), parameters: { type: 'object' }, strict: false }];
    await expectRejected(
      await post(validBody({ tools })),
      400,
      apiError(
        "Invalid 'tools[0].name': string too long. Expected a string with maximum length 64, but got a string with length 65 instead.",
        'tools[0].name',
        'string_above_max_length',
      ),
    );
  });

  it('cache_control inside a tool', async () => {
    const tools = [
      { type: 'function', name: 'Bash', parameters: { type: 'object' }, strict: false },
      {
        type: 'function',
        name: 'Read',
        parameters: { type: 'object' },
        strict: false,
        cache_control: { type: 'ephemeral' },
      },
    ];
    await expectRejected(
      await post(validBody({ tools })),
      400,
      apiError("Unknown parameter: 'tools[1].cache_control'.", 'tools[1].cache_control', 'unknown_parameter'),
    );
  });

  it('defer_loading without a tool_search tool', async () => {
    const tools = [
      { type: 'function', name: 'Bash', parameters: { type: 'object' }, strict: false, defer_loading: true },
    ];
    await expectRejected(
      await post(validBody({ tools })),
      400,
      apiError("Unknown parameter: 'tools[0].defer_loading'.", 'tools[0].defer_loading', 'unknown_parameter'),
    );
  });

  it('tool parameters that are not an object', async () => {
    const tools = [{ type: 'function', name: 'Bash', parameters: '{"type":"object"}', strict: false }];
    await expectRejected(
      await post(validBody({ tools })),
      400,
      apiError(
        "Invalid type for 'tools[0].parameters': expected an object, but got a string instead.",
        'tools[0].parameters',
        'invalid_type',
      ),
    );
  });

  it('a named tool_choice that names no tool', async () => {
    await expectRejected(
      await post(validBody({ tool_choice: { type: 'function', name: 'Nope' } })),
      400,
      apiError("Tool choice 'Nope' not found in 'tools' parameter.", 'tool_choice', null),
    );
  });

  it('an image data URL with empty base64', async () => {
    const input = [
      { type: 'message', role: 'user', content: [{ type: 'input_image', image_url: 'data:image/png;base64,' }] },
    ];
    await expectRejected(
      await post(validBody({ input })),
      400,
      apiError(
        "Invalid 'input[0].content[0].image_url'. Expected a base64-encoded data URL with an image MIME type (e.g. 'data:image/png;base64,aGVsbG8='), but got empty base64-encoded bytes.",
        'input[0].content[0].image_url',
        'invalid_value',
      ),
    );
  });

  it('an image data URL with a non-image MIME type', async () => {
    const input = [
      {
        type: 'message',
        role: 'user',
        content: [{ type: 'input_image', image_url: `data:application/pdf;base64,${PNG}` }],
      },
    ];
    const res = await post(validBody({ input }));
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(
      /but got unsupported MIME type 'application\/pdf'\.$/,
    );
  });

  it('image bytes that are not an image', async () => {
    const input = [
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'see' }] },
      { type: 'function_call', call_id: 'c', name: 'Read', arguments: '{}' },
      {
        type: 'function_call_output',
        call_id: 'c',
        output: [
          { type: 'input_image', image_url: `data:image/png;base64,${Buffer.from('hello').toString('base64')}` },
        ],
      },
    ];
    await expectRejected(
      await post(validBody({ input })),
      400,
      apiError(
        "The image data you provided does not represent a valid image. Please check your input and try again with one of the supported image formats: ['image/jpeg', 'image/png', 'image/gif', 'image/webp'].",
        null,
        null,
      ),
    );
  });

  it('a reasoning effort the model does not support', async () => {
    await expectRejected(
      await post(validBody({ model: 'gpt-5.5', reasoning: { effort: 'ultra', summary: 'auto' } })),
      400,
      apiError(
        "Unsupported value: 'ultra' is not supported with the 'gpt-5.5' model. Supported values are: 'low', 'medium', 'high', and 'xhigh'.",
        'reasoning.effort',
        'unsupported_value',
      ),
    );
  });

  it('an invalid reasoning summary', async () => {
    await expectRejected(
      await post(validBody({ reasoning: { effort: 'low', summary: 'verbose' } })),
      400,
      apiError(
        "Invalid value: 'verbose'. Supported values are: 'auto', 'concise', and 'detailed'.",
        'reasoning.summary',
        'invalid_value',
      ),
    );
  });

  it('a model outside the catalog', async () => {
    await expectRejected(await post(validBody({ model: 'gpt-4o' })), 400, {
      detail: "The 'gpt-4o' model is not supported when using Codex with a ChatGPT account.",
    });
  });

  it('input that is not an array', async () => {
    await expectRejected(
      await post(validBody({ input: 'hello' })),
      400,
      apiError("Invalid type for 'input': expected an array, but got a string instead.", 'input', 'invalid_type'),
    );
  });

  it('include that is not an array of strings', async () => {
    await expectRejected(
      await post(validBody({ include: [1] })),
      400,
      apiError(
        "Invalid type for 'include[0]': expected a string, but got an integer instead.",
        'include[0]',
        'invalid_type',
      ),
    );
  });

  it('a session-id header that differs from prompt_cache_key (our stricter rule)', async () => {
    const res = await post(validBody({ prompt_cache_key: 'other' }));
    expect(res.status).toBe(400);
    expect(((await res.json()) as { detail: string }).detail).toMatch(/session-id header .* prompt_cache_key/);
    expect(fake.requests[0].rejected?.status).toBe(400);
  });

  it('a body that is not JSON', async () => {
    const res = await post('{"model":');
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(
      /could not parse the JSON body/,
    );
    expect(fake.requests[0].body).toBe('{"model":');
  });

  it('a content type other than JSON', async () => {
    const res = await post(validBody(), { 'content-type': 'text/plain' });
    expect(res.status).toBe(415);
    await res.text();
  });
});

describe('auth', () => {
  it('rejects a missing bearer token', async () => {
    await expectRejected(await post(validBody(), { authorization: '' }), 401, { detail: 'Unauthorized' });
  });

  it('rejects a bearer that is not a JWT', async () => {
    await expectRejected(await post(validBody(), { authorization: 'Bearer sk-not-a-jwt' }), 401, {
      detail: 'Unauthorized',
    });
  });

  it('rejects an expired access token', async () => {
    const expired = codexTokens({ accountId: ACCOUNT, expiresInSec: -10 }).access_token;
    await expectRejected(
      await post(validBody(), authHeaders(expired)),
      401,
      apiError('Provided authentication token is expired. Please try signing in again.', null, 'token_expired'),
    );
  });

  it('rejects a missing or mismatched ChatGPT-Account-ID header', async () => {
    const forbidden = { detail: { code: 'invalid_workspace_selected' } };
    await expectRejected(await post(validBody(), { 'chatgpt-account-id': 'acct-other' }), 403, forbidden);
    await expectRejected(await post(validBody(), { 'chatgpt-account-id': '' }), 403, forbidden);
  });

  it('accepts only the listed tokens of a listed account, read live', async () => {
    const accounts: NonNullable<FakeCodexOptions['accounts']> = { [ACCOUNT]: { accessTokens: [tokens.access_token] } };
    await start({ accounts });
    const res = await post(validBody());
    expect(res.status).toBe(200);
    await res.text();

    const refreshed = codexTokens({ accountId: ACCOUNT }).access_token;
    accounts[ACCOUNT].accessTokens = [refreshed];
    await expectRejected(
      await post(validBody()),
      401,
      apiError(
        'Your authentication token has been invalidated. Please try signing in again.',
        null,
        'token_invalidated',
      ),
    );
    const ok = await post(validBody(), authHeaders(refreshed));
    expect(ok.status).toBe(200);
    await ok.text();

    const stranger = codexTokens({ accountId: 'acct-unknown' }).access_token;
    await expectRejected(await post(validBody(), authHeaders(stranger, 'acct-unknown')), 401, {
      detail: 'Unauthorized',
    });
  });
});

describe('other endpoints', () => {
  it('serves the model catalog', async () => {
    const res = await fetch(`${fake.url}/codex/models?client_version=0.171.0`, { headers: authHeaders() });
    expect(res.status).toBe(200);
    expect(res.headers.get('etag')).toBeTruthy();
    const { models } = (await res.json()) as {
      models: Array<{ slug: string; context_window: number; supported_reasoning_levels: Array<{ effort: string }> }>;
    };
    const slugs = models.map((m) => m.slug);
    for (const slug of ['gpt-6.2-sol', 'gpt-6.2-astra', 'gpt-6-luna', 'gpt-5.5']) expect(slugs).toContain(slug);
    for (const slug of ['gpt-5.2-codex', 'gpt-5.3-codex', 'gpt-5.2']) expect(slugs).not.toContain(slug);
    const sol = models.find((m) => m.slug === 'gpt-6.2-sol')!;
    expect(sol.context_window).toBe(500_000);
    expect(sol.supported_reasoning_levels.map((l) => l.effort)).toContain('ultra');
    expect(fake.requests[0].path).toBe('/backend-api/codex/models?client_version=0.171.0');
  });

  it('validates against a custom catalog', async () => {
    await start({ models: [{ slug: 'gpt-7', supported_reasoning_levels: ['low'] }] });
    const ok = await post(validBody({ model: 'gpt-7', reasoning: { effort: 'low', summary: 'auto' } }));
    expect(ok.status).toBe(200);
    await ok.text();
    expect((await post(validBody())).status).toBe(400);
  });

  it('serves the usage snapshot', async () => {
    const res = await fetch(`${fake.url}/wham/usage`, { headers: authHeaders() });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      plan_type: 'pro',
      rate_limit: {
        allowed: true,
        limit_reached: false,
        primary_window: { limit_window_seconds: 18_000 },
        secondary_window: { limit_window_seconds: 604_800 },
      },
    });
    await start({ usage: (id) => ({ custom: id }) });
    expect(await (await fetch(`${fake.url}/wham/usage`, { headers: authHeaders() })).json()).toEqual({
      custom: ACCOUNT,
    });
  });

  it('authenticates the side endpoints too', async () => {
    const res = await fetch(`${fake.url}/wham/usage`, { headers: CLI_IDENTITY });
    expect(res.status).toBe(401);
    await res.text();
  });

  it('answers 404 elsewhere', async () => {
    const res = await fetch(`${fake.url}/codex/responses`, { headers: authHeaders() });
    expect(res.status).toBe(404);
    await res.text();
    expect((await fetch(`${fake.url.replace('/backend-api', '')}/v1/responses`, { method: 'POST' })).status).toBe(404);
  });
});

describe('replies', () => {
  it('sends a scripted HTTP error with quota headers, e.g. the usage-limit 429', async () => {
    fake.setScript(() => usageLimitReply(600));
    const res = await post(validBody());
    expect(res.status).toBe(429);
    expect(res.headers.get('x-codex-primary-used-percent')).toBe('100');
    expect(res.headers.get('x-codex-primary-reset-after-seconds')).toBe('600');
    expect(res.headers.get('x-codex-secondary-used-percent')).toBe('34');
    const body = (await res.json()) as { error: { type: string; resets_in_seconds: number; resets_at: number } };
    expect(body.error).toMatchObject({ type: 'usage_limit_reached', resets_in_seconds: 600 });
    expect(body.error.resets_at).toBeGreaterThan(Date.now() / 1000);
  });

  it('sends raw text as the body', async () => {
    fake.setScript(() => ({ kind: 'sse', events: [], raw: 'event: response.created\ndata: {not json\n\n' }));
    const res = await post(validBody());
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    expect(await res.text()).toBe('event: response.created\ndata: {not json\n\n');
  });

  it('writes events separately with chunkDelayMs', async () => {
    const events = [ev.created(), ...ev.textMessage('one two three four'), ev.completed()];
    fake.setScript(() => ({ kind: 'sse', events, chunkDelayMs: 15, delayMs: 5 }));
    const res = await post(validBody());
    const reader = res.body!.getReader();
    let reads = 0;
    let text = '';
    for (let r = await reader.read(); !r.done; r = await reader.read()) {
      reads++;
      text += new TextDecoder().decode(r.value);
    }
    expect(reads).toBeGreaterThan(1);
    expect(parseSse(text).map((e) => e.type)).toEqual(events.map((e) => e.type));
  });

  it('streams a large answer intact through socket backpressure', async () => {
    const chunks = Array.from({ length: 1000 }, (_, i) => `${String(i).padStart(4, '0')}${'x'.repeat(1000)}`);
    fake.setScript(() => ({
      kind: 'sse',
      events: [ev.created(), ...ev.textMessage(chunks.join(''), { chunks }), ev.completed()],
    }));
    const events = parseSse(await (await post(validBody())).text());
    const deltas = events.filter((e) => e.type === 'response.output_text.delta').map((e) => e.delta);
    expect(deltas).toEqual(chunks);
    expect(fake.openStreams()).toBe(0);
  });

  it('stalls after N events and counts the client abort', async () => {
    fake.setScript(() => ({
      kind: 'sse',
      events: [ev.created(), ...ev.textMessage('never finished'), ev.completed()],
      stallAfter: 2,
    }));
    const ctrl = new AbortController();
    const res = await post(validBody(), {}, ctrl.signal);
    const reader = res.body!.getReader();
    let text = '';
    while (parseSse(text).length < 2) text += new TextDecoder().decode((await reader.read()).value);
    expect(parseSse(text)).toHaveLength(2);
    expect(fake.openStreams()).toBe(1);
    expect(fake.abortedStreams()).toBe(0);
    ctrl.abort();
    await until(() => fake.openStreams() === 0);
    expect(fake.abortedStreams()).toBe(1);
  });

  it('counts an abort during the initial delay', async () => {
    fake.setScript(() => ({ kind: 'sse', events: [ev.created(), ev.completed()], delayMs: 60_000 }));
    const ctrl = new AbortController();
    const pending = post(validBody(), {}, ctrl.signal).catch((err: Error) => err);
    await until(() => fake.openStreams() === 1);
    ctrl.abort();
    expect(await pending).toBeInstanceOf(Error);
    await until(() => fake.abortedStreams() === 1);
    expect(fake.openStreams()).toBe(0);
  });

  it('resets the connection after N events without counting an abort', async () => {
    fake.setScript(() => ({
      kind: 'sse',
      events: [ev.created(), ...ev.textMessage('cut'), ev.completed()],
      resetAfter: 1,
    }));
    const res = await post(validBody());
    expect(res.status).toBe(200);
    await expect(res.text()).rejects.toThrow();
    await until(() => fake.openStreams() === 0);
    expect(fake.abortedStreams()).toBe(0);
  });

  it('finishes normal streams without counting aborts and closes with stalled streams open', async () => {
    await (await post(validBody())).text();
    expect(fake.openStreams()).toBe(0);
    expect(fake.abortedStreams()).toBe(0);
    fake.setScript(() => ({ kind: 'sse', events: [ev.created()], stallAfter: 1 }));
    const res = await post(validBody());
    expect(res.status).toBe(200);
    await fake.close();
    await expect(res.text()).rejects.toThrow();
  });

  it('reports a throwing script as a 500', async () => {
    fake.setScript(() => {
      throw new Error('boom');
    });
    const res = await post(validBody());
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ detail: 'fake Codex script threw: boom' });
  });
});

describe('event builders', () => {
  it('builds a text message whose deltas add up to the text', () => {
    const events = ev.textMessage('hello brave new world', { outputIndex: 2 });
    expect(events.map((e) => e.type)).toEqual([
      'response.output_item.added',
      'response.content_part.added',
      ...events.filter((e) => e.type === 'response.output_text.delta').map(() => 'response.output_text.delta'),
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
    ]);
    expect(
      events
        .filter((e) => e.type === 'response.output_text.delta')
        .map((e) => e.delta)
        .join(''),
    ).toBe('hello brave new world');
    expect(events.every((e) => e.output_index === 2)).toBe(true);
    expect(
      ev
        .textMessage('ab', { chunks: ['a', 'b'] })
        .filter((e) => e.delta !== undefined)
        .map((e) => e.delta),
    ).toEqual(['a', 'b']);
  });

  it('puts encrypted reasoning only on output_item.done', () => {
    const events = ev.reasoning(['first thought', 'second'], 'gAAAA-enc');
    const added = events[0].item as Record<string, unknown>;
    const done = events.at(-1)!;
    expect(added.encrypted_content).toBeUndefined();
    expect(done.type).toBe('response.output_item.done');
    expect(done.item).toMatchObject({
      type: 'reasoning',
      encrypted_content: 'gAAAA-enc',
      summary: [{ text: 'first thought' }, { text: 'second' }],
    });
    expect(
      events.filter((e) => e.type === 'response.reasoning_summary_part.added').map((e) => e.summary_index),
    ).toEqual([0, 1]);
  });

  it('builds function calls, web searches and terminal events', () => {
    const call = ev.functionCall('call_9', 'Bash', '{"command":"ls -la"}', { chunks: ['{"command":', '"ls -la"}'] });
    expect(call.filter((e) => e.type === 'response.function_call_arguments.delta').map((e) => e.delta)).toEqual([
      '{"command":',
      '"ls -la"}',
    ]);
    expect(call.at(-1)).toMatchObject({
      item: { type: 'function_call', call_id: 'call_9', name: 'Bash', arguments: '{"command":"ls -la"}' },
    });
    expect(ev.webSearch('vitest', [{ url: 'https://vitest.dev', title: 'Vitest' }]).at(-1)).toMatchObject({
      item: {
        type: 'web_search_call',
        action: { type: 'search', query: 'vitest', sources: [{ url: 'https://vitest.dev' }] },
      },
    });
    expect(ev.completed({ input_tokens: 100, cached_tokens: 80, output_tokens: 7, reasoning_tokens: 3 })).toMatchObject(
      {
        response: {
          status: 'completed',
          usage: {
            input_tokens: 100,
            input_tokens_details: { cached_tokens: 80 },
            output_tokens: 7,
            output_tokens_details: { reasoning_tokens: 3 },
            total_tokens: 107,
          },
        },
      },
    );
    expect(ev.incomplete('max_output_tokens')).toMatchObject({
      response: { incomplete_details: { reason: 'max_output_tokens' } },
    });
    expect(ev.failed('context_length_exceeded', 'too long')).toMatchObject({
      response: { status: 'failed', error: { code: 'context_length_exceeded' } },
    });
    expect(ev.error('server_is_overloaded', 'busy')).toEqual({
      type: 'error',
      code: 'server_is_overloaded',
      message: 'busy',
      param: null,
    });
  });

  it('interleaves sequences round-robin and serialises SSE', () => {
    const a: Ev[] = [{ type: 'a1' }, { type: 'a2' }, { type: 'a3' }];
    const b: Ev[] = [{ type: 'b1' }];
    expect(interleave(a, b).map((e) => e.type)).toEqual(['a1', 'b1', 'a2', 'a3']);
    expect(toSse([{ type: 'x', n: 1 }])).toBe('event: x\ndata: {"type":"x","n":1}\n\n');
  });
});

describe('jwt', () => {
  it('makes decodable tokens with the OpenAI auth claims', () => {
    const t = codexTokens({
      accountId: 'acct-9',
      email: 'me@example.test',
      plan: 'team',
      userId: 'user-9',
      expiresInSec: 120,
    });
    const id = decodeJwt(t.id_token)!;
    const access = decodeJwt(t.access_token)!;
    expect(id.email).toBe('me@example.test');
    expect(id[OPENAI_AUTH_CLAIM]).toMatchObject({
      chatgpt_account_id: 'acct-9',
      chatgpt_plan_type: 'team',
      chatgpt_user_id: 'user-9',
    });
    expect(access[OPENAI_AUTH_CLAIM]).toMatchObject({ chatgpt_account_id: 'acct-9' });
    expect(access.exp).toBe((access.iat as number) + 120);
    expect(codexTokens({ accountId: 'acct-9' }).access_token).not.toBe(
      codexTokens({ accountId: 'acct-9' }).access_token,
    );
    expect(makeJwt({ a: 1 }).split('.')).toHaveLength(3);
    expect(decodeJwt('not.a.jwt!')).toBeNull();
  });
});
