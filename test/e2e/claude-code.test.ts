// The real Claude Code CLI (from npm) drives the proxy: a plain answer, a tool round trip that
// writes a file, and two tool calls in parallel. The fake backend plays the model.
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestProxy, type TestProxy } from '../support/proxy.js';
import { ev, interleave } from '../fakes/codex-events.js';
import type { RecordedRequest, Reply } from '../fakes/codex-backend.js';
import { canRunClaudeCode, runClaude as run, type ClaudeRun } from '../support/claude-code.js';

interface Item {
  type: string;
  role?: string;
  content?: Array<{ type: string; text?: string }>;
}

function userText(req: RecordedRequest): string {
  const input = (req.body as { input: Item[] }).input;
  return input
    .filter((i) => i.type === 'message' && i.role === 'user')
    .flatMap((i) => i.content ?? [])
    .map((c) => c.text ?? '')
    .join('\n');
}

function lastItemType(req: RecordedRequest): string | undefined {
  return (req.body as { input: Item[] }).input.at(-1)?.type;
}

function reply(events: ReturnType<typeof ev.created>[]): Reply {
  return {
    kind: 'sse',
    events: [ev.created(), ...events, ev.completed({ input_tokens: 900, cached_tokens: 300, output_tokens: 40 })],
  };
}

function runClaude(p: TestProxy, cwd: string, prompt: string): Promise<ClaudeRun> {
  return run({
    baseUrl: p.url,
    home: p.home,
    cwd,
    args: ['-p', prompt, '--output-format', 'json', '--permission-mode', 'acceptEdits', '--allowedTools', 'Write'],
    env: { CLAUDE_CODE_AUTO_COMPACT_WINDOW: '272000' },
  });
}

describe.skipIf(!canRunClaudeCode)('real Claude Code CLI through the proxy', () => {
  let p: TestProxy;
  let project: string;
  beforeAll(async () => {
    p = await startTestProxy();
    project = path.join(p.home, 'project');
    await mkdir(project, { recursive: true });
    p.fake.setScript((req) => {
      const text = userText(req);
      const followUp = lastItemType(req) === 'function_call_output';
      if (text.includes('MARKER-WRITE')) {
        return followUp
          ? reply(ev.textMessage('I wrote hello.txt for you.'))
          : reply([
              ...ev.reasoning(['The user wants a file.'], 'enc-write', { outputIndex: 0 }),
              ...ev.functionCall(
                'call_write_1',
                'Write',
                JSON.stringify({ file_path: path.join(project, 'hello.txt'), content: 'hello from codex\n' }),
                { outputIndex: 1 },
              ),
            ]);
      }
      if (text.includes('MARKER-PARALLEL')) {
        return followUp
          ? reply(ev.textMessage('Both files are written.'))
          : reply(
              interleave(
                ev.functionCall(
                  'call_par_a',
                  'Write',
                  JSON.stringify({ file_path: path.join(project, 'a.txt'), content: 'alpha\n' }),
                  { outputIndex: 0 },
                ),
                ev.functionCall(
                  'call_par_b',
                  'Write',
                  JSON.stringify({ file_path: path.join(project, 'b.txt'), content: 'beta\n' }),
                  { outputIndex: 1 },
                ),
              ),
            );
      }
      return reply(ev.textMessage('The answer is 42.'));
    });
  });
  afterAll(async () => {
    await p?.close();
  });

  it('(a) answers a plain prompt', async () => {
    const run = await runClaude(p, project, 'What is six times seven? MARKER-PLAIN');
    expect(run.stderr).not.toMatch(/API Error/);
    const result = JSON.parse(run.stdout) as { result: string; is_error: boolean };
    expect(result.is_error).toBe(false);
    expect(result.result).toContain('The answer is 42.');
  });

  it('(b) runs a tool the model calls, then answers after the tool result', async () => {
    const run = await runClaude(p, project, 'Create hello.txt. MARKER-WRITE');
    const result = JSON.parse(run.stdout) as { result: string; is_error: boolean };
    expect(result.is_error).toBe(false);
    expect(result.result).toContain('I wrote hello.txt');
    expect(await readFile(path.join(project, 'hello.txt'), 'utf8')).toBe('hello from codex\n');
    // The follow-up carried the tool result and our reasoning back upstream.
    const followUp = p.fake.requests
      .filter((r) => !r.rejected && r.path.endsWith('/responses') && userText(r).includes('MARKER-WRITE'))
      .at(-1)!;
    const input = (followUp.body as { input: Array<{ type: string; call_id?: string; encrypted_content?: string }> })
      .input;
    expect(input.find((i) => i.type === 'function_call_output')?.call_id).toBe('call_write_1');
    expect(input.find((i) => i.type === 'reasoning')?.encrypted_content).toBe('enc-write');
  });

  it('(c) runs two tool calls made in parallel', async () => {
    const run = await runClaude(p, project, 'Create a.txt and b.txt at once. MARKER-PARALLEL');
    const result = JSON.parse(run.stdout) as { result: string; is_error: boolean };
    expect(result.is_error).toBe(false);
    expect(result.result).toContain('Both files are written.');
    expect(await readFile(path.join(project, 'a.txt'), 'utf8')).toBe('alpha\n');
    expect(await readFile(path.join(project, 'b.txt'), 'utf8')).toBe('beta\n');
    expect(p.fake.requests.filter((r) => r.rejected)).toEqual([]);
  });
});
