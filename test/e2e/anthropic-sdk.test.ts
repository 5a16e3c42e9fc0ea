// The official Anthropic SDK is the judge of our stream: its MessageStream accumulation must
// succeed and produce the expected blocks and usage.
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestProxy, type TestProxy } from '../support/proxy.js';
import { ev, interleave } from '../fakes/codex-events.js';

describe('official @anthropic-ai/sdk against the proxy', () => {
  let p: TestProxy;
  let client: Anthropic;
  beforeAll(async () => {
    p = await startTestProxy();
    client = new Anthropic({ baseURL: p.url, apiKey: 'test-key', maxRetries: 0 });
  });
  afterAll(async () => {
    await p?.close();
  });

  it('messages.stream().finalMessage() accumulates thinking, text and usage', async () => {
    p.fake.setScript(() => ({
      kind: 'sse',
      events: [
        ev.created(),
        ...ev.reasoning(['Considering the greeting.'], 'enc-1', { outputIndex: 0 }),
        ...ev.textMessage('Hello from Codex — ünïcødé 🎉 works.', { outputIndex: 1 }),
        ev.completed({ input_tokens: 50, cached_tokens: 20, output_tokens: 9 }),
      ],
    }));
    const stream = client.messages.stream({
      model: 'claude-sonnet-5-5',
      max_tokens: 1024,
      thinking: { type: 'enabled', budget_tokens: 2048 },
      messages: [{ role: 'user', content: 'Greet me.' }],
    });
    const texts: string[] = [];
    stream.on('text', (t) => texts.push(t));
    const message = await stream.finalMessage();
    expect(message.model).toBe('claude-sonnet-5-5');
    expect(message.content.map((b) => b.type)).toEqual(['thinking', 'text']);
    const text = message.content[1];
    expect(text.type === 'text' && text.text).toBe('Hello from Codex — ünïcødé 🎉 works.');
    expect(texts.join('')).toBe('Hello from Codex — ünïcødé 🎉 works.');
    expect(message.usage).toMatchObject({ input_tokens: 30, cache_read_input_tokens: 20, output_tokens: 9 });
    expect(message.stop_reason).toBe('end_turn');
  });

  it('messages.stream() yields parallel tool_use blocks with parsed input', async () => {
    p.fake.setScript(() => ({
      kind: 'sse',
      events: [
        ev.created(),
        ...ev.textMessage('Reading both.', { outputIndex: 0 }),
        ...interleave(
          ev.functionCall('call_a', 'Read', '{"file_path":"/tmp/a.txt"}', { outputIndex: 1 }),
          ev.functionCall('call_b', 'Read', '{"file_path":"/tmp/b.txt"}', { outputIndex: 2 }),
        ),
        ev.completed(),
      ],
    }));
    const message = await client.messages
      .stream({
        model: 'claude-opus-4-5-20251101',
        max_tokens: 1024,
        tools: [
          {
            name: 'Read',
            description: 'Read a file',
            input_schema: { type: 'object', properties: { file_path: { type: 'string' } }, required: ['file_path'] },
          },
        ],
        messages: [{ role: 'user', content: 'Read a and b.' }],
      })
      .finalMessage();
    expect(message.stop_reason).toBe('tool_use');
    const tools = message.content.filter((b) => b.type === 'tool_use');
    expect(tools).toEqual([
      expect.objectContaining({ id: 'call_a', name: 'Read', input: { file_path: '/tmp/a.txt' } }),
      expect.objectContaining({ id: 'call_b', name: 'Read', input: { file_path: '/tmp/b.txt' } }),
    ]);
  });

  it('messages.create() without streaming returns the same message shape', async () => {
    p.fake.setScript(() => ({
      kind: 'sse',
      events: [ev.created(), ...ev.textMessage('Non-streamed.'), ev.completed()],
    }));
    const message = await client.messages.create({
      model: 'claude-haiku-5-5',
      max_tokens: 4096,
      messages: [{ role: 'user', content: 'Say it.' }],
    });
    expect(message.content).toEqual([expect.objectContaining({ type: 'text', text: 'Non-streamed.' })]);
    expect(message.stop_reason).toBe('end_turn');
  });

  it('surfaces errors as the SDK error classes with the right status', async () => {
    await expect(
      client.messages.create({ model: 'not-a-model', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] }),
    ).rejects.toMatchObject({ status: 404 });
  });
});
