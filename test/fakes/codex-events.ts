// Builders for Codex backend SSE events, shaped like the real stream (Responses API events plus
// the backend's own `codex.*` extras). Each builder returns the events of one output item in the
// order the backend sends them; pass `outputIndex` when a response carries several items.
import { randomBytes } from 'node:crypto';

export type Ev = { type: string; [k: string]: unknown };

export interface ItemOpts {
  chunks?: string[];
  outputIndex?: number;
}

export interface ReasoningOpts {
  /** Deltas per summary part; defaults to each summary split in a few pieces. */
  chunks?: string[][];
  outputIndex?: number;
}

export interface UsageInput {
  /** All input tokens, cached ones included (as the backend counts them). */
  input_tokens: number;
  cached_tokens: number;
  /** Part of input_tokens written to the prompt cache (0.171.0). */
  cache_write_tokens: number;
  output_tokens: number;
  reasoning_tokens: number;
}

function itemId(prefix: string): string {
  return `${prefix}_${randomBytes(24).toString('hex')}`;
}

/** Splits text into up to `parts` pieces on word boundaries (keeps every character). */
export function splitText(text: string, parts = 3): string[] {
  const words = text.match(/\S+\s*|\s+/g) ?? [];
  if (words.length <= 1) return [text];
  const per = Math.ceil(words.length / parts);
  const out: string[] = [];
  for (let i = 0; i < words.length; i += per) out.push(words.slice(i, i + per).join(''));
  return out;
}

// `completed`/`incomplete`/`failed` describe the same response as the latest `created`, as a
// real stream does, without making every test thread the id through.
let currentResponseId = itemId('resp');
let currentCreatedAt = Math.floor(Date.now() / 1000);

function responseShell(status: string): Record<string, unknown> {
  return { id: currentResponseId, object: 'response', created_at: currentCreatedAt, status, background: false };
}

function usageObject(u: Partial<UsageInput> = {}): Record<string, unknown> {
  const input = u.input_tokens ?? 24;
  const output = u.output_tokens ?? 12;
  return {
    input_tokens: input,
    input_tokens_details: {
      cached_tokens: u.cached_tokens ?? 0,
      ...(u.cache_write_tokens !== undefined ? { cache_write_tokens: u.cache_write_tokens } : {}),
    },
    output_tokens: output,
    output_tokens_details: { reasoning_tokens: u.reasoning_tokens ?? 0 },
    total_tokens: input + output,
  };
}

function created(id?: string): Ev {
  currentResponseId = id ?? itemId('resp');
  currentCreatedAt = Math.floor(Date.now() / 1000);
  return {
    type: 'response.created',
    response: { ...responseShell('in_progress'), output: [], usage: null, error: null },
  };
}

function textMessage(text: string, opts: ItemOpts = {}): Ev[] {
  const id = itemId('msg');
  const output_index = opts.outputIndex ?? 0;
  const chunks = opts.chunks ?? splitText(text);
  const at = { item_id: id, output_index, content_index: 0 };
  const part = (t: string) => ({ type: 'output_text', annotations: [], logprobs: [], text: t });
  return [
    {
      type: 'response.output_item.added',
      output_index,
      item: { id, type: 'message', status: 'in_progress', content: [], role: 'assistant' },
    },
    { type: 'response.content_part.added', ...at, part: part('') },
    ...chunks.map((delta) => ({ type: 'response.output_text.delta', ...at, delta, logprobs: [] })),
    { type: 'response.output_text.done', ...at, text, logprobs: [] },
    { type: 'response.content_part.done', ...at, part: part(text) },
    {
      type: 'response.output_item.done',
      output_index,
      item: { id, type: 'message', status: 'completed', content: [part(text)], role: 'assistant' },
    },
  ];
}

