// The official `openai` SDK against /v1/chat/completions of the real server over the strict fake
// Codex backend: streaming text, a tool round trip, non-streaming, an error.
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestProxy, type TestProxy } from '../support/proxy.js';
import { ev } from '../fakes/codex-events.js';
import { echoScript, type RecordedRequest } from '../fakes/codex-backend.js';

interface Item {
  type: string;
  call_id?: string;
  output?: unknown;
}

function lastInput(req: RecordedRequest): Item | undefined {
  return (req.body as { input: Item[] }).input.at(-1);
}

describe('official openai SDK against /v1/chat/completions', () => {
  let p: TestProxy;
  let client: OpenAI;
  beforeAll(async () => {
    p = await startTestProxy();
    client = new OpenAI({ baseURL: `${p.url}/v1`, apiKey: 'test', maxRetries: 0 });
    p.fake.setScript((req) =>
      lastInput(req)?.type === 'function_call_output'
        ? { kind: 'sse', events: [ev.created(), ...ev.textMessage('It is sunny in Paris.'), ev.completed()] }
        : JSON.stringify(req.body).includes('weather')
          ? {
              kind: 'sse',
              events: [ev.created(), ...ev.functionCall('call_w1', 'get_weather', '{"city":"Paris"}'), ev.completed()],
            }
          : {
              kind: 'sse',
              events: [
                ev.created(),
                ...ev.textMessage('Streaming works fine.'),
                ev.completed({ input_tokens: 40, cached_tokens: 10, output_tokens: 5 }),
              ],
            },
    );
  });
  afterAll(async () => {
    await p?.close();
  });

  it('streams text chunks and a usage chunk', async () => {
    const stream = await client.chat.completions.create({
      model: 'claude-sonnet-5-5',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Say something.' },
      ],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let finish: string | null = null;
    let usage: OpenAI.CompletionUsage | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
      usage = chunk.usage ?? usage;
    }
    expect(text).toBe('Streaming works fine.');
    expect(finish).toBe('stop');
    expect(usage).toMatchObject({ prompt_tokens: 40, completion_tokens: 5, total_tokens: 45 });
  });

  it('completes a tool call round trip', async () => {
    const tools: OpenAI.ChatCompletionTool[] = [
      {
        type: 'function',
        function: {
          name: 'get_weather',
          description: 'Weather for a city',
          parameters: { type: 'object', properties: { city: { type: 'string' } } },
        },
      },
    ];
    const messages: OpenAI.ChatCompletionMessageParam[] = [{ role: 'user', content: 'What is the weather in Paris?' }];
    const first = await client.chat.completions.create({ model: 'gpt-5.5', messages, tools });
    const call = first.choices[0].message.tool_calls?.[0];
    expect(first.choices[0].finish_reason).toBe('tool_calls');
    expect(call?.type === 'function' && call.function).toEqual({ name: 'get_weather', arguments: '{"city":"Paris"}' });
    messages.push(first.choices[0].message, { role: 'tool', tool_call_id: call!.id, content: 'sunny, 24°C' });
    const second = await client.chat.completions.create({ model: 'gpt-5.5', messages, tools });
    expect(second.choices[0].message.content).toBe('It is sunny in Paris.');
    const upstream = p.fake.requests.filter((r) => !r.rejected && r.path.endsWith('/responses')).at(-1)!;
    expect(lastInput(upstream)).toMatchObject({ type: 'function_call_output', call_id: call!.id });
  });

  it('answers non-streaming requests', async () => {
    const res = await client.chat.completions.create({
      model: 'claude-haiku-5-5',
      messages: [{ role: 'user', content: 'Hi' }],
    });
    expect(res.object).toBe('chat.completion');
    expect(res.choices[0].message).toMatchObject({ role: 'assistant', content: 'Streaming works fine.' });
    const row = p.core.logs
      .recent(100)
      .find((e) => e.request?.path === '/v1/chat/completions' && e.request.model === 'claude-haiku-5-5');
    expect(row?.request).toMatchObject({ status: 200, upstream_model: 'gpt-6-luna', account: expect.any(String) });
  });

  it('surfaces errors as the SDK error classes', async () => {
    await expect(
      client.chat.completions.create({ model: 'no-such-model', messages: [{ role: 'user', content: 'Hi' }] }),
    ).rejects.toBeInstanceOf(OpenAI.NotFoundError);
    await expect(client.chat.completions.create({ model: 'gpt-5.5', messages: [] })).rejects.toBeInstanceOf(
      OpenAI.BadRequestError,
    );
  });

  it('carries response_format json_schema to text.format and returns schema-shaped JSON', async () => {
    p.fake.setScript(echoScript);
    const schema = {
      type: 'object',
      properties: { city: { type: 'string' }, sunny: { type: 'boolean' } },
      required: ['city', 'sunny'],
      additionalProperties: false,
    };
    const res = await client.chat.completions.create({
      model: 'claude-sonnet-5-5',
      messages: [{ role: 'user', content: 'Describe the city.' }],
      response_format: { type: 'json_schema', json_schema: { name: 'city_report', schema, strict: true } },
    });
    expect(JSON.parse(res.choices[0].message.content ?? '')).toEqual({ city: 'ok', sunny: true });
    const sent = p.fake.requests.at(-1)?.body as { text?: { format?: unknown } };
    expect(sent.text?.format).toEqual({ type: 'json_schema', name: 'city_report', schema, strict: true });
  });
});
