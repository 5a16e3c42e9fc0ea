// The optional OpenRouter Haiku lane through the real server: haiku requests (also real Claude
// Code's, via --model haiku) go to the fake OpenRouter; a failure there falls back to Codex.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestProxy, type TestProxy } from '../support/proxy.js';
import { startFakeOpenRouter, textReply, errorReply, type FakeOpenRouter } from '../fakes/openrouter.js';
import { ev } from '../fakes/codex-events.js';
import { canRunClaudeCode, runClaude } from '../support/claude-code.js';


describe('OpenRouter Haiku lane', () => {
  let p: TestProxy;
  let or: FakeOpenRouter;
  let client: Anthropic;
  beforeAll(async () => {
    or = await startFakeOpenRouter();
    p = await startTestProxy({ env: { OPENROUTER_BASE_URL: or.url } });
    p.fake.setScript(() => ({ kind: 'sse', events: [ev.created(), ...ev.textMessage('from codex'), ev.completed()] }));
    client = new Anthropic({ baseURL: p.url, apiKey: 'x', maxRetries: 0 });
  });
  afterAll(async () => {
    await p?.close();
    await or?.close();
  });

  it('is off by default: haiku goes to Codex', async () => {
    const msg = await client.messages.create({
      model: 'claude-haiku-5-5',
      max_tokens: 100,
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(msg.content).toEqual([expect.objectContaining({ text: 'from codex' })]);
    expect(or.requests).toHaveLength(0);
  });

  it('when enabled with a key, haiku requests stream from OpenRouter and others stay on Codex', async () => {
    // As the dashboard does it: the key goes to the secret store and is never echoed back.
    const put = await fetch(`${p.url}/api/openrouter`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ enabled: true, model: 'z-ai/glm-5', key: or.apiKey }),
    });
    const state = (await put.json()) as Record<string, unknown>;
    expect(state).toMatchObject({ enabled: true, model: 'z-ai/glm-5', has_key: true });
    expect(JSON.stringify(state)).not.toContain(or.apiKey);
    const bad = await fetch(`${p.url}/api/openrouter`, { method: 'PUT', body: JSON.stringify({ model: 'no-slash' }) });
    expect(bad.status).toBe(400);
    or.setScript(() => textReply('from openrouter'));
    const msg = await client.messages
      .stream({ model: 'claude-haiku-4-5-20251001', max_tokens: 100, messages: [{ role: 'user', content: 'hi' }] })
      .finalMessage();
    expect(msg.content).toEqual([expect.objectContaining({ type: 'text', text: 'from openrouter' })]);
    expect(msg.model).toBe('claude-haiku-4-5-20251001');
    expect((or.requests.at(-1)?.body as { model: string }).model).toBe('z-ai/glm-5');
    const sonnet = await client.messages.create({
      model: 'claude-sonnet-5-5',
      max_tokens: 100,
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(sonnet.content).toEqual([expect.objectContaining({ text: 'from codex' })]);
  });

  it('falls back to the Codex lane when OpenRouter fails before the first byte', async () => {
    or.setScript(() => errorReply(502, 'provider down'));
    const before = p.fake.requests.length;
    const msg = await client.messages.create({
      model: 'claude-haiku-5-5',
      max_tokens: 100,
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(msg.content).toEqual([expect.objectContaining({ text: 'from codex' })]);
    expect(p.fake.requests.length).toBeGreaterThan(before);
    const logged = p.core.logs.recent(200).some((e) => /OpenRouter lane failed/.test(e.msg));
    expect(logged).toBe(true);
  });

  it.skipIf(!canRunClaudeCode)("routes real Claude Code's haiku-model calls there", async () => {
    or.setScript(() => textReply('Haiku via OpenRouter.'));
    const project = path.join(p.home, 'haiku-project');
    await mkdir(project, { recursive: true });
    const run = await runClaude({
      baseUrl: p.url,
      home: p.home,
      cwd: project,
      args: ['-p', 'hello', '--model', 'haiku', '--output-format', 'json'],
    });
    const out = run.stdout;
    const result = JSON.parse(out) as { result: string; is_error: boolean };
    expect(result.is_error).toBe(false);
    expect(result.result).toContain('Haiku via OpenRouter.');
  });
});
