// The benchmark's fixed workload: one Claude-Code-sized request (system prompt, a dozen tools, a
// tool round trip: ~50 KB, like the real ones) and one realistic Codex answer (reasoning summary
// deltas, ~200 text deltas, a function call), built with the fake backend's event builders so
// every event has the real shape. Deterministic, so runs compare.
import { ev, type Ev } from '../test/fakes/codex-events.js';

const WORDS = [
  'the',
  'file',
  'reads',
  'config',
  'from',
  'disk',
  'and',
  'then',
  'checks',
  'each',
  'entry',
  'before',
  'writing',
];

function words(count: number, offset = 0): string[] {
  return Array.from({ length: count }, (_, i) => `${WORDS[(i + offset) % WORDS.length]} `);
}

/** The upstream answer, in the order the backend streams it (sequence numbers included). */
export function answerEvents(): Ev[] {
  const summary = [words(15).join(''), words(15, 3).join('')];
  const text = words(200, 5);
  const args = JSON.stringify({
    command: 'ls -la src && cat package.json',
    description: 'List files and read the manifest',
  });
  const argChunks = Array.from({ length: 10 }, (_, i) =>
    args.slice((i * args.length) / 10, ((i + 1) * args.length) / 10),
  );
  const events = [
    ev.rateLimits(),
    ev.created('resp_bench'),
    ...ev.reasoning(summary, 'gAAAAA'.padEnd(1200, 'x'), {
      chunks: summary.map((s) => s.split(/(?<= )/)),
      outputIndex: 0,
    }),
    ...ev.textMessage(text.join(''), { chunks: text, outputIndex: 1 }),
    ...ev.functionCall('call_bench_1', 'Bash', args, { chunks: argChunks, outputIndex: 2 }),
    ev.completed({ input_tokens: 12_400, cached_tokens: 11_000, output_tokens: 420, reasoning_tokens: 128 }),
  ];
  return events.map((e, i) => ({ ...e, sequence_number: i }));
}

function toolSchema(i: number): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  for (let p = 0; p < 8; p++) {
    properties[`param_${p}`] = {
      type: p % 3 === 0 ? 'number' : 'string',
      description: `Parameter ${p} of tool ${i}. `.repeat(12),
    };
  }
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    type: 'object',
    properties,
    required: ['param_0'],
    additionalProperties: false,
  };
}

/** How the fake upstream should pace its answer (it reads these from the request text). */
export interface UpstreamTiming {
  /** Delay before the answer starts (time to first token). */
  thinkMs: number;
  /** Pause between batches of 16 events. */
  paceMs: number;
}

/** A streaming request shaped like Claude Code's second turn (after one tool call). */
export function claudeCodeRequest(timing?: UpstreamTiming): Record<string, unknown> {
  const ask = 'Look at the project and tell me what it does.';
  const session = '5b0f6a52-3c1d-4e8f-9a7b-2d4c6e8f0a1b';
  return {
    model: 'claude-sonnet-5-5',
    max_tokens: 32_000,
    stream: true,
    system: [
      { type: 'text', text: 'x-anthropic-billing-header: cc_version=2.1.331.bench; cc_entrypoint=cli;' },
      { type: 'text', text: 'You are an interactive coding agent. '.repeat(200), cache_control: { type: 'ephemeral' } },
    ],
    tools: Array.from({ length: 12 }, (_, i) => ({
      name: i === 0 ? 'Bash' : `Tool_${i}`,
      description: `Tool ${i} does one careful thing. `.repeat(30),
      input_schema: toolSchema(i),
    })),
    messages: [
      {
        role: 'user',
        content: [{ type: 'text', text: timing ? `think=${timing.thinkMs} pace=${timing.paceMs} ${ask}` : ask }],
      },
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'Let me look at the files first.' },
          { type: 'tool_use', id: 'toolu_bench_1', name: 'Bash', input: { command: 'ls' } },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'toolu_bench_1', content: 'src\npackage.json\nREADME.md\n'.repeat(20) },
        ],
      },
    ],
    thinking: { type: 'adaptive' },
    output_config: { effort: 'medium' },
    metadata: { user_id: JSON.stringify({ device_id: 'bench', account_uuid: '', session_id: session }) },
  };
}
