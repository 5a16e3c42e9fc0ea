// Everyday Claude Code features through the proxy, each driven by the real CLI (2.1.332) against
// the fake backend: images from Read, a subagent, ToolSearch, plan mode, resume and continue,
// /compact and auto-compaction at the configured window, a command hook, a custom slash command,
// and Escape mid-stream. docs/CLAUDE-CODE.md lists them with these tests.
import { mkdir, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestProxy, type TestProxy } from '../support/proxy.js';
import { ev, type Ev } from '../fakes/codex-events.js';
import type { RecordedRequest, Reply } from '../fakes/codex-backend.js';
import {
  canRunClaudeCode,
  canRunInteractive,
  runClaude,
  startInteractiveClaude,
  type ClaudeRun,
} from '../support/claude-code.js';

interface Item {
  type: string;
  role?: string;
  name?: string;
  call_id?: string;
  output?: unknown;
  content?: Array<{ type: string; text?: string }>;
}

const inputOf = (req: RecordedRequest): Item[] => (req.body as { input?: Item[] }).input ?? [];

function userText(req: RecordedRequest): string {
  return inputOf(req)
    .filter((i) => i.type === 'message' && i.role === 'user')
    .flatMap((i) => i.content ?? [])
    .map((c) => c.text ?? '')
    .join('\n');
}

/** The tool result of that call, once Claude Code has sent it back. */
const outputOf = (req: RecordedRequest, callId: string): Item | undefined =>
  inputOf(req).find((i) => i.type === 'function_call_output' && i.call_id === callId);
const outputText = (item: Item | undefined): string => JSON.stringify(item?.output ?? '');

function reply(events: Ev[], usage = { input_tokens: 900, output_tokens: 40 }): Reply {
  return { kind: 'sse', events: [ev.created(), ...events, ev.completed(usage)] };
}

// A 1×1 PNG.
const PIXEL = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

