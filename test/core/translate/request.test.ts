import { describe, expect, it } from 'vitest';
import type { MessageParam, MessagesRequest } from '../../../shared/anthropic.js';
import { CODEX_REQUEST_KEYS, type InputItem } from '../../../shared/codex.js';
import { RequestError } from '../../../main/core/translate/request-error.js';
import { toCodexRequest, type RequestTranslationOptions } from '../../../main/core/translate/request.js';
import { encodeSignature } from '../../../main/core/translate/signature.js';

const OPTS: RequestTranslationOptions = { model: 'gpt-5.2-codex', promptCacheKey: 'sess-1' };

function request(messages: MessageParam[], extra: Partial<MessagesRequest> = {}): MessagesRequest {
  return { model: 'claude-sonnet-4-5', max_tokens: 32000, messages, ...extra };
}

function input(messages: MessageParam[], extra: Partial<MessagesRequest> = {}): InputItem[] {
  return toCodexRequest(request(messages, extra), OPTS).body.input;
}

const userText = (text: string) => ({ type: 'message', role: 'user', content: [{ type: 'input_text', text }] });
const assistantText = (text: string) => ({
  type: 'message',
  role: 'assistant',
  content: [{ type: 'output_text', text }],
});

/** Every key name used anywhere in a JSON value. */
function allKeys(value: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(value)) value.forEach((v) => allKeys(v, into));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      into.add(k);
      allKeys(v, into);
    }
  }
  return into;
}

// Shaped like a Claude Code 2.1.331 first request (own texts).
const claudeCodeLike: MessagesRequest = {
  model: 'claude-opus-5-5',
  max_tokens: 128000,
  stream: true,
  system: [
    { type: 'text', text: 'x-anthropic-billing-header: cc_version=9.9.9.abc; cc_entrypoint=sdk-cli;' },
    { type: 'text', text: 'You are a coding agent.', cache_control: { type: 'ephemeral' } },
    { type: 'text', text: 'Follow the project rules.', cache_control: { type: 'ephemeral' } },
  ],
  messages: [
    {
      role: 'user',
      content: [
        { type: 'text', text: '<system-reminder>be brief</system-reminder>' },
        { type: 'text', text: 'Say hi.' },
      ],
    },
    {
      role: 'system',
      content: [{ type: 'text', text: '# Environment\ncwd: /tmp/x', cache_control: { type: 'ephemeral' } }],
    },
  ],
  tools: [
    {
      name: 'Bash',
      description: 'Run a command',
      input_schema: {
        $schema: 'https://json-schema.org/draft/2020-12/schema',
        type: 'object',
        properties: { command: { type: 'string' } },
        required: ['command'],
        additionalProperties: false,
      },
    },
    {
      name: 'DeferredToolPlaceholder',
      description: 'x',
      input_schema: { type: 'object', properties: {} },
      defer_loading: true,
    },
  ],
  metadata: { user_id: JSON.stringify({ device_id: 'd', account_uuid: '', session_id: 'sess-1' }) },
  thinking: { type: 'adaptive', display: 'omitted' },
  context_management: { edits: [{ type: 'clear_thinking_20251015', keep: 'all' }] },
  output_config: { effort: 'medium' },
  temperature: 0.5,
  top_p: 0.9,
  safeguards: [{ type: 'dangerous_tool_use' }],
};

