// The official `openai` SDK against the router and a stub MessagesService: what a real OpenAI
// client sees, including how it surfaces our errors.
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import type { ToolResultBlock } from '../../../shared/anthropic.js';
import { failingTurn, okResult, serveRouter, stubService, textTurn, toolTurn } from './canned.js';
import type { MessagesService } from '../../../main/core/proxy/types.js';
import { localApiGuard } from '../../../main/core/server/guard.js';

let server: { url: string; close(): Promise<void> } | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function client(service: MessagesService): Promise<OpenAI> {
  server = await serveRouter(service);
  return new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'any-key', maxRetries: 0 });
}

const WEATHER_TOOL = {
  type: 'function' as const,
  function: {
    name: 'get_weather',
    description: 'Current weather',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
};

describe('official openai SDK against /v1/chat/completions', () => {
  it('streams text and usage', async () => {
    const openai = await client(stubService(() => okResult(textTurn(['The answer', ' is 42.']))));
    const stream = await openai.chat.completions.create({
      model: 'claude-sonnet-4-5',
      messages: [{ role: 'user', content: 'What is the answer?' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let finish: string | null = null;
    let usage: OpenAI.CompletionUsage | null | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
      usage = chunk.usage ?? usage;
    }
    expect(text).toBe('The answer is 42.');
    expect(finish).toBe('stop');
    expect(usage).toMatchObject({
      prompt_tokens: 100,
      completion_tokens: 12,
      total_tokens: 112,
      prompt_tokens_details: { cached_tokens: 70 },
    });
  });

  it('runs a tool call round trip; the second request carries the tool result', async () => {
    const service = stubService((_call, n) =>
      n === 0
        ? okResult(
            toolTurn([{ id: 'toolu_w1', name: 'get_weather', json: ['{"ci', 'ty":"Oslo"}'] }], { text: 'Checking.' }),
          )
        : okResult(textTurn(['It is 4°C in Oslo.'])),
    );
    const openai = await client(service);
    const messages: ChatCompletionMessageParam[] = [{ role: 'user', content: 'Weather in Oslo?' }];

    // The SDK's stream helper assembles streamed tool calls the way OpenAI clients do.
    const runner = openai.chat.completions.stream({ model: 'gpt-5.2-codex', messages, tools: [WEATHER_TOOL] });
    const first = await runner.finalChatCompletion();
    const message = first.choices[0].message;
    expect(first.choices[0].finish_reason).toBe('tool_calls');
    expect(message.content).toBe('Checking.');
    expect(message.tool_calls).toEqual([
      { id: 'toolu_w1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Oslo"}' } },
    ]);

    const call = message.tool_calls![0] as OpenAI.ChatCompletionMessageFunctionToolCall;
    messages.push({ role: 'assistant', content: message.content, tool_calls: [call] });
    messages.push({ role: 'tool', tool_call_id: call.id, content: '4°C, cloudy' });
    const second = await openai.chat.completions.create({ model: 'gpt-5.2-codex', messages, tools: [WEATHER_TOOL] });
    expect(second.choices[0].message.content).toBe('It is 4°C in Oslo.');

    const sent = service.calls[1].request;
    expect(sent.model).toBe('gpt-5.2-codex');
    expect(sent.messages.at(-2)).toEqual({
      role: 'assistant',
      content: [
        { type: 'text', text: 'Checking.' },
        { type: 'tool_use', id: 'toolu_w1', name: 'get_weather', input: { city: 'Oslo' } },
      ],
    });
    expect((sent.messages.at(-1)?.content as ToolResultBlock[])[0]).toEqual({
      type: 'tool_result',
      tool_use_id: 'toolu_w1',
      content: '4°C, cloudy',
    });
  });

  it('answers non-streaming calls', async () => {
    const openai = await client(stubService(() => okResult(textTurn(['Plain answer.'], 'max_tokens'))));
    const completion = await openai.chat.completions.create({
      model: 'claude-haiku-4-5',
      messages: [{ role: 'user', content: 'Hi' }],
      max_completion_tokens: 10,
    });
    expect(completion.object).toBe('chat.completion');
    expect(completion.model).toBe('claude-haiku-4-5');
    expect(completion.choices[0]).toMatchObject({
      finish_reason: 'length',
      message: { role: 'assistant', content: 'Plain answer.' },
    });
    expect(completion.usage?.total_tokens).toBe(112);
  });

  it('throws an APIError with the status for a failed call', async () => {
    const openai = await client(
      stubService(() => ({
        ok: false,
        failure: {
          errorType: 'rate_limit_error',
          status: 429,
          message: 'Every account is rate limited.',
          retryAfterSeconds: 120,
        },
      })),
    );
    const error = await openai.chat.completions
      .create({ model: 'claude-sonnet-4-5', messages: [{ role: 'user', content: 'Hi' }] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    const apiError = error as InstanceType<typeof OpenAI.APIError>;
    expect(apiError.status).toBe(429);
    expect(apiError.message).toContain('Every account is rate limited.');
    expect(apiError.headers?.get('retry-after')).toBe('120');
    expect(apiError.requestID).toBe('req_test_1');
  });

  it('throws a NotFoundError for an unknown model', async () => {
    const openai = await client(
      stubService(() => ({
        ok: false,
        failure: { errorType: 'not_found_error', status: 404, message: 'Unknown model nope.' },
      })),
    );
    const error = await openai.chat.completions
      .create({ model: 'nope', messages: [{ role: 'user', content: 'Hi' }] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
    expect((error as InstanceType<typeof OpenAI.APIError>).code).toBe('model_not_found');
  });

  it('throws an APIError from the stream when it fails midway', async () => {
    const openai = await client(
      stubService(() => okResult(failingTurn('Partial ', 'overloaded_error', 'Codex backend is overloaded.'))),
    );
    const stream = await openai.chat.completions.create({
      model: 'claude-sonnet-4-5',
      messages: [{ role: 'user', content: 'Hi' }],
      stream: true,
    });
    let text = '';
    const error = await (async () => {
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    })().catch((e: unknown) => e);
    expect(text).toBe('Partial ');
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect((error as InstanceType<typeof OpenAI.APIError>).message).toContain('Codex backend is overloaded.');
  });

  it('surfaces a refusal by the local-API guard (OpenAI-shaped 401) as an AuthenticationError', async () => {
    server = await serveRouter(
      stubService(() => okResult(textTurn(['x']))),
      { before: localApiGuard({ apiKey: 'right-key', selfOrigins: () => [] }) },
    );
    const openai = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'wrong-key', maxRetries: 0 });
    const error = await openai.chat.completions
      .create({ model: 'claude-sonnet-4-5', messages: [{ role: 'user', content: 'Hi' }] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.AuthenticationError);
    expect((error as Error).message).toContain('API key');
    expect((error as InstanceType<typeof OpenAI.APIError>).error).toMatchObject({
      type: 'authentication_error',
      code: 'invalid_api_key',
    });
  });
});
