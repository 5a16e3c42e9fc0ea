import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ChatRequestError, chatToMessagesRequest } from '../../../main/core/openai/chat-to-anthropic.js';

const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8/5+hHgAHggJ/PchI7wAAAABJRU5ErkJggg==';

function translate(body: Record<string, unknown>) {
  return chatToMessagesRequest({ model: 'claude-sonnet-4-5', ...body });
}

describe('chatToMessagesRequest', () => {
  it('puts leading system and developer messages into `system` and keeps later ones in place', () => {
    const { request } = translate({
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'developer', content: [{ type: 'text', text: 'Use metric units.' }] },
        { role: 'user', content: 'How far is it?' },
        { role: 'assistant', content: '3 km.' },
        { role: 'developer', content: 'Now answer in French.' },
        { role: 'user', content: 'And back?' },
      ],
    });
    expect(request.system).toEqual([
      { type: 'text', text: 'Be brief.' },
      { type: 'text', text: 'Use metric units.' },
    ]);
    expect(request.messages).toEqual([
      { role: 'user', content: 'How far is it?' },
      { role: 'assistant', content: [{ type: 'text', text: '3 km.' }] },
      { role: 'system', content: 'Now answer in French.' },
      { role: 'user', content: 'And back?' },
    ]);
  });

  it('turns image_url parts (data URLs and http URLs) into image blocks', () => {
    const { request } = translate({
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Compare these.' },
            { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG}`, detail: 'high' } },
            { type: 'image_url', image_url: { url: 'https://example.com/cat.jpg' } },
            { type: 'input_audio', input_audio: { data: 'x', format: 'wav' } },
          ],
        },
      ],
    });
    expect(request.messages[0].content).toEqual([
      { type: 'text', text: 'Compare these.' },
      { type: 'image', source: { type: 'base64', media_type: 'image/png', data: PNG } },
      { type: 'image', source: { type: 'url', url: 'https://example.com/cat.jpg' } },
    ]);
  });

  it('turns a PDF file part into a document block', () => {
    const { request } = translate({
      messages: [{ role: 'user', content: [{ type: 'file', file: { filename: 'a.pdf', file_data: 'data:application/pdf;base64,JVBERi0=' } }] }],
    });
    expect(request.messages[0].content).toEqual([
      { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: 'JVBERi0=' }, title: 'a.pdf' },
    ]);
  });

  it('maps a tool round trip, grouping consecutive tool messages into one user turn', () => {
    const { request } = translate({
      messages: [
        { role: 'user', content: 'Weather in Paris and Rome?' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
            { id: 'call_2', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Rome"}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'call_2', content: 'sunny' },
        { role: 'tool', tool_call_id: 'call_1', content: [{ type: 'text', text: 'rain' }] },
        { role: 'user', content: 'Thanks' },
      ],
    });
    expect(request.messages).toEqual([
      { role: 'user', content: 'Weather in Paris and Rome?' },
      {
        role: 'assistant',
        content: [
          { type: 'tool_use', id: 'call_1', name: 'get_weather', input: { city: 'Paris' } },
          { type: 'tool_use', id: 'call_2', name: 'get_weather', input: { city: 'Rome' } },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'call_2', content: 'sunny' },
          { type: 'tool_result', tool_use_id: 'call_1', content: 'rain' },
        ],
      },
      { role: 'user', content: 'Thanks' },
    ]);
  });

  it('keeps assistant text next to its tool calls and survives broken arguments', () => {
    const { request } = translate({
      messages: [
        { role: 'user', content: 'go' },
        { role: 'assistant', content: 'Looking.', tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: '{oops' } }] },
        { role: 'tool', tool_call_id: 'c', content: 'done' },
      ],
    });
    expect(request.messages[1]).toEqual({
      role: 'assistant',
      content: [
        { type: 'text', text: 'Looking.' },
        { type: 'tool_use', id: 'c', name: 'f', input: {} },
      ],
    });
  });

  it('maps tools, tool_choice and parallel_tool_calls', () => {
    const tools = [
      { type: 'function', function: { name: 'get_weather', description: 'Weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } },
      { type: 'function', function: { name: 'now' } },
    ];
    const base = { messages: [{ role: 'user', content: 'hi' }], tools };
    const { request } = translate({ ...base, tool_choice: 'auto' });
    expect(request.tools).toEqual([
      { name: 'get_weather', description: 'Weather', input_schema: { type: 'object', properties: { city: { type: 'string' } } } },
      { name: 'now', input_schema: { type: 'object', properties: {} } },
    ]);
    expect(request.tool_choice).toEqual({ type: 'auto' });
    expect(translate({ ...base, tool_choice: 'none' }).request.tool_choice).toEqual({ type: 'none' });
    expect(translate({ ...base, tool_choice: 'required' }).request.tool_choice).toEqual({ type: 'any' });
    expect(translate({ ...base, tool_choice: { type: 'function', function: { name: 'now' } } }).request.tool_choice).toEqual({ type: 'tool', name: 'now' });
    expect(translate({ ...base, parallel_tool_calls: false }).request.tool_choice).toEqual({ type: 'auto', disable_parallel_tool_use: true });
    expect(translate({ ...base, tool_choice: 'required', parallel_tool_calls: false }).request.tool_choice).toEqual({ type: 'any', disable_parallel_tool_use: true });
    expect(translate(base).request.tool_choice).toBeUndefined();
    expect(translate({ messages: base.messages, tool_choice: 'required' }).request.tool_choice).toBeUndefined();
  });

  it('maps reasoning_effort, token limits, sampling and stop; passes the model through', () => {
    const { request, stream, includeUsage } = chatToMessagesRequest({
      model: 'gpt-5.2-codex',
      messages: [{ role: 'user', content: 'hi' }],
      reasoning_effort: 'high',
      max_tokens: 100,
      max_completion_tokens: 200,
      temperature: 0.2,
      top_p: 0.9,
      stop: 'END',
      stream: true,
      stream_options: { include_usage: true },
      logprobs: true,
      n: 1,
    });
    expect(request).toMatchObject({
      model: 'gpt-5.2-codex',
      output_config: { effort: 'high' },
      max_tokens: 200,
      temperature: 0.2,
      top_p: 0.9,
      stop_sequences: ['END'],
      stream: true,
    });
    expect(stream).toBe(true);
    expect(includeUsage).toBe(true);
    expect(translate({ messages: [{ role: 'user', content: 'x' }], max_tokens: 5 }).request.max_tokens).toBe(5);
    expect(translate({ messages: [{ role: 'user', content: 'x' }], stream_options: { include_usage: true } }).includeUsage).toBe(false);
  });

  it.each([
    ['a non-object body', [], null],
    ['a missing model', { messages: [{ role: 'user', content: 'x' }] }, 'model'],
    ['missing messages', { model: 'claude-sonnet-4-5' }, 'messages'],
    ['empty messages', { model: 'claude-sonnet-4-5', messages: [] }, 'messages'],
    ['an unknown role', { model: 'claude-sonnet-4-5', messages: [{ role: 'robot', content: 'x' }] }, 'messages[0].role'],
    ['a tool message without id', { model: 'claude-sonnet-4-5', messages: [{ role: 'tool', content: 'x' }] }, 'messages[0].tool_call_id'],
    ['only system messages', { model: 'claude-sonnet-4-5', messages: [{ role: 'system', content: 'x' }] }, 'messages'],
  ])('rejects %s with a ChatRequestError naming the param', (_name, body, param) => {
    let error: unknown;
    try {
      chatToMessagesRequest(body);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ChatRequestError);
    expect((error as ChatRequestError).param).toBe(param);
  });

  it('throws nothing but ChatRequestError, whatever the JSON', () => {
    const part = fc.record({ type: fc.constantFrom('text', 'image_url', 'file', 'refusal', 'input_audio'), text: fc.jsonValue(), image_url: fc.jsonValue(), file: fc.jsonValue() }, { requiredKeys: ['type'] });
    const message = fc.record(
      {
        role: fc.constantFrom('system', 'developer', 'user', 'assistant', 'tool', 'function'),
        content: fc.oneof(fc.string(), fc.array(part), fc.jsonValue()),
        tool_calls: fc.oneof(fc.jsonValue(), fc.array(fc.record({ id: fc.jsonValue(), type: fc.constant('function'), function: fc.oneof(fc.jsonValue(), fc.record({ name: fc.string(), arguments: fc.jsonValue() })) }))),
        tool_call_id: fc.oneof(fc.string(), fc.jsonValue()),
      },
      { requiredKeys: ['role'] },
    );
    const body = fc.oneof(
      fc.jsonValue(),
      fc.record({
        model: fc.oneof(fc.string(), fc.jsonValue()),
        messages: fc.oneof(fc.array(message), fc.jsonValue()),
        tools: fc.oneof(fc.jsonValue(), fc.array(fc.record({ type: fc.constant('function'), function: fc.record({ name: fc.string(), description: fc.jsonValue(), parameters: fc.jsonValue() }) }))),
        tool_choice: fc.jsonValue(),
        stop: fc.jsonValue(),
        stream_options: fc.jsonValue(),
      }),
    );
    fc.assert(
      fc.property(body, (b) => {
        try {
          chatToMessagesRequest(b);
        } catch (err) {
          expect(err).toBeInstanceOf(ChatRequestError);
        }
      }),
      { numRuns: 500 },
    );
  });
});