describe('toCodexRequest: request envelope', () => {
  it('translates a Claude Code-shaped request into exactly the keys the backend accepts', () => {
    const { body, thinkingDisplay } = toCodexRequest(claudeCodeLike, OPTS);
    expect(body).toEqual({
      model: 'gpt-5.2-codex',
      instructions: 'You are a coding agent.\n\nFollow the project rules.',
      input: [
        {
          type: 'message',
          role: 'user',
          content: [
            { type: 'input_text', text: '<system-reminder>be brief</system-reminder>' },
            { type: 'input_text', text: 'Say hi.' },
          ],
        },
        { type: 'message', role: 'developer', content: [{ type: 'input_text', text: '# Environment\ncwd: /tmp/x' }] },
      ],
      tools: [
        {
          type: 'function',
          name: 'Bash',
          description: 'Run a command',
          parameters: {
            type: 'object',
            properties: { command: { type: 'string' } },
            required: ['command'],
            additionalProperties: false,
          },
          strict: false,
        },
      ],
      tool_choice: 'auto',
      parallel_tool_calls: true,
      reasoning: { effort: 'medium', summary: 'auto' },
      store: false,
      stream: true,
      include: ['reasoning.encrypted_content'],
      prompt_cache_key: 'sess-1',
    });
    expect(thinkingDisplay).toBe('omitted');
  });

  it('never sends forbidden keys, anywhere', () => {
    const { body } = toCodexRequest(claudeCodeLike, OPTS);
    const allowed: readonly string[] = CODEX_REQUEST_KEYS;
    for (const key of Object.keys(body)) expect(allowed).toContain(key);
    const keys = allKeys(body);
    for (const forbidden of [
      'max_output_tokens',
      'max_tokens',
      'temperature',
      'top_p',
      'metadata',
      'safeguards',
      'context_management',
      'cache_control',
      'defer_loading',
      'id',
      '$schema',
    ]) {
      expect(keys).not.toContain(forbidden);
    }
    expect(JSON.stringify(body)).not.toContain('"role":"system"');
  });

  it('omits prompt_cache_key and tools when there are none', () => {
    const { body } = toCodexRequest(request([{ role: 'user', content: 'hi' }]), { model: 'gpt-5.2' });
    expect(body).not.toHaveProperty('prompt_cache_key');
    expect(body).not.toHaveProperty('tools');
    expect(body.tool_choice).toBe('auto');
  });
});

describe('toCodexRequest: instructions', () => {
  const instructionsOf = (system: MessagesRequest['system']) =>
    toCodexRequest(request([{ role: 'user', content: 'hi' }], { system }), OPTS).body.instructions;

  it('strips the billing line', () => {
    expect(
      instructionsOf([
        { type: 'text', text: 'x-anthropic-billing-header: cc_version=1; x;' },
        { type: 'text', text: 'Rules.' },
      ]),
    ).toBe('Rules.');
    expect(instructionsOf('x-anthropic-billing-header: a;\nRules in a string.')).toBe('Rules in a string.');
  });

  it('only strips the billing line when it comes first', () => {
    expect(
      instructionsOf([
        { type: 'text', text: 'A' },
        { type: 'text', text: 'x-anthropic-billing-header: b' },
      ]),
    ).toBe('A\n\nx-anthropic-billing-header: b');
  });

  it('sends empty instructions when nothing remains (the backend accepts "")', () => {
    for (const system of [undefined, '', [], [{ type: 'text' as const, text: 'x-anthropic-billing-header: z;' }]]) {
      expect(instructionsOf(system)).toBe('');
    }
  });
});

