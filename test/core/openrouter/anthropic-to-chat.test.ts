import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { MessagesRequest } from '../../../shared/anthropic.js';
import { anthropicToChatRequest } from '../../../main/core/openrouter/anthropic-to-chat.js';
import { chatToMessagesRequest } from '../../../main/core/openai/chat-to-anthropic.js';
import { validateChatRequest } from '../../fakes/openrouter.js';

const MODEL = 'minimax/minimax-m2.5';
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8/5+hHgAHggJ/PchI7wAAAABJRU5ErkJggg==';

function translate(req: Partial<MessagesRequest>) {
  const out = anthropicToChatRequest({ model: 'claude-haiku-4-5', messages: [], ...req } as MessagesRequest, MODEL);
  // Everything we send must pass the strict fake's checks.
  expect(validateChatRequest(out.body, [MODEL])).toBeNull();
  return out;
}

describe('anthropicToChatRequest', () => {
  it('sends system text without the billing line, and streams with usage', () => {
    const { body } = translate({
      system: [
        { type: 'text', text: 'x-anthropic-billing-header: cc_version=2.1.331; cch=abc;' },
        { type: 'text', text: 'You are Claude Code.', cache_control: { type: 'ephemeral' } },
      ],
      messages: [{ role: 'user', content: 'Summarise this.' }],
      max_tokens: 32000,
    });
    expect(body).toEqual({
      model: MODEL,
      messages: [
        { role: 'system', content: 'You are Claude Code.' },
        { role: 'user', content: 'Summarise this.' },
      ],
      max_tokens: 32000,
      stream: true,
      stream_options: { include_usage: true },
    });
  });

  it('keeps mid-conversation system messages in place', () => {
    const { body } = translate({
      messages: [
        { role: 'user', content: 'a' },
        { role: 'assistant', content: [{ type: 'text', text: 'b' }] },
        { role: 'system', content: [{ type: 'text', text: 'Environment changed.' }] },
        { role: 'user', content: 'c' },
      ],
    });
    expect(body.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'system', 'user']);
    expect(body.messages[2]).toEqual({ role: 'system', content: 'Environment changed.' });
  });

  it('sends images (base64 and URL) and PDFs as content parts', () => {
    const { body } = translate({
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is in these?' },
            { type: 'image', source: { type: 'base64', media_type: 'image/png', data: PNG } },
            { type: 'image', source: { type: 'url', url: 'https://example.com/a.jpg' } },
            { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: 'JVBERi0=' }, title: 'spec.pdf' },
            { type: 'thinking', thinking: 'dropped', signature: 's' },
          ],
        },
      ],
    });
    expect(body.messages[0]).toEqual({
      role: 'user',
      content: [
        { type: 'text', text: 'What is in these?' },
        { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG}` } },
        { type: 'image_url', image_url: { url: 'https://example.com/a.jpg' } },
        { type: 'file', file: { filename: 'spec.pdf', file_data: 'data:application/pdf;base64,JVBERi0=' } },
      ],
    });
  });

  it('maps a tool round trip with parallel calls; results answered in completion order come first', () => {
    const { body } = translate({
      messages: [
        { role: 'user', content: 'List and read.' },
        {
          role: 'assistant',
          content: [
            { type: 'thinking', thinking: 'plan', signature: 'ccp1.xyz' },
            { type: 'text', text: 'On it.' },
            { type: 'tool_use', id: 'toolu_a', name: 'Bash', input: { command: 'ls' } },
            { type: 'tool_use', id: 'toolu_b', name: 'Read', input: { file_path: '/x' } },
          ],
        },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 'toolu_b', content: [{ type: 'text', text: 'file body' }], cache_control: { type: 'ephemeral' } },
            { type: 'tool_result', tool_use_id: 'toolu_a', content: 'a.txt', is_error: true },
            { type: 'text', text: '<system-reminder>keep going</system-reminder>' },
          ],
        },
      ],
    });
    expect(body.messages.slice(1)).toEqual([
      {
        role: 'assistant',
        content: 'On it.',
        tool_calls: [
          { id: 'toolu_a', type: 'function', function: { name: 'Bash', arguments: '{"command":"ls"}' } },
          { id: 'toolu_b', type: 'function', function: { name: 'Read', arguments: '{"file_path":"/x"}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'toolu_b', content: 'file body' },
      { role: 'tool', tool_call_id: 'toolu_a', content: 'Tool call failed: a.txt' },
      { role: 'user', content: '<system-reminder>keep going</system-reminder>' },
    ]);
  });

  it('moves images a tool returned into the following user turn', () => {
    const { body } = translate({
      messages: [
        { role: 'assistant', content: [{ type: 'tool_use', id: 't1', name: 'Screenshot', input: {} }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1', content: [{ type: 'image', source: { type: 'base64', media_type: 'image/png', data: PNG } }] }] },
      ],
    });
    expect(body.messages).toEqual([
      { role: 'assistant', content: null, tool_calls: [{ id: 't1', type: 'function', function: { name: 'Screenshot', arguments: '{}' } }] },
      { role: 'tool', tool_call_id: 't1', content: 'No output.' },
      { role: 'user', content: [{ type: 'image_url', image_url: { url: `data:image/png;base64,${PNG}` } }] },
    ]);
  });

  it('repairs orphan results and unanswered calls so the request is accepted', () => {
    const { body } = translate({
      messages: [
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'gone', content: 'old output' }] },
        { role: 'assistant', content: [{ type: 'tool_use', id: 'open', name: 'Bash', input: {} }] },
        { role: 'user', content: 'never mind' },
      ],
    });
    expect(body.messages).toEqual([
      { role: 'user', content: 'Result of tool call gone: old output' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'open', type: 'function', function: { name: 'Bash', arguments: '{}' } }] },
      { role: 'tool', tool_call_id: 'open', content: 'No result was returned for this call.' },
      { role: 'user', content: 'never mind' },
    ]);
  });

  it('sends custom tools with cleaned schemas, drops server tools, renames illegal names reversibly', () => {
    const long = `mcp__${'x'.repeat(70)}`;
    const { body, toolNames } = translate({
      messages: [{ role: 'user', content: 'hi' }],
      tools: [
        { name: 'Bash', description: 'Run', input_schema: { $schema: 'http://json-schema.org/draft-07/schema#', type: 'object', properties: { command: { type: 'string' } } }, cache_control: { type: 'ephemeral' } },
        { name: long, input_schema: { type: 'object', properties: {} }, defer_loading: true },
        { type: 'web_search_20250305', name: 'web_search', max_uses: 5 },
      ],
      tool_choice: { type: 'tool', name: long, disable_parallel_tool_use: true },
    });
    const upstream = toolNames.toUpstream(long);
    expect(upstream.length).toBeLessThanOrEqual(64);
    expect(toolNames.fromUpstream(upstream)).toBe(long);
    expect(body.tools).toEqual([
      { type: 'function', function: { name: 'Bash', description: 'Run', parameters: { type: 'object', properties: { command: { type: 'string' } } } } },
      { type: 'function', function: { name: upstream, parameters: { type: 'object', properties: {} } } },
    ]);
    expect(body.tool_choice).toEqual({ type: 'function', function: { name: upstream } });
    expect(body.parallel_tool_calls).toBe(false);
  });

  it.each([
    [{ type: 'auto' }, 'auto'],
    [{ type: 'any' }, 'required'],
    [{ type: 'none' }, 'none'],
  ] as const)('maps tool_choice %j to %j', (choice, expected) => {
    const { body } = translate({ messages: [{ role: 'user', content: 'x' }], tools: [{ name: 'f', input_schema: { type: 'object' } }], tool_choice: choice });
    expect(body.tool_choice).toBe(expected);
  });

  it('omits tool_choice when there are no tools', () => {
    const { body } = translate({ messages: [{ role: 'user', content: 'x' }], tool_choice: { type: 'any' } });
    expect(body).not.toHaveProperty('tool_choice');
    expect(body).not.toHaveProperty('tools');
  });

  it.each([
    [{ thinking: { type: 'adaptive', display: 'omitted' }, output_config: { effort: 'medium' } }, { effort: 'medium', exclude: true }],
    [{ output_config: { effort: 'max' } }, { effort: 'high', exclude: true }],
    [{ thinking: { type: 'enabled', budget_tokens: 4096 } }, { max_tokens: 4096, exclude: true }],
    [{ thinking: { type: 'disabled' }, output_config: { effort: 'high' } }, undefined],
    [{ thinking: { type: 'adaptive' } }, undefined],
  ] as const)('maps thinking/effort %j to reasoning %j', (fields, reasoning) => {
    const { body } = translate({ messages: [{ role: 'user', content: 'x' }], ...(fields as Partial<MessagesRequest>) });
    expect(body.reasoning).toEqual(reasoning);
  });

  it('passes sampling parameters through and drops Anthropic-only fields', () => {
    const { body } = translate({
      messages: [{ role: 'user', content: 'x' }],
      temperature: 0.5,
      top_p: 0.8,
      top_k: 40,
      stop_sequences: ['STOP'],
      metadata: { user_id: '{"session_id":"s"}' },
      context_management: { edits: [] },
    });
    expect(body).toMatchObject({ temperature: 0.5, top_p: 0.8, top_k: 40, stop: ['STOP'] });
    expect(body).not.toHaveProperty('metadata');
    expect(body).not.toHaveProperty('context_management');
  });

  it('agrees with the reverse translator on a plain conversation', () => {
    const req: MessagesRequest = {
      model: 'claude-haiku-4-5',
      system: [{ type: 'text', text: 'Be terse.' }],
      messages: [
        { role: 'user', content: 'Weather?' },
        { role: 'assistant', content: [{ type: 'text', text: 'Checking.' }, { type: 'tool_use', id: 'c1', name: 'w', input: { q: 1 } }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'c1', content: 'sunny' }] },
      ],
      tools: [{ name: 'w', description: 'weather', input_schema: { type: 'object', properties: { q: { type: 'number' } } } }],
    };
    const back = chatToMessagesRequest(anthropicToChatRequest(req, MODEL).body).request;
    expect(back.system).toEqual(req.system);
    expect(back.messages).toEqual([{ role: 'user', content: 'Weather?' }, req.messages[1], req.messages[2]]);
    expect(back.tools).toEqual(req.tools);
  });

  it('never throws and always sends a request the strict fake accepts, for any structurally valid request', () => {
    const id = fc.constantFrom('t1', 't2', 't3', 'mcp__a.b');
    const block = fc.oneof(
      fc.record({ type: fc.constant('text'), text: fc.oneof(fc.string(), fc.jsonValue()) }),
      fc.record({ type: fc.constant('image'), source: fc.oneof(fc.jsonValue(), fc.record({ type: fc.constant('base64'), media_type: fc.constant('image/png'), data: fc.string() })) }),
      fc.record({ type: fc.constant('document'), source: fc.jsonValue(), title: fc.jsonValue() }),
      fc.record({ type: fc.constant('tool_use'), id, name: fc.oneof(fc.constantFrom('Bash', 'mcp__srv__x.y', 'x'.repeat(80)), fc.jsonValue()), input: fc.jsonValue() }),
      fc.record({ type: fc.constant('tool_result'), tool_use_id: fc.oneof(id, fc.jsonValue()), content: fc.oneof(fc.string(), fc.array(fc.record({ type: fc.constantFrom('text', 'image', 'tool_reference'), text: fc.string(), tool_name: fc.string() }))), is_error: fc.boolean() }),
      fc.record({ type: fc.constantFrom('thinking', 'redacted_thinking', 'server_tool_use', 'mystery'), thinking: fc.string() }),
    );
    const message = fc.record({ role: fc.constantFrom('user', 'assistant', 'system'), content: fc.oneof(fc.string(), fc.array(block, { maxLength: 5 })) });
    const request = fc.record({
      model: fc.constant('claude-haiku-4-5'),
      messages: fc.array(message, { minLength: 1, maxLength: 8 }),
      system: fc.oneof(fc.string(), fc.jsonValue()),
      tools: fc.oneof(fc.jsonValue(), fc.array(fc.record({ name: fc.constantFrom('Bash', 'mcp__srv__x.y'), input_schema: fc.jsonValue(), description: fc.jsonValue() }))),
      tool_choice: fc.oneof(fc.constant(undefined), fc.record({ type: fc.constantFrom('auto', 'any', 'none') }), fc.record({ type: fc.constant('tool'), name: fc.constant('Bash') })),
      thinking: fc.jsonValue(),
      output_config: fc.jsonValue(),
      stop_sequences: fc.jsonValue(),
      max_tokens: fc.jsonValue(),
    });
    fc.assert(
      fc.property(request, (req) => {
        const { body } = anthropicToChatRequest(req as unknown as MessagesRequest, MODEL);
        // An empty conversation is the only thing the fake may refuse: the caller never sends one.
        if (body.messages.length) expect(validateChatRequest(body, [MODEL])).toBeNull();
      }),
      { numRuns: 500 },
    );
  });
});
