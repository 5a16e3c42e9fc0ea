// Checks a stream against the Anthropic streaming grammar as strictly as the strictest client we
// serve (Claude Code and the official SDK's MessageStream). Returns every violation found, so a
// failing test shows all of them at once.
import type { ContentDelta, ResponseContentBlock, StopReason, StreamEvent } from '../../shared/anthropic.js';

const STOP_REASONS: readonly StopReason[] = [
  'end_turn',
  'max_tokens',
  'stop_sequence',
  'tool_use',
  'pause_turn',
  'refusal',
];

const DELTA_BLOCK_TYPES: Record<ContentDelta['type'], readonly string[]> = {
  text_delta: ['text'],
  citations_delta: ['text'],
  thinking_delta: ['thinking'],
  signature_delta: ['thinking'],
  input_json_delta: ['tool_use', 'server_tool_use'],
};

const DELTA_FIELDS: Record<ContentDelta['type'], string> = {
  text_delta: 'text',
  citations_delta: 'citation',
  thinking_delta: 'thinking',
  signature_delta: 'signature',
  input_json_delta: 'partial_json',
};

interface ParsedSse {
  events: StreamEvent[];
  violations: string[];
}

/** Splits raw SSE text the way the SDK does (any line ending, `:` comments, multi-line data). */
export function parseSse(text: string): ParsedSse {
  const events: StreamEvent[] = [];
  const violations: string[] = [];
  const chunks = text.replace(/\r\n?/g, '\n').split(/\n{2,}/);
  chunks.forEach((chunk, n) => {
    let name: string | undefined;
    const data: string[] = [];
    for (const line of chunk.split('\n')) {
      if (line === '' || line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon === -1 ? line : line.slice(0, colon);
      const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') name = value;
      else if (field === 'data') data.push(value);
    }
    if (name === undefined && data.length === 0) return;
    const where = `SSE event #${n + 1}`;
    if (name === undefined) violations.push(`${where}: no "event:" line (clients skip data-only events)`);
    if (data.length === 0) {
      violations.push(`${where} (${name}): no "data:" line`);
      return;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(data.join('\n'));
    } catch {
      violations.push(`${where} (${name}): data is not JSON`);
      return;
    }
    const type = (parsed as { type?: unknown } | null)?.type;
    if (name !== undefined && type !== name)
      violations.push(`${where}: event name "${name}" but data.type ${JSON.stringify(type)}`);
    events.push(parsed as StreamEvent);
  });
  return { events, violations };
}

function isEmptyObject(v: unknown): boolean {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 0;
}

function checkBlockShell(block: ResponseContentBlock, where: string): string[] {
  switch (block.type) {
    case 'text':
      return block.text === '' ? [] : [`${where}: text block must start empty (text arrives through text_delta)`];
    case 'thinking':
      return block.thinking === '' && block.signature === ''
        ? []
        : [`${where}: thinking block must start with thinking:"" and signature:""`];
    case 'tool_use':
    case 'server_tool_use': {
      const problems: string[] = [];
      if (typeof block.id !== 'string' || !block.id) problems.push(`${where}: ${block.type} without an id`);
      if (typeof block.name !== 'string' || !block.name) problems.push(`${where}: ${block.type} without a name`);
      // Claude Code ignores a start input; anything but {} would be silently lost.
      if (!isEmptyObject(block.input))
        problems.push(`${where}: ${block.type} start must carry input:{} (input goes through input_json_delta)`);
      return problems;
    }
    case 'redacted_thinking':
      return typeof block.data === 'string' ? [] : [`${where}: redacted_thinking without data`];
    case 'web_search_tool_result':
      return typeof block.tool_use_id === 'string' ? [] : [`${where}: web_search_tool_result without tool_use_id`];
    default:
      return [`${where}: unknown content block type ${JSON.stringify((block as { type?: unknown }).type)}`];
  }
}

function parsesToObject(json: string): boolean {
  try {
    const value: unknown = JSON.parse(json);
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
}

interface OpenBlock {
  index: number;
  type: string;
  json: string;
  signed: boolean;
}

/**
 * Violations of the streaming grammar; empty means valid. Tool input JSON may be cut short only
 * where Anthropic cuts it too: in the block closed right before an `error` event, or when the
 * stop reason is max_tokens.
 */
export function validateAnthropicStream(input: StreamEvent[] | string): string[] {
  const { events, violations } = typeof input === 'string' ? parseSse(input) : { events: input, violations: [] };
  const problems = [...violations];
  let open: OpenBlock | null = null;
  let nextIndex = 0;
  let started = false;
  let messageDelta: Extract<StreamEvent, { type: 'message_delta' }> | null = null;
  let finished: 'message_stop' | 'error' | null = null;
  let unparsedToolJson: { index: number; eventNo: number } | null = null;
  const jsonProblems: Array<{ index: number; eventNo: number }> = [];

  events.forEach((ev, n) => {
    const where = `event #${n + 1} (${ev?.type})`;
    if (finished) {
      problems.push(`${where}: after ${finished}, nothing may follow`);
      return;
    }
    if (ev.type === 'ping') return;
    if (!started && ev.type !== 'message_start' && ev.type !== 'error') {
      problems.push(`${where}: the stream must begin with message_start`);
      started = true;
    }
    switch (ev.type) {
      case 'message_start': {
        if (started) problems.push(`${where}: message_start sent twice`);
        started = true;
        const m = ev.message;
        if (!Array.isArray(m?.content) || m.content.length > 0) problems.push(`${where}: message.content must be []`);
        if (m?.stop_reason !== null) problems.push(`${where}: message.stop_reason must be null`);
        if (typeof m?.usage?.input_tokens !== 'number') problems.push(`${where}: message.usage.input_tokens missing`);
        return;
      }
      case 'content_block_start':
        if (messageDelta) problems.push(`${where}: block started after message_delta`);
        if (open) problems.push(`${where}: block ${open.index} is still open (one block at a time)`);
        if (ev.index !== nextIndex) problems.push(`${where}: index ${ev.index}, expected ${nextIndex}`);
        if (typeof ev.content_block !== 'object' || ev.content_block === null)
          problems.push(`${where}: no content_block`);
        else problems.push(...checkBlockShell(ev.content_block, where));
        nextIndex = Math.max(nextIndex, ev.index + 1);
        open = { index: ev.index, type: ev.content_block?.type, json: '', signed: false };
        return;
      case 'content_block_delta': {
        if (!open || open.index !== ev.index) {
          problems.push(`${where}: delta to index ${ev.index}, which is not the open block`);
          return;
        }
        const type = ev.delta?.type;
        const allowed = DELTA_BLOCK_TYPES[type];
        if (!allowed) {
          problems.push(`${where}: unknown delta type ${JSON.stringify(type)}`);
          return;
        }
        if (!allowed.includes(open.type)) problems.push(`${where}: ${type} on a ${open.type} block`);
        const field = (ev.delta as unknown as Record<string, unknown>)[DELTA_FIELDS[type]];
        if (type !== 'citations_delta' && typeof field !== 'string')
          problems.push(`${where}: ${type}.${DELTA_FIELDS[type]} must be a string`);
        if (type === 'input_json_delta' && typeof field === 'string') open.json += field;
        if (type === 'thinking_delta' && open.signed) problems.push(`${where}: thinking_delta after signature_delta`);
        if (type === 'signature_delta') open.signed = true;
        return;
      }
      case 'content_block_stop':
        if (!open || open.index !== ev.index) {
          problems.push(`${where}: stop of index ${ev.index}, which is not the open block`);
          return;
        }
        unparsedToolJson = null;
        if ((open.type === 'tool_use' || open.type === 'server_tool_use') && !parsesToObject(open.json)) {
          unparsedToolJson = { index: open.index, eventNo: n + 1 };
          jsonProblems.push(unparsedToolJson);
        }
        open = null;
        return;
      case 'message_delta':
        if (open) problems.push(`${where}: block ${open.index} still open`);
        if (messageDelta) problems.push(`${where}: message_delta sent twice`);
        if (!STOP_REASONS.includes(ev.delta?.stop_reason as StopReason))
          problems.push(`${where}: stop_reason ${JSON.stringify(ev.delta?.stop_reason)} is not a final stop reason`);
        if (ev.delta?.stop_sequence === undefined) problems.push(`${where}: delta.stop_sequence missing`);
        if (typeof ev.usage?.output_tokens !== 'number') problems.push(`${where}: usage.output_tokens missing`);
        messageDelta = ev;
        return;
      case 'message_stop':
        if (open) problems.push(`${where}: block ${open.index} still open`);
        if (!messageDelta) problems.push(`${where}: message_stop without a message_delta before it`);
        finished = 'message_stop';
        return;
      case 'error':
        if (open) problems.push(`${where}: block ${open.index} still open at error`);
        if (typeof ev.error?.type !== 'string' || typeof ev.error?.message !== 'string')
          problems.push(`${where}: error needs error.type and error.message`);
        finished = 'error';
        return;
      default:
        problems.push(`${where}: unknown event type`);
    }
  });

  if (events.length === 0) problems.push('empty stream');
  else if (!finished) {
    if (open) problems.push(`block ${(open as OpenBlock).index} never stopped`);
    problems.push('the stream must end with message_stop (or an error event)');
  }
  const truncationAllowed = (p: { index: number; eventNo: number }): boolean =>
    messageDelta?.delta.stop_reason === 'max_tokens' ||
    (finished === 'error' && p === unparsedToolJson && p.eventNo === events.length - 1);
  for (const p of jsonProblems) {
    if (!truncationAllowed(p))
      problems.push(`block ${p.index}: the concatenated partial_json does not parse to a JSON object`);
  }
  return problems;
}

export function assertValidAnthropicStream(input: StreamEvent[] | string): void {
  const problems = validateAnthropicStream(input);
  if (problems.length > 0) throw new Error(`invalid Anthropic stream:\n- ${problems.join('\n- ')}`);
}