describe.skipIf(!canRunClaudeCode)('Claude Code features through the proxy', () => {
  let p: TestProxy;
  let project: string;
  /** marker in the user's text → how the model answers (first turn, or after a tool result). */
  const scenarios = new Map<string, (req: RecordedRequest) => Reply>();

  const responses = (): RecordedRequest[] =>
    p.fake.requests.filter((r) => !r.rejected && r.path.endsWith('/responses'));
  const withMarker = (marker: string): RecordedRequest[] => responses().filter((r) => userText(r).includes(marker));

  function claude(args: string[], cwd = project, env: Record<string, string> = {}): Promise<ClaudeRun> {
    return runClaude({ baseUrl: p.url, home: p.home, cwd, args: [...args, '--output-format', 'json'], env });
  }

  /** A folder of its own, so `--continue` finds this test's conversation and no other. */
  async function folder(name: string): Promise<string> {
    const dir = path.join(p.home, name);
    await mkdir(dir, { recursive: true });
    return dir;
  }

  function scripted(req: RecordedRequest): Reply {
    const text = userText(req);
    // The newest marker wins: a resumed conversation carries the earlier ones too.
    const hits = [...scenarios.keys()].filter((m) => text.includes(m));
    const marker = hits.sort((a, b) => text.lastIndexOf(b) - text.lastIndexOf(a))[0];
    return marker ? scenarios.get(marker)!(req) : reply(ev.textMessage('Nothing scripted for this.'));
  }

  function result(run: ClaudeRun): { result: string; is_error: boolean; session_id: string } {
    expect(run.stderr).not.toMatch(/API Error/);
    return JSON.parse(run.stdout) as { result: string; is_error: boolean; session_id: string };
  }

  beforeAll(async () => {
    p = await startTestProxy();
    project = path.join(p.home, 'project');
    await mkdir(project, { recursive: true });
    p.fake.setScript(scripted);
  });
  afterAll(async () => {
    await p?.close();
  });

  it('images: a PNG that Read returns reaches the model as an image', async () => {
    const file = path.join(project, 'pixel.png');
    await writeFile(file, PIXEL);
    scenarios.set('MARKER-IMAGE', (req) =>
      outputOf(req, 'call_img')
        ? reply(ev.textMessage('A single pixel.'))
        : reply(ev.functionCall('call_img', 'Read', JSON.stringify({ file_path: file }))),
    );
    const out = result(await claude(['-p', 'What is in pixel.png? MARKER-IMAGE', '--allowedTools', 'Read']));
    expect(out.result).toContain('A single pixel.');
    const followUp = withMarker('MARKER-IMAGE').find((r) => outputOf(r, 'call_img'))!;
    expect(outputText(outputOf(followUp, 'call_img'))).toContain(`data:image/png;base64,${PIXEL.toString('base64')}`);
  });

  it('subagents: the Agent tool runs a subagent through the proxy and its answer comes back', async () => {
    scenarios.set('MARKER-AGENT', (req) =>
      outputOf(req, 'call_agent')
        ? reply(ev.textMessage('The subagent counted seven.'))
        : reply(
            ev.functionCall(
              'call_agent',
              'Agent',
              JSON.stringify({
                description: 'Count files',
                prompt: 'Count the files here. MARKER-SUBTASK',
                subagent_type: 'general-purpose',
                run_in_background: false,
              }),
            ),
          ),
    );
    scenarios.set('MARKER-SUBTASK', () => reply(ev.textMessage('SUBAGENT-SAYS-SEVEN')));
    const out = result(await claude(['-p', 'Ask a subagent to count. MARKER-AGENT', '--allowedTools', 'Agent']));
    expect(out.result).toContain('The subagent counted seven.');
    const sub = withMarker('MARKER-SUBTASK').filter((r) => !userText(r).includes('MARKER-AGENT'));
    expect(sub.length).toBeGreaterThan(0);
    const followUp = withMarker('MARKER-AGENT').find((r) => outputOf(r, 'call_agent'))!;
    expect(outputText(outputOf(followUp, 'call_agent'))).toContain('SUBAGENT-SAYS-SEVEN');
  });

  it('ToolSearch: a deferred tool is loaded and offered upstream on the next turn', async () => {
    scenarios.set('MARKER-TOOLSEARCH', (req) =>
      outputOf(req, 'call_ts')
        ? reply(ev.textMessage('WebFetch is ready.'))
        : reply(ev.functionCall('call_ts', 'ToolSearch', JSON.stringify({ query: 'select:WebFetch' }))),
    );
    const out = result(await claude(['-p', 'Load the fetch tool. MARKER-TOOLSEARCH']));
    expect(out.result).toContain('WebFetch is ready.');
    const [first, followUp] = withMarker('MARKER-TOOLSEARCH');
    const names = (req: RecordedRequest): string[] =>
      ((req.body as { tools?: Item[] }).tools ?? []).map((t) => t.name ?? '');
    expect(names(first)).not.toContain('WebFetch');
    expect(names(followUp)).toContain('WebFetch');
    expect(outputText(outputOf(followUp, 'call_ts'))).toContain('WebFetch');
  });

  it('plan mode: Claude Code keeps the model from writing, whatever it asks for', async () => {
    const file = path.join(project, 'planned.txt');
    scenarios.set('MARKER-PLAN', (req) =>
      outputOf(req, 'call_plan')
        ? reply(ev.textMessage('Here is the plan, nothing written.'))
        : reply(ev.functionCall('call_plan', 'Write', JSON.stringify({ file_path: file, content: 'x\n' }))),
    );
    const out = result(await claude(['-p', 'Plan a file. MARKER-PLAN', '--permission-mode', 'plan']));
    expect(out.result).toContain('Here is the plan');
    expect(existsSync(file)).toBe(false);
    expect(JSON.stringify(inputOf(withMarker('MARKER-PLAN')[0]))).toMatch(/[Pp]lan mode/);
  });

  it('resume and continue: the earlier turns go upstream again', async () => {
    scenarios.set('MARKER-RESUME-1', () => reply(ev.textMessage('Noted: PAPAYA.')));
    scenarios.set('MARKER-RESUME-2', () => reply(ev.textMessage('You said PAPAYA.')));
    scenarios.set('MARKER-RESUME-3', () => reply(ev.textMessage('Still PAPAYA.')));
    const cwd = await folder('resume');
    const first = result(await claude(['-p', 'Remember the word PAPAYA. MARKER-RESUME-1'], cwd));
    const resumed = result(await claude(['-p', 'Which word? MARKER-RESUME-2', '--resume', first.session_id], cwd));
    expect(resumed.result).toContain('You said PAPAYA.');
    const continued = result(await claude(['-p', 'And now? MARKER-RESUME-3', '--continue'], cwd));
    expect(continued.result).toContain('Still PAPAYA.');
    for (const marker of ['MARKER-RESUME-2', 'MARKER-RESUME-3']) {
      const history = JSON.stringify(inputOf(withMarker(marker).at(-1)!));
      expect(history).toContain('Remember the word PAPAYA.');
      expect(history).toContain('Noted: PAPAYA.');
    }
  });

  it('compaction: /compact sends a summary request, and the summary replaces the history', async () => {
    scenarios.set('MARKER-COMPACT-1', () => reply(ev.textMessage('Noted: MANGO.')));
    const cwd = await folder('compact');
    const first = result(await claude(['-p', 'Remember MANGO. MARKER-COMPACT-1'], cwd));
    const before = responses().length;
    p.fake.setScript((req) =>
      responses().indexOf(req) >= before && !userText(req).includes('MARKER-COMPACT-2')
        ? reply(ev.textMessage('<summary>The user asked to remember MANGO. SUMMARY-OK</summary>'))
        : reply(ev.textMessage('After compaction: MANGO.')),
    );
    try {
      result(await claude(['-p', '/compact', '--resume', first.session_id], cwd));
      const summarise = responses().slice(before);
      expect(summarise.length).toBeGreaterThan(0);
      expect(JSON.stringify(inputOf(summarise[0]))).toContain('Remember MANGO.');
      const after = result(await claude(['-p', 'What now? MARKER-COMPACT-2', '--continue'], cwd));
      expect(after.result).toContain('After compaction: MANGO.');
      expect(JSON.stringify(inputOf(withMarker('MARKER-COMPACT-2').at(-1)!))).toContain('SUMMARY-OK');
    } finally {
      p.fake.setScript(scripted);
    }
  });

  it('auto-compaction fires at CLAUDE_CODE_AUTO_COMPACT_WINDOW, not at the 1m Claude Code assumes', async () => {
    // A few tool rounds, then the context reported upstream jumps to 95k: past the threshold of
    // a 100k window, far below 1m. Before the next request Claude Code decides whether to compact.
    const lastUserText = (req: RecordedRequest): string => {
      const last = inputOf(req)
        .filter((i) => i.type === 'message' && i.role === 'user')
        .at(-1);
      return (last?.content ?? []).map((c) => c.text ?? '').join('\n');
    };
    const isSummaryRequest = (req: RecordedRequest): boolean => /<summary> block/.test(lastUserText(req));
    scenarios.set('MARKER-AUTO', (req) => {
      if (isSummaryRequest(req))
        return reply(ev.textMessage('<summary>Remember KIWI. MARKER-AUTO SUMMARY-AUTO</summary>'));
      if (JSON.stringify(inputOf(req)).includes('SUMMARY-AUTO')) return reply(ev.textMessage('Compacted, still KIWI.'));
      const rounds = inputOf(req).filter((i) => i.type === 'function_call_output').length;
      if (rounds >= 5) return reply(ev.textMessage('Not compacted.'));
      const call = ev.functionCall(
        `call_auto_${rounds}`,
        'Bash',
        JSON.stringify({ command: `echo ${rounds}`, description: 'Echo' }),
      );
      return reply(call, { input_tokens: rounds >= 3 ? 95_000 : 20_000, output_tokens: 40 });
    });
    const ask = (cwd: string, env: Record<string, string> = {}) =>
      claude(['-p', 'Echo a few numbers, then KIWI. MARKER-AUTO', '--allowedTools', 'Bash'], cwd, env);

    expect(result(await ask(await folder('no-autocompact'))).result).toContain('Not compacted.');
    expect(withMarker('MARKER-AUTO').filter(isSummaryRequest)).toEqual([]);

    const out = result(await ask(await folder('autocompact'), { CLAUDE_CODE_AUTO_COMPACT_WINDOW: '100000' }));
    expect(withMarker('MARKER-AUTO').filter(isSummaryRequest).length).toBe(1);
    expect(out.result).toContain('Compacted, still KIWI.');
  });

  it('hooks: a UserPromptSubmit command hook adds its context to what goes upstream', async () => {
    scenarios.set('MARKER-HOOK', () => reply(ev.textMessage('Hook seen.')));
    const settings = JSON.stringify({
      hooks: { UserPromptSubmit: [{ hooks: [{ type: 'command', command: 'echo HOOK-CONTEXT-42' }] }] },
    });
    const out = result(await claude(['-p', 'Hello. MARKER-HOOK', '--settings', settings]));
    expect(out.result).toContain('Hook seen.');
    expect(JSON.stringify(inputOf(withMarker('MARKER-HOOK')[0]))).toContain('HOOK-CONTEXT-42');
  });

  it('custom slash commands: the command file is the prompt that goes upstream', async () => {
    await mkdir(path.join(project, '.claude', 'commands'), { recursive: true });
    await writeFile(path.join(project, '.claude', 'commands', 'fruit.md'), 'Name a fruit. MARKER-SLASH BANANA-CMD\n');
    scenarios.set('MARKER-SLASH', () => reply(ev.textMessage('Banana.')));
    const out = result(await claude(['-p', '/fruit']));
    expect(out.result).toContain('Banana.');
    expect(userText(withMarker('MARKER-SLASH')[0])).toContain('BANANA-CMD');
  });

  it.skipIf(!canRunInteractive)(
    'interrupt: Escape mid-stream stops Claude Code and the proxy drops the upstream stream',
    async () => {
      await writeFile(
        path.join(p.home, '.claude.json'),
        JSON.stringify({ hasCompletedOnboarding: true, projects: { [project]: { hasTrustDialogAccepted: true } } }),
      );
      await mkdir(path.join(p.home, '.claude'), { recursive: true });
      await writeFile(
        path.join(p.home, '.claude', 'settings.json'),
        JSON.stringify({ permissions: { defaultMode: 'default', disableAutoMode: 'disable' } }),
      );
      scenarios.set('MARKER-INTERRUPT', () => ({
        kind: 'sse',
        events: [
          ev.created(),
          ...ev.textMessage('Thinking out loud STREAMING-PART and then a lot more that never comes.', {
            chunks: ['Thinking out loud STREAMING-PART', ' and then more.'],
          }),
        ],
        stallAfter: 4,
      }));
      const aborted = p.fake.abortedStreams();
      const session = await startInteractiveClaude({
        home: p.home,
        cwd: project,
        env: {
          ANTHROPIC_BASE_URL: p.url,
          ANTHROPIC_AUTH_TOKEN: 'test-token',
          CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
        },
      });
      try {
        await session.waitFor(/manual mode on/, 'the prompt');
        await session.type('Talk for a long time. MARKER-INTERRUPT');
        await session.press('Enter');
        // Claude Code counts the streamed tokens before it shows a line of them.
        await session.waitFor(/↓ \d+ tokens/, 'the streamed start of the answer');
        await session.press('Escape');
        await session.waitFor(/Interrupted/, 'the interruption');
        await session.waitFor(() => p.fake.abortedStreams() > aborted, 'the upstream stream aborted');
      } finally {
        await session.close();
      }
    },
    90_000,
  );
});