describe('toCodexRequest: messages', () => {
  it('accepts string and block content alike', () => {
    expect(input([{ role: 'user', content: 'plain' }])).toEqual([userText('plain')]);
    expect(
      input([
        {
          role: 'user',
          content: [
            { type: 'text', text: 'a' },
            { type: 'text', text: 'b' },
          ],
        },
      ]),
    ).toEqual([
      {
        type: 'message',
        role: 'user',
        content: [
          { type: 'input_text', text: 'a' },
          { type: 'input_text', text: 'b' },
        ],
      },
    ]);
    expect(
      input([
        { role: 'user', content: 'q' },
        { role: 'assistant', content: 'answer' },
      ]),
    ).toEqual([userText('q'), assistantText('answer')]);
  });

  it('turns system messages anywhere into developer messages in place', () => {
    const items = input([
      { role: 'system', content: 'first' },
      { role: 'user', content: 'q' },
      { role: 'assistant', content: [{ type: 'text', text: 'a' }] },
      {
        role: 'system',
        content: [
          { type: 'text', text: 'reminder' },
          { type: 'image', source: { type: 'url', url: 'https://x/y.png' } },
        ],
      },
      { role: 'user', content: 'q2' },
    ]);
    expect(items).toEqual([
      { type: 'message', role: 'developer', content: [{ type: 'input_text', text: 'first' }] },
      userText('q'),
      assistantText('a'),
      { type: 'message', role: 'developer', content: [{ type: 'input_text', text: 'reminder' }] },
      userText('q2'),
    ]);
  });

  it('sends images as data URLs or URLs and skips unusable ones', () => {
    const items = input([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'look' },
          { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0K' } },
          { type: 'image', source: { type: 'url', url: 'https://example.com/a.jpg' } },
          { type: 'image', source: { type: 'base64', media_type: 'image/png', data: '' } },
        ],
      },
    ]);
    expect(items).toEqual([
      {
        type: 'message',
        role: 'user',
        content: [
          { type: 'input_text', text: 'look' },
          { type: 'input_image', image_url: 'data:image/png;base64,iVBORw0K' },
          { type: 'input_image', image_url: 'https://example.com/a.jpg' },
        ],
      },
    ]);
  });

  it('sends PDFs as files and text documents as text', () => {
    const items = input([
      {
        role: 'user',
        content: [
          {
            type: 'document',
            source: { type: 'base64', media_type: 'application/pdf', data: 'JVBERi0x' },
            title: 'report',
          },
          { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: 'JVBERi0y' } },
          {
            type: 'document',
            source: { type: 'text', media_type: 'text/plain', data: 'notes body' },
            title: 'notes.txt',
          },
          {
            type: 'document',
            source: { type: 'base64', media_type: 'text/plain', data: Buffer.from('encoded text').toString('base64') },
          },
          { type: 'document', source: { type: 'content', content: [{ type: 'text', text: 'chunk' }] } },
          { type: 'document', source: { type: 'base64', media_type: 'application/zip', data: 'UEsDBA' } },
        ],
      },
    ]);
    expect(items).toEqual([
      {
        type: 'message',
        role: 'user',
        content: [
          { type: 'input_file', filename: 'report.pdf', file_data: 'data:application/pdf;base64,JVBERi0x' },
          { type: 'input_file', filename: 'document.pdf', file_data: 'data:application/pdf;base64,JVBERi0y' },
          { type: 'input_text', text: 'notes.txt\n\nnotes body' },
          { type: 'input_text', text: 'encoded text' },
          { type: 'input_text', text: 'chunk' },
        ],
      },
    ]);
  });

  it('skips unknown blocks and drops messages left empty', () => {
    const items = input([
      { role: 'user', content: [{ type: 'mystery_block', foo: 1 } as never, { type: 'text', text: '' }] },
      { role: 'user', content: '' },
      { role: 'assistant', content: [{ type: 'redacted_thinking', data: 'opaque' }] },
      { role: 'user', content: [{ type: 'text', text: 'real' }, { type: 'container_upload' } as never] },
    ]);
    expect(items).toEqual([userText('real')]);
  });

  it('refuses a conversation with nothing left to send, saying why', () => {
    for (const messages of [
      [{ role: 'user', content: [] }],
      [
        { role: 'user', content: '' },
        { role: 'assistant', content: [{ type: 'text', text: '' }] },
      ],
    ] as MessageParam[][]) {
      const attempt = () => input(messages);
      expect(attempt).toThrow(RequestError);
      expect(attempt).toThrow(/^messages: at least one message must have non-empty content/);
    }
  });
});

