// The fake OpenRouter must reject what the real one (or its providers) would, or the lane tests
// prove nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOpenRouter, type FakeOpenRouter } from '../../fakes/openrouter.js';

let fake: FakeOpenRouter;

beforeAll(async () => {
  fake = await startFakeOpenRouter();
});

afterAll(async () => {
  await fake.close();
});

const GOOD = { model: 'minimax/minimax-m2.5', stream: true, messages: [{ role: 'user', content: 'hi' }] };

async function post(body: unknown, key = fake.apiKey): Promise<{ status: number; text: string }> {
  const res = await fetch(`${fake.url}/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, text: await res.text() };
}

describe('fake OpenRouter', () => {
  it('streams a default echo with a processing comment, chunks, usage and [DONE]', async () => {
    const { status, text } = await post(GOOD);
    expect(status).toBe(200);
    expect(text.startsWith(': OPENROUTER PROCESSING\n\n')).toBe(true);
    expect(text).toContain('"usage":');
    expect(text.endsWith('data: [DONE]\n\n')).toBe(true);
  });

  it('rejects a wrong key with 401 in OpenRouter’s envelope', async () => {
    const { status, text } = await post(GOOD, 'nope');
    expect(status).toBe(401);
    expect(JSON.parse(text)).toEqual({ error: { code: 401, message: 'No auth credentials found' } });
  });

  it.each([
    ['an unknown model', { ...GOOD, model: 'nobody/nothing' }],
    ['a non-streaming request', { ...GOOD, stream: false }],
    ['a tool message without a call', { ...GOOD, messages: [{ role: 'user', content: 'x' }, { role: 'tool', tool_call_id: 'c', content: 'r' }] }],
    [
      'a call without a result',
      { ...GOOD, messages: [{ role: 'assistant', content: null, tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: '{}' } }] }, { role: 'user', content: 'x' }] },
    ],
    ['a tool name with dots', { ...GOOD, tools: [{ type: 'function', function: { name: 'a.b', parameters: { type: 'object' } } }] }],
    ['tool_choice without tools', { ...GOOD, tool_choice: 'required' }],
    ['an image part without url', { ...GOOD, messages: [{ role: 'user', content: [{ type: 'image_url', image_url: {} }] }] }],
  ])('rejects %s with 400', async (_name, body) => {
    expect((await post(body)).status).toBe(400);
  });
});
