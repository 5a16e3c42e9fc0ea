// Real Claude Code across a failover: `claude -p` on account A answers with reasoning, A hits its
// usage limit, and `claude -p --continue` goes on on account B. B cannot decrypt A's reasoning
// (the fake refuses it 400 invalid_encrypted_content, as the real backend does), so the proxy must
// leave it out, and Claude Code must see a clean answer.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestProxy, type TestProxy } from '../support/proxy.js';
import { ev } from '../fakes/codex-events.js';
import type { RecordedRequest } from '../fakes/codex-backend.js';
import { canRunClaudeCode, runClaude } from '../support/claude-code.js';

const accountOf = (r: RecordedRequest): string => String(r.headers['chatgpt-account-id']);
const isResponses = (r: RecordedRequest): boolean => r.path.endsWith('/codex/responses');

describe.skipIf(!canRunClaudeCode)('real Claude Code: --continue on another account after a usage limit', () => {
  let p: TestProxy;
  let project: string;
  beforeAll(async () => {
    p = await startTestProxy({ accounts: 2 });
    project = path.join(p.home, 'project');
    await mkdir(project, { recursive: true });
    p.fake.setScript((req) => ({
      kind: 'sse',
      events: [
        ev.created(),
        ...ev.reasoning(['Considering the question'], `enc-${accountOf(req)}-${Date.now()}`),
        ...ev.textMessage(`Answer from ${accountOf(req)}.`, { outputIndex: 1 }),
        ev.completed({ input_tokens: 900, output_tokens: 40, reasoning_tokens: 25 }),
      ],
    }));
  });
  afterAll(async () => {
    await p?.close();
  });

  const claude = (args: string[]) =>
    runClaude({
      baseUrl: p.url,
      home: p.home,
      cwd: project,
      args: [...args, '--output-format', 'json', '--model', 'claude-sonnet-5-5'],
    });

  it('goes on on B without replaying A’s reasoning, and reports thinking tokens', async () => {
    const first = await claude(['-p', 'First question, think about it.']);
    expect(first.code, first.stderr).toBe(0);
    const firstResult = JSON.parse(first.stdout) as {
      result: string;
      is_error: boolean;
      usage: { output_tokens_details?: { thinking_tokens: number } };
      modelUsage: Record<string, { thinkingTokens?: number }>;
    };
    expect(firstResult.is_error).toBe(false);
    // Upstream's reasoning_tokens reach Claude Code's own accounting.
    expect(firstResult.usage.output_tokens_details?.thinking_tokens).toBe(25);
    expect(Object.values(firstResult.modelUsage).map((u) => u.thinkingTokens)).toContain(25);
    const main = p.fake.requests.filter((r) => isResponses(r) && !r.rejected);
    const A = accountOf(main.at(-1) as RecordedRequest);
    expect(firstResult.result).toContain(`Answer from ${A}.`);

    p.fake.limitAccount(A, 3600);
    const before = p.fake.requests.length;
    const second = await claude(['-p', '--continue', 'Second question.']);
    expect(second.code, second.stderr).toBe(0);
    const secondResult = JSON.parse(second.stdout) as { result: string; is_error: boolean };
    expect(secondResult.is_error).toBe(false);
    const later = p.fake.requests.slice(before).filter(isResponses);
    // No request was refused for reasoning it could not decrypt.
    expect(later.filter((r) => r.rejected?.status === 400)).toEqual([]);
    const onB = later.filter((r) => !r.rejected && accountOf(r) !== A);
    expect(onB.length).toBeGreaterThan(0);
    expect(secondResult.result).toContain(`Answer from ${accountOf(onB.at(-1) as RecordedRequest)}.`);
    for (const req of onB) {
      const input = (req.body as { input: Array<{ type: string; encrypted_content?: string }> }).input;
      expect(input.filter((i) => i.type === 'reasoning' && i.encrypted_content?.includes(A))).toEqual([]);
    }
    // The conversation did carry A's thinking: Claude Code replayed it and the proxy left it out.
    expect(p.core.logs.recent(500).some((e) => /reasoning from another account left out/.test(e.msg))).toBe(true);
  });
});