describe('toCodexRequest: tool calls and results', () => {
  const toolUse = (id: string, input: unknown, name = 'Bash') => ({ type: 'tool_use' as const, id, name, input });
  const toolResult = (id: string, content: unknown, extra: Record<string, unknown> = {}) =>
    ({ type: 'tool_result' as const, tool_use_id: id, content, ...extra }) as never;

  it('interleaves text, calls and outputs in conversation order', () => {
    const items = input([
      { role: 'user', content: 'write the file' },
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'I will write it.' },
          toolUse('call_1', { file_path: '/tmp/a', content: 'z' }, 'Write'),
          { type: 'text', text: 'after' },
        ],
      },
      {
        role: 'user',
        content: [
          toolResult('call_1', 'File created', { cache_control: { type: 'ephemeral' } }),
          { type: 'text', text: 'thanks' },
        ],
      },
    ]);
    expect(items).toEqual([
      userText('write the file'),
      assistantText('I will write it.'),
      { type: 'function_call', call_id: 'call_1', name: 'Write', arguments: '{"file_path":"/tmp/a","content":"z"}' },
      assistantText('after'),
      { type: 'function_call_output', call_id: 'call_1', output: 'File created' },
      userText('thanks'),
    ]);
  });

  it('keeps parallel results in completion order', () => {
    const items = input([
      { role: 'user', content: 'run both' },
      {
        role: 'assistant',
        content: [toolUse('toolu_a', { command: 'echo a' }), toolUse('toolu_b', { command: 'echo b' })],
      },
      {
        role: 'user',
        content: [toolResult('toolu_b', 'b', { is_error: false }), toolResult('toolu_a', 'a', { is_error: false })],
      },
    ]);
    expect(items.map((i) => `${i.type}:${'call_id' in i ? i.call_id : ''}`)).toEqual([
      'message:',
      'function_call:toolu_a',
      'function_call:toolu_b',
      'function_call_output:toolu_b',
      'function_call_output:toolu_a',
    ]);
  });

  it('translates tool result content: text blocks, images, tool references, errors', () => {
    const image = { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBOR' } };
    const items = input([
      {
        role: 'assistant',
        content: [
          toolUse('t1', {}),
          toolUse('t2', {}),
          toolUse('t3', {}),
          toolUse('t4', {}),
          toolUse('t5', {}),
          toolUse('t6', {}),
          toolUse('t7', {}),
          toolUse('t8', {}),
        ],
      },
      {
        role: 'user',
        content: [
          toolResult('t1', [
            { type: 'text', text: 'line 1' },
            { type: 'text', text: 'line 2' },
          ]),
          toolResult('t2', [image]),
          toolResult('t3', [
            { type: 'tool_reference', tool_name: 'WebSearch' },
            { type: 'tool_reference', tool_name: 'WebFetch' },
          ]),
          toolResult('t4', 'Permission denied', { is_error: true }),
          toolResult('t5', [{ type: 'text', text: 'bad' }, image], { is_error: true }),
          toolResult('t6', undefined),
          toolResult('t7', [image], { is_error: true }),
          toolResult('t8', '', { is_error: true }),
          { type: 'text', text: 'Tool loaded.' },
        ],
      },
    ]);
    const outputs = items.filter((i) => i.type === 'function_call_output').map((i) => i.output);
    expect(outputs).toEqual([
      'line 1\nline 2',
      [{ type: 'input_image', image_url: 'data:image/png;base64,iVBOR' }],
      'Tool loaded: WebSearch\nTool loaded: WebFetch',
      'Tool call failed:\nPermission denied',
      [
        { type: 'input_text', text: 'Tool call failed:\nbad' },
        { type: 'input_image', image_url: 'data:image/png;base64,iVBOR' },
      ],
      '',
      [
        { type: 'input_text', text: 'Tool call failed:' },
        { type: 'input_image', image_url: 'data:image/png;base64,iVBOR' },
      ],
      'Tool call failed:',
    ]);
    expect(items.at(-1)).toEqual(userText('Tool loaded.'));
  });

  it('sends the raw text of __unparsedToolInput when it is a JSON object, else {}', () => {
    const args = (inputValue: unknown) => {
      const items = input([
        { role: 'assistant', content: [toolUse('c1', inputValue)] },
        { role: 'user', content: [toolResult('c1', 'ok')] },
      ]);
      return (items[0] as Extract<InputItem, { type: 'function_call' }>).arguments;
    };
    expect(args({ __unparsedToolInput: { raw: '{"command": "ls"}', len: 17 } })).toBe('{"command": "ls"}');
    expect(args({ __unparsedToolInput: { raw: '{"command": "l', len: 14 } })).toBe('{}');
    expect(args({ __unparsedToolInput: { raw: '[1,2]' } })).toBe('{}');
    expect(args(undefined)).toBe('{}');
    expect(args({})).toBe('{}');
  });

  it('turns an output without an earlier call into a user note', () => {
    const items = input([
      { role: 'user', content: [toolResult('gone', 'old output'), { type: 'text', text: 'continue' }] },
    ]);
    expect(items).toHaveLength(2);
    expect(items[0]).toMatchObject({ type: 'message', role: 'user' });
    expect(JSON.stringify(items[0])).toContain('old output');
    expect(items.some((i) => i.type === 'function_call_output')).toBe(false);
  });

  it('treats a second output for the same call as an orphan', () => {
    const items = input([
      { role: 'assistant', content: [toolUse('c1', {})] },
      { role: 'user', content: [toolResult('c1', 'first'), toolResult('c1', 'second')] },
    ]);
    expect(items.filter((i) => i.type === 'function_call_output')).toEqual([
      { type: 'function_call_output', call_id: 'c1', output: 'first' },
    ]);
  });

  it('answers unanswered calls before the next user message and at the end', () => {
    const items = input([
      { role: 'assistant', content: [toolUse('c1', {}), toolUse('c2', {})] },
      { role: 'user', content: [toolResult('c2', 'two'), { type: 'text', text: 'stop, do something else' }] },
      { role: 'assistant', content: [{ type: 'text', text: 'ok' }, toolUse('c3', {})] },
    ]);
    expect(items).toEqual([
      { type: 'function_call', call_id: 'c1', name: 'Bash', arguments: '{}' },
      { type: 'function_call', call_id: 'c2', name: 'Bash', arguments: '{}' },
      { type: 'function_call_output', call_id: 'c2', output: 'two' },
      { type: 'function_call_output', call_id: 'c1', output: 'No result was returned for this call.' },
      userText('stop, do something else'),
      assistantText('ok'),
      { type: 'function_call', call_id: 'c3', name: 'Bash', arguments: '{}' },
      { type: 'function_call_output', call_id: 'c3', output: 'No result was returned for this call.' },
    ]);
  });

  it('gives a tool_use id reused after its result its own call id and an output', () => {
    const items = input([
      { role: 'user', content: 'run it twice' },
      { role: 'assistant', content: [toolUse('call_0', {})] },
      { role: 'user', content: [toolResult('call_0', 'done')] },
      { role: 'assistant', content: [toolUse('call_0', {})] },
    ]);
    expect(items.slice(1)).toEqual([
      { type: 'function_call', call_id: 'call_0', name: 'Bash', arguments: '{}' },
      { type: 'function_call_output', call_id: 'call_0', output: 'done' },
      { type: 'function_call', call_id: 'call_0_2', name: 'Bash', arguments: '{}' },
      { type: 'function_call_output', call_id: 'call_0_2', output: 'No result was returned for this call.' },
    ]);
  });

  it('maps call ids the backend would reject consistently on both sides', () => {
    const id = 'toolu:ünïcode/' + 'x'.repeat(80);
    const items = input([
      { role: 'assistant', content: [toolUse(id, {})] },
      { role: 'user', content: [toolResult(id, 'done')] },
    ]);
    const [call, output] = items as [
      Extract<InputItem, { type: 'function_call' }>,
      Extract<InputItem, { type: 'function_call_output' }>,
    ];
    expect(call.call_id).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
    expect(output.call_id).toBe(call.call_id);
  });

  it('renames illegal tool names the same way in tools, history and tool_choice, and reverses them', () => {
    const name = 'mcp__files.v2__read:all';
    const { body, toolNames } = toCodexRequest(
      request(
        [
          { role: 'assistant', content: [toolUse('c1', { path: '/' }, name)] },
          { role: 'user', content: [toolResult('c1', 'listing')] },
        ],
        {
          tools: [{ name, description: 'read', input_schema: { type: 'object' } }],
          tool_choice: { type: 'tool', name },
        },
      ),
      OPTS,
    );
    const upstream = toolNames.toUpstream(name);
    expect(upstream).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
    expect(body.tools?.[0]).toMatchObject({ name: upstream });
    expect(body.input[0]).toMatchObject({ type: 'function_call', name: upstream });
    expect(body.tool_choice).toEqual({ type: 'function', name: upstream });
    expect(toolNames.fromUpstream(upstream)).toBe(name);
  });
});