function reasoning(summary: string[], encrypted: string, opts: ReasoningOpts = {}): Ev[] {
  const id = itemId('rs');
  const output_index = opts.outputIndex ?? 0;
  const parts = summary.flatMap((text, summary_index): Ev[] => {
    const at = { item_id: id, output_index, summary_index };
    const deltas = opts.chunks?.[summary_index] ?? splitText(text);
    return [
      { type: 'response.reasoning_summary_part.added', ...at, part: { type: 'summary_text', text: '' } },
      ...deltas.map((delta) => ({ type: 'response.reasoning_summary_text.delta', ...at, delta })),
      { type: 'response.reasoning_summary_text.done', ...at, text },
      { type: 'response.reasoning_summary_part.done', ...at, part: { type: 'summary_text', text } },
    ];
  });
  return [
    // The real `added` event has no encrypted_content yet; only `done` carries it.
    { type: 'response.output_item.added', output_index, item: { id, type: 'reasoning', summary: [] } },
    ...parts,
    {
      type: 'response.output_item.done',
      output_index,
      item: {
        id,
        type: 'reasoning',
        summary: summary.map((text) => ({ type: 'summary_text', text })),
        encrypted_content: encrypted,
      },
    },
  ];
}

function functionCall(callId: string, name: string, args: string, opts: ItemOpts = {}): Ev[] {
  const id = itemId('fc');
  const output_index = opts.outputIndex ?? 0;
  const chunks = opts.chunks ?? splitText(args);
  return [
    {
      type: 'response.output_item.added',
      output_index,
      item: { id, type: 'function_call', status: 'in_progress', arguments: '', call_id: callId, name },
    },
    ...chunks.map((delta) => ({ type: 'response.function_call_arguments.delta', item_id: id, output_index, delta })),
    { type: 'response.function_call_arguments.done', item_id: id, output_index, arguments: args },
    {
      type: 'response.output_item.done',
      output_index,
      item: { id, type: 'function_call', status: 'completed', arguments: args, call_id: callId, name },
    },
  ];
}

function webSearch(query: string, sources: Array<{ url: string; title: string }> = [], opts: ItemOpts = {}): Ev[] {
  const id = itemId('ws');
  const output_index = opts.outputIndex ?? 0;
  const at = { item_id: id, output_index };
  return [
    { type: 'response.output_item.added', output_index, item: { id, type: 'web_search_call', status: 'in_progress' } },
    { type: 'response.web_search_call.in_progress', ...at },
    { type: 'response.web_search_call.searching', ...at },
    { type: 'response.web_search_call.completed', ...at },
    {
      type: 'response.output_item.done',
      output_index,
      item: {
        id,
        type: 'web_search_call',
        status: 'completed',
        action: { type: 'search', query, sources: sources.map((s) => ({ type: 'url', ...s })) },
      },
    },
  ];
}

function completed(usage?: Partial<UsageInput>): Ev {
  return {
    type: 'response.completed',
    response: { ...responseShell('completed'), output: [], error: null, usage: usageObject(usage) },
  };
}

function incomplete(reason: string): Ev {
  return {
    type: 'response.incomplete',
    response: { ...responseShell('incomplete'), output: [], incomplete_details: { reason }, usage: usageObject() },
  };
}

function failed(code: string, message: string): Ev {
  return {
    type: 'response.failed',
    response: { ...responseShell('failed'), error: { code, message }, usage: null, user: null, metadata: {} },
  };
}

function error(code: string, message: string): Ev {
  return { type: 'error', code, message, param: null };
}

/** The backend's own quota snapshot, which may arrive before `response.created` (ignored by clients). */
function rateLimits(): Ev {
  const now = Math.floor(Date.now() / 1000);
  const window = (used: number, minutes: number, after: number) => ({
    used_percent: used,
    window_minutes: minutes,
    reset_after_seconds: after,
    reset_at: now + after,
  });
  return {
    type: 'codex.rate_limits',
    plan_type: 'plus',
    rate_limits: {
      allowed: true,
      limit_reached: false,
      primary: window(12, 300, 9000),
      secondary: window(34, 10080, 300000),
    },
    code_review_rate_limits: null,
    additional_rate_limits: null,
    credits: { has_credits: false, unlimited: false, balance: '0' },
  };
}

export const ev = {
  created,
  textMessage,
  reasoning,
  functionCall,
  completed,
  incomplete,
  failed,
  error,
  rateLimits,
  webSearch,
};

/** Round-robin merge: one event of each sequence in turn (parallel items streaming at once). */
export function interleave(...seqs: Ev[][]): Ev[] {
  const out: Ev[] = [];
  const longest = Math.max(0, ...seqs.map((s) => s.length));
  for (let i = 0; i < longest; i++) for (const seq of seqs) if (i < seq.length) out.push(seq[i]);
  return out;
}

export function sseFrame(event: Ev): string {
  return `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}

export function toSse(events: Ev[]): string {
  return events.map(sseFrame).join('');
}
