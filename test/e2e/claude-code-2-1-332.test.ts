// Real Claude Code 2.1.332 features that depend on the translation: a prompt-type Stop hook
// (structured output), the fable tier, fast mode. The fake backend plays the model and answers
// schema-shaped JSON when `text.format` asks for it.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestProxy, type TestProxy } from '../support/proxy.js';
import { echoScript, type RecordedRequest } from '../fakes/codex-backend.js';
import { canRunClaudeCode, runClaude } from '../support/claude-code.js';

interface Sent {
  model: string;
  text?: { format?: { type: string; name?: string; schema?: Record<string, unknown> } };
  service_tier?: string;
}

const sent = (r: RecordedRequest): Sent => r.body as Sent;

describe.skipIf(!canRunClaudeCode)('real Claude Code 2.1.332 through the proxy', () => {
  let p: TestProxy;
  let project: string;
  beforeAll(async () => {
    p = await startTestProxy();
    project = path.join(p.home, 'project');
    await mkdir(project, { recursive: true });
    await p.core.catalog.refresh();
  });
  beforeEach(() => {
    p.fake.setScript(echoScript);
  });
  afterAll(async () => {
    await p?.close();
  });

  const accepted = () => p.fake.requests.filter((r) => r.path.endsWith('/codex/responses') && !r.rejected);

  it('a prompt-type Stop hook gets schema-shaped JSON through text.format and passes', async () => {
    const home = path.join(p.home, 'hook-home');
    await mkdir(path.join(home, '.claude'), { recursive: true });
    await writeFile(
      path.join(home, '.claude', 'settings.json'),
      JSON.stringify({
        hooks: {
          Stop: [{ hooks: [{ type: 'prompt', prompt: 'Decide whether the assistant may stop now. $ARGUMENTS' }] }],
        },
      }),
    );
    const before = accepted().length;
    const run = await runClaude({
      baseUrl: p.url,
      home,
      cwd: project,
      args: ['-p', 'Say hello.', '--output-format', 'json'],
    });
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout) as { is_error: boolean; result: string };
    expect(result.is_error).toBe(false);
    expect(run.stdout + run.stderr).not.toMatch(/JSON validation failed/i);
    const structured = accepted()
      .slice(before)
      .filter((r) => sent(r).text?.format?.type === 'json_schema');
    expect(structured.length).toBeGreaterThan(0);
    expect(structured[0].rejected).toBeUndefined();
    expect(sent(structured[0]).text?.format?.name).toMatch(/^[a-zA-Z0-9_-]{1,64}$/);
  });

  it('--model claude-fable-5-2 reaches the opus lane model', async () => {
    const before = accepted().length;
    const run = await runClaude({
      baseUrl: p.url,
      home: p.home,
      cwd: project,
      args: ['-p', 'Hi.', '--output-format', 'json', '--model', 'claude-fable-5-2'],
    });
    expect(run.code, run.stderr).toBe(0);
    const models = accepted()
      .slice(before)
      .map((r) => sent(r).model);
    expect(models).toContain('gpt-6.2-astra');
    expect((JSON.parse(run.stdout) as { is_error: boolean }).is_error).toBe(false);
  });
});