describe('toCodexRequest: thinking history', () => {
  it('replays our signed thinking as reasoning where the block was, and drops foreign ones', () => {
    const items = input([
      { role: 'user', content: 'go' },
      {
        role: 'assistant',
        content: [
          { type: 'thinking', thinking: 'I should run echo.', signature: encodeSignature('gAAAAenc-1') },
          { type: 'thinking', thinking: 'from elsewhere', signature: 'EqQBCkYIBxgCIkBforeign==' },
          { type: 'redacted_thinking', data: 'abc' },
          { type: 'tool_use', id: 'c1', name: 'Bash', input: { command: 'echo' } },
          { type: 'thinking', thinking: '', signature: encodeSignature('gAAAAenc-2') },
          { type: 'text', text: 'done' },
        ],
      },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'c1', content: 'ok' }] },
    ]);
    expect(items).toEqual([
      userText('go'),
      {
        type: 'reasoning',
        summary: [{ type: 'summary_text', text: 'I should run echo.' }],
        encrypted_content: 'gAAAAenc-1',
      },
      { type: 'function_call', call_id: 'c1', name: 'Bash', arguments: '{"command":"echo"}' },
      { type: 'reasoning', summary: [], encrypted_content: 'gAAAAenc-2' },
      assistantText('done'),
      { type: 'function_call_output', call_id: 'c1', output: 'ok' },
    ]);
  });
});

describe('toCodexRequest: web search history', () => {
  it('replays search results as assistant text, never as server items', () => {
    const items = input([
      { role: 'user', content: 'news?' },
      {
        role: 'assistant',
        content: [
          { type: 'server_tool_use', id: 'srvtoolu_1', name: 'web_search', input: { query: 'fake news' } },
          {
            type: 'web_search_tool_result',
            tool_use_id: 'srvtoolu_1',
            content: [
              { type: 'web_search_result', url: 'https://example.com/one', title: 'One', encrypted_content: 'x' },
              { type: 'web_search_result', url: 'https://example.org/two', title: '' },
            ],
          },
          { type: 'text', text: 'Here is what I found.' },
        ],
      },
      {
        role: 'assistant',
        content: [
          {
            type: 'web_search_tool_result',
            tool_use_id: 'srvtoolu_2',
            content: { type: 'web_search_tool_result_error', error_code: 'max_uses_exceeded' },
          },
        ],
      },
    ]);
    expect(items).toEqual([
      userText('news?'),
      {
        type: 'message',
        role: 'assistant',
        content: [
          {
            type: 'output_text',
            text: 'Web search for "fake news" results:\n- One (https://example.com/one)\n- https://example.org/two',
          },
          { type: 'output_text', text: 'Here is what I found.' },
        ],
      },
      assistantText('Web search failed: max_uses_exceeded'),
    ]);
  });
});

describe('toCodexRequest: tool_choice and parallel calls', () => {
  const tools = [{ name: 'Bash', input_schema: { type: 'object' } }];
  const translate = (extra: Partial<MessagesRequest>, opts: Partial<RequestTranslationOptions> = {}) =>
    toCodexRequest(request([{ role: 'user', content: 'x' }], { tools, ...extra }), { ...OPTS, ...opts }).body;

  it('maps tool_choice', () => {
    expect(translate({}).tool_choice).toBe('auto');
    expect(translate({ tool_choice: { type: 'auto' } }).tool_choice).toBe('auto');
    expect(translate({ tool_choice: { type: 'any' } }).tool_choice).toBe('required');
    expect(translate({ tool_choice: { type: 'none' } }).tool_choice).toBe('none');
    expect(translate({ tool_choice: { type: 'tool', name: 'Bash' } }).tool_choice).toEqual({
      type: 'function',
      name: 'Bash',
    });
  });

  it('ignores malformed tools and tool_choice instead of failing the request', () => {
    for (const malformed of [{}, 'Bash', 0, true, null]) {
      const body = translate({ tools: malformed as never, tool_choice: { type: 'tool', name: 'Bash' } });
      expect(body.tools).toBeUndefined();
      expect(body.tool_choice).toBe('auto');
    }
    expect(translate({ tool_choice: { type: 'tool', name: { not: 'a string' } } as never }).tool_choice).toBe('auto');
    expect(translate({ tool_choice: 'any' as never }).tool_choice).toBe('auto');
  });

  it('sets parallel_tool_calls from the client and the model', () => {
    expect(translate({}).parallel_tool_calls).toBe(true);
    expect(translate({ tool_choice: { type: 'auto', disable_parallel_tool_use: true } }).parallel_tool_calls).toBe(
      false,
    );
    expect(translate({ tool_choice: { type: 'any', disable_parallel_tool_use: false } }).parallel_tool_calls).toBe(
      true,
    );
    expect(translate({}, { supportsParallelToolCalls: false }).parallel_tool_calls).toBe(false);
  });
});

describe('toCodexRequest: purity', () => {
  it('is deterministic and does not mutate the request', () => {
    const copy = structuredClone(claudeCodeLike);
    const a = toCodexRequest(claudeCodeLike, OPTS).body;
    const b = toCodexRequest(claudeCodeLike, OPTS).body;
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(claudeCodeLike).toEqual(copy);
  });
});
