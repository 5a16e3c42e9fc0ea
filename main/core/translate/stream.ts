// Codex Responses SSE events → Anthropic Messages stream events, as a pure state machine: the
// caller feeds parsed upstream events in and writes out whatever comes back. No I/O, no timers
// (keepalive pings are the server's job).
//
// Longer than our 350-line guide on purpose: the item tracks and the translator are one state
// machine over one shared context (the open block, the turn's facts); split apart they would
// hand that context through every call.
import {
  type ContentDelta,
  type ErrorType,
  type ResponseContentBlock,
  type StopReason,
  type StreamEvent,
  type Usage,
  type WebSearchResult,
} from '../../../shared/anthropic.js';
import type { CodexEvent } from '../../../shared/codex.js';
import { finiteNumber, isRecord, nonEmptyString, recordsIn, stringOf } from '../util/guards.js';
import { BlockSequencer, type BlockOp } from './block-sequencer.js';
import { randomId } from './ids.js';
import { messageStart } from './message-start.js';
import { encodeSignature } from './signature.js';
import type { ToolNameMap } from './tools.js';

/** Upstream events the translator understands; anything else is ignored (and noticed by the lane). */
export const KNOWN_EVENT_TYPES: ReadonlySet<string> = new Set([
  'response.created',
  'response.in_progress',
  'response.queued',
  'response.output_item.added',
  'response.output_item.done',
  'response.content_part.added',
  'response.content_part.done',
  'response.output_text.delta',
  'response.output_text.done',
  'response.output_text.annotation.added',
  'response.refusal.delta',
  'response.refusal.done',
  'response.function_call_arguments.delta',
  'response.function_call_arguments.done',
  'response.reasoning_summary_part.added',
  'response.reasoning_summary_part.done',
  'response.reasoning_summary_text.delta',
  'response.reasoning_summary_text.done',
  'response.reasoning_text.delta',
  'response.reasoning_text.done',
  'response.web_search_call.in_progress',
  'response.web_search_call.searching',
  'response.web_search_call.completed',
  'response.completed',
  'response.incomplete',
  'response.failed',
  'error',
  // Side channels of the Codex backend that carry nothing for the client.
  'codex.rate_limits',
  'codex.response.metadata',
  'response.metadata',
]);

export interface ResponseTranslatorOptions {
  /** The model id the client asked for; reported back verbatim. */
  model: string;
  messageId?: string;
  toolNames: ToolNameMap;
  thinkingDisplay: 'summarized' | 'omitted' | 'none';
  /** Reported in message_start, before upstream usage is known. */
  inputTokensEstimate?: number;
  /** Keyed tag of the account serving this response; thinking signatures carry it. */
  accountTag?: string;
  /**
   * What a `response.failed` error or an `error` event tells the client. The caller passes the
   * one failure classifier (upstream/failure.ts); without it every failure is a plain api_error.
   */
  failureOf?: (raw: unknown) => StreamFailure;
}

/** The Anthropic error a failure inside the stream ends it with. */
export interface StreamFailure {
  errorType: ErrorType;
  message: string;
}

function plainFailure(raw: unknown): StreamFailure {
  const fields = isRecord(raw) ? (isRecord(raw.error) ? raw.error : raw) : {};
  const message = typeof fields.message === 'string' && fields.message ? fields.message : 'the response failed';
  return { errorType: 'api_error', message: `Codex backend error: ${message}` };
}

/**
 * An output item as upstream sent it. The declared OutputItem shapes are what the backend is
 * meant to send; every field is read through a guard, so a missing or mistyped one counts as
 * absent instead of breaking the stream.
 */
type RawItem = Record<string, unknown>;

type ItemKind = 'message' | 'reasoning' | 'function_call' | 'web_search_call' | 'other';

/** Shared state the item tracks report into. */
interface TurnFacts {
  toolUse: boolean;
  refusal: boolean;
  webSearches: number;
}

interface ItemContext {
  blocks: BlockSequencer;
  facts: TurnFacts;
  opts: ResponseTranslatorOptions;
}

abstract class ItemTrack {
  finished = false;
  constructor(
    readonly kind: ItemKind,
    readonly outputIndex: number | undefined,
    readonly itemId: string | undefined,
    protected readonly ctx: ItemContext,
  ) {}

  /** Called once with the `.done` item, or with undefined when the response ends without it. */
  finish(item: RawItem | undefined): void {
    if (this.finished) return;
    this.finished = true;
    this.close(item);
  }

  protected abstract close(item: RawItem | undefined): void;

  protected write(op: BlockOp): void {
    this.ctx.blocks.write(this, op);
  }
}

/** Streams text as it comes, then adds whatever the authoritative `.done` text has beyond it. */
abstract class StreamedTextTrack extends ItemTrack {
  protected streamed = '';
  protected started = false;

  protected abstract openBlock(): void;
  protected abstract deltaFor(text: string): ContentDelta | null;

  protected append(text: string): void {
    if (!text) return;
    this.ensureStarted();
    this.streamed += text;
    const delta = this.deltaFor(text);
    if (delta) this.write({ op: 'delta', delta });
  }

  protected ensureStarted(): void {
    if (this.started) return;
    this.started = true;
    this.openBlock();
  }

  /** Deltas cannot be taken back: only a final text that extends what was streamed adds anything. */
  protected reconcile(finalText: string): void {
    if (finalText.length > this.streamed.length && finalText.startsWith(this.streamed)) {
      this.append(finalText.slice(this.streamed.length));
    }
  }
}

class MessageTrack extends StreamedTextTrack {
  addText(text: string): void {
    this.append(text);
  }

  protected openBlock(): void {
    this.write({ op: 'start', block: { type: 'text', text: '' } });
  }

  protected deltaFor(text: string): ContentDelta {
    return { type: 'text_delta', text };
  }

  protected close(item: RawItem | undefined): void {
    if (item?.type === 'message') {
      const parts = recordsIn(item.content);
      if (parts.some((p) => p.type === 'refusal')) this.ctx.facts.refusal = true;
      this.reconcile(parts.map(partText).join(''));
    }
    // An empty text block makes Claude Code re-request silently, so a message without text emits none.
    if (this.started) this.write({ op: 'stop' });
  }
}

function partText(part: Record<string, unknown>): string {
  const text = part.type === 'refusal' ? (stringOf(part.refusal) ?? part.text) : part.text;
  return stringOf(text) ?? '';
}

const SUMMARY_SEPARATOR = '\n\n';

class ReasoningTrack extends StreamedTextTrack {
  private part: string | undefined;

  /** `part` identifies the summary part (or raw-content part) so parts get a blank line between them. */
  addReasoning(text: string, part: string): void {
    if (!text) return;
    if (this.part !== undefined && part !== this.part && this.streamed) this.append(SUMMARY_SEPARATOR);
    this.part = part;
    this.append(text);
  }

  opened(): void {
    this.ensureStarted();
  }

  protected openBlock(): void {
    this.write({ op: 'start', block: { type: 'thinking', thinking: '', signature: '' } });
  }

  protected deltaFor(text: string): ContentDelta | null {
    return this.ctx.opts.thinkingDisplay === 'summarized' ? { type: 'thinking_delta', thinking: text } : null;
  }

  protected close(item: RawItem | undefined): void {
    this.ensureStarted();
    const reasoning = item?.type === 'reasoning' ? item : undefined;
    if (reasoning) this.reconcile(finalReasoningText(reasoning));
    // Without encrypted content the signature carries an empty payload, which the request side
    // decodes as "nothing to replay" and drops; the block itself stays valid for the client.
    const signature = encodeSignature(stringOf(reasoning?.encrypted_content) ?? '', this.ctx.opts.accountTag);
    this.write({ op: 'delta', delta: { type: 'signature_delta', signature } });
    this.write({ op: 'stop' });
  }
}

/** The summary parts' texts, or the raw reasoning's when there is no summary. */
function finalReasoningText(item: RawItem): string {
  const textsOf = (parts: unknown) => recordsIn(parts).flatMap((p) => (nonEmptyString(p.text) ? [p.text] : []));
  const summary = textsOf(item.summary);
  return (summary.length > 0 ? summary : textsOf(item.content)).join(SUMMARY_SEPARATOR);
}

/**
 * Stands in for a call upstream sent without a name: Claude Code answers it with a "no such tool"
 * result, which tells the model what went wrong, where dropping the call would lose it silently.
 */
const UNNAMED_TOOL = 'unnamed_tool';

class FunctionCallTrack extends ItemTrack {
  private args = '';

  open(item: RawItem): void {
    this.ctx.facts.toolUse = true;
    const id = [item.call_id, item.id].find(nonEmptyString) ?? randomId('call_');
    const block: ResponseContentBlock = {
      type: 'tool_use',
      id,
      name: nonEmptyString(item.name) ? this.ctx.opts.toolNames.fromUpstream(item.name) : UNNAMED_TOOL,
      input: {},
    };
    this.write({ op: 'start', block });
  }

  addArguments(delta: string): void {
    if (!delta) return;
    this.args += delta;
    this.write({ op: 'delta', delta: { type: 'input_json_delta', partial_json: delta } });
  }

  protected close(item: RawItem | undefined): void {
    const final = item?.type === 'function_call' ? stringOf(item.arguments) : undefined;
    if (!this.args.trim()) {
      // The concatenated partial_json must parse as an object; a tool without arguments gets `{}`.
      this.addArguments(final?.trim() ? final : '{}');
    } else if (final && final.length > this.args.length && final.startsWith(this.args)) {
      this.addArguments(final.slice(this.args.length));
    }
    this.write({ op: 'stop' });
  }
}

/** A web search the model ran upstream: a server_tool_use block plus its result block. */
class WebSearchTrack extends ItemTrack {
  private latest: RawItem | undefined;

  remember(item: RawItem): void {
    this.latest = item;
  }

  protected close(item: RawItem | undefined): void {
    const search = item?.type === 'web_search_call' ? item : this.latest;
    const action = isRecord(search?.action) ? search.action : {};
    const id = `srvtoolu_${nonEmptyString(search?.id) ? search.id : randomId('')}`;
    const input = nonEmptyString(action.query)
      ? { query: action.query }
      : nonEmptyString(action.url)
        ? { url: action.url }
        : {};
    this.ctx.facts.webSearches++;
    this.write({ op: 'start', block: { type: 'server_tool_use', id, name: 'web_search', input: {} } });
    this.write({ op: 'delta', delta: { type: 'input_json_delta', partial_json: JSON.stringify(input) } });
    this.write({ op: 'stop' });
    const content: WebSearchResult[] = recordsIn(action.sources).flatMap((s) =>
      nonEmptyString(s.url)
        ? [{ type: 'web_search_result', url: s.url, title: nonEmptyString(s.title) ? s.title : s.url, page_age: null }]
        : [],
    );
    this.write({ op: 'start', block: { type: 'web_search_tool_result', tool_use_id: id, content } });
    this.write({ op: 'stop' });
  }
}

/** Output items we do not translate (custom tools, image generation, hidden reasoning, …). */
class SilentTrack extends ItemTrack {
  protected close(): void {}
}

/** Clients add token counts up: anything but a non-negative whole number would poison their totals. */
function tokenCount(value: unknown): number {
  return Math.max(0, Math.floor(finiteNumber(value) ?? 0));
}

function kindOf(item: RawItem): ItemKind {
  switch (item.type) {
    case 'message':
    case 'reasoning':
    case 'function_call':
    case 'web_search_call':
      return item.type;
    default:
      return 'other';
  }
}

type ItemEvent = { output_index?: number; item_id?: string };

export class ResponseTranslator {
  private readonly opts: ResponseTranslatorOptions;
  private readonly messageId: string;
  private readonly tracks: ItemTrack[] = [];
  private readonly facts: TurnFacts = { toolUse: false, refusal: false, webSearches: 0 };
  private readonly pending: StreamEvent[] = [];
  private readonly blocks = new BlockSequencer((event) => this.pending.push(event));
  private currentUsage: Usage;
  private terminal = false;
  private failed: StreamFailure | null = null;

  constructor(opts: ResponseTranslatorOptions) {
    this.opts = opts;
    this.messageId = opts.messageId ?? randomId('msg_');
    this.currentUsage = {
      input_tokens: opts.inputTokensEstimate ?? 0,
      output_tokens: 0,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
    };
  }

  get done(): boolean {
    return this.terminal;
  }

  /** What ended the stream, when a failure did. */
  get failure(): StreamFailure | null {
    return this.failed;
  }

  get emittedContent(): boolean {
    return this.blocks.started;
  }

  get usage(): Usage {
    return { ...this.currentUsage };
  }

  start(): StreamEvent[] {
    // Anthropic reports one output token at start; the final message_delta replaces it.
    return [messageStart(this.messageId, this.opts.model, { ...this.currentUsage, output_tokens: 1 })];
  }

  push(event: CodexEvent | { type: string }): StreamEvent[] {
    if (this.terminal) return [];
    if (isRecord(event)) this.handle(event);
    return this.pending.splice(0);
  }

  end(): StreamEvent[] {
    if (this.terminal) return [];
    this.fail({ errorType: 'api_error', message: 'Codex backend error: stream closed before response.completed' });
    return this.pending.splice(0);
  }

  /** Routes one upstream event; its fields are read through guards (see RawItem). */
  private handle(ev: Record<string, unknown>): void {
    const at: ItemEvent = { output_index: finiteNumber(ev.output_index), item_id: stringOf(ev.item_id) };
    const delta = stringOf(ev.delta) ?? '';
    const response = isRecord(ev.response) ? ev.response : undefined;
    switch (ev.type) {
      case 'response.output_item.added':
        if (isRecord(ev.item)) this.itemAdded(ev.item, at.output_index);
        return;
      case 'response.output_item.done':
        if (isRecord(ev.item)) this.itemDone(ev.item, at.output_index);
        return;
      case 'response.output_text.delta':
        this.messageTrack(at).addText(delta);
        return;
      case 'response.refusal.delta':
        this.facts.refusal = true;
        this.messageTrack(at).addText(delta);
        return;
      case 'response.function_call_arguments.delta':
        this.findTrack<FunctionCallTrack>('function_call', at)?.addArguments(delta);
        return;
      case 'response.reasoning_summary_text.delta':
        this.reasoningTrack(at)?.addReasoning(delta, `summary:${finiteNumber(ev.summary_index) ?? 0}`);
        return;
      case 'response.reasoning_text.delta':
        this.reasoningTrack(at)?.addReasoning(delta, `content:${finiteNumber(ev.content_index) ?? 0}`);
        return;
      case 'response.completed':
        this.complete(response, undefined);
        return;
      case 'response.incomplete': {
        const details = isRecord(response?.incomplete_details) ? response.incomplete_details : {};
        this.complete(response, stringOf(details.reason) ?? 'unknown');
        return;
      }
      case 'response.failed':
        this.fail((this.opts.failureOf ?? plainFailure)(response?.error));
        return;
      case 'error':
        this.fail((this.opts.failureOf ?? plainFailure)(ev));
        return;
      default:
      // Everything else (rate-limit snapshots, metadata, part/done bookkeeping) carries nothing to show.
    }
  }

  private createTrack(kind: ItemKind, outputIndex: number | undefined, itemId: string | undefined): ItemTrack {
    const ctx: ItemContext = { blocks: this.blocks, facts: this.facts, opts: this.opts };
    const hidden = kind === 'reasoning' && this.opts.thinkingDisplay === 'none';
    let track: ItemTrack;
    if (hidden || kind === 'other') track = new SilentTrack(kind, outputIndex, itemId, ctx);
    else if (kind === 'message') track = new MessageTrack(kind, outputIndex, itemId, ctx);
    else if (kind === 'reasoning') track = new ReasoningTrack(kind, outputIndex, itemId, ctx);
    else if (kind === 'function_call') track = new FunctionCallTrack(kind, outputIndex, itemId, ctx);
    else track = new WebSearchTrack(kind, outputIndex, itemId, ctx);
    this.tracks.push(track);
    return track;
  }

  private itemAdded(item: RawItem, outputIndex: number | undefined): ItemTrack {
    const track = this.createTrack(kindOf(item), outputIndex, stringOf(item.id));
    if (track instanceof ReasoningTrack) track.opened();
    else if (track instanceof FunctionCallTrack) track.open(item);
    else if (track instanceof WebSearchTrack) track.remember(item);
    return track;
  }

  private itemDone(item: RawItem, outputIndex: number | undefined): void {
    const kind = kindOf(item);
    // Some streams carry an item only in its `.done` event (no `.added`, no deltas).
    const track =
      this.findTrack(kind, { output_index: outputIndex, item_id: stringOf(item.id) }) ??
      this.itemAdded(item, outputIndex);
    track.finish(item);
  }

  /**
   * The item an event belongs to: by output_index, else by item id, else (streams that carry
   * neither) the latest unfinished item of that kind.
   */
  private findTrack<T extends ItemTrack>(kind: ItemKind, ev: ItemEvent): T | undefined {
    const open = this.tracks.filter((t) => t.kind === kind && !t.finished);
    const byIndex =
      typeof ev.output_index === 'number' ? open.find((t) => t.outputIndex === ev.output_index) : undefined;
    const byId = ev.item_id ? open.find((t) => t.itemId === ev.item_id) : undefined;
    const unkeyed = typeof ev.output_index !== 'number' && !ev.item_id ? open.at(-1) : undefined;
    return (byIndex ?? byId ?? unkeyed) as T | undefined;
  }

  private messageTrack(ev: ItemEvent): MessageTrack {
    return (this.findTrack('message', ev) ?? this.createTrack('message', ev.output_index, ev.item_id)) as MessageTrack;
  }

  private reasoningTrack(ev: ItemEvent): ReasoningTrack | undefined {
    const found = this.findTrack('reasoning', ev);
    if (found) return found instanceof ReasoningTrack ? found : undefined;
    const track = this.itemAdded({ type: 'reasoning', id: ev.item_id }, ev.output_index);
    return track instanceof ReasoningTrack ? track : undefined;
  }

  /** Items the response ended without `.done` for are closed with what they streamed. */
  private finishAllItems(): void {
    const owner = this.blocks.openOwner;
    if (owner instanceof ItemTrack) owner.finish(undefined);
    for (const track of this.tracks) track.finish(undefined);
  }

  private complete(response: Record<string, unknown> | undefined, incompleteReason: string | undefined): void {
    this.terminal = true;
    this.finishAllItems();
    this.applyUsage(response?.usage);
    this.pending.push(
      {
        type: 'message_delta',
        delta: { stop_reason: this.stopReason(incompleteReason), stop_sequence: null },
        usage: { ...this.currentUsage },
      },
      { type: 'message_stop' },
    );
  }

  // max_tokens makes Claude Code continue automatically and refusal ends the turn: report them only
  // when upstream really said so.
  private stopReason(incompleteReason: string | undefined): StopReason {
    if (incompleteReason === 'max_output_tokens') return 'max_tokens';
    if (incompleteReason === 'content_filter') return 'refusal';
    if (this.facts.toolUse) return 'tool_use';
    return this.facts.refusal ? 'refusal' : 'end_turn';
  }

  private applyUsage(usage: unknown): void {
    if (this.facts.webSearches > 0) this.currentUsage.server_tool_use = { web_search_requests: this.facts.webSearches };
    if (!isRecord(usage)) return;
    const details = isRecord(usage.input_tokens_details) ? usage.input_tokens_details : {};
    const cached = tokenCount(details.cached_tokens);
    // Upstream counts cache reads and writes inside input_tokens; Anthropic reports them apart.
    const written = tokenCount(details.cache_write_tokens);
    this.currentUsage.input_tokens = Math.max(0, tokenCount(usage.input_tokens) - cached - written);
    this.currentUsage.cache_read_input_tokens = cached;
    this.currentUsage.cache_creation_input_tokens = written;
    this.currentUsage.output_tokens = tokenCount(usage.output_tokens);
    const outputDetails = isRecord(usage.output_tokens_details) ? usage.output_tokens_details : null;
    if (outputDetails && 'reasoning_tokens' in outputDetails)
      this.currentUsage.output_tokens_details = { thinking_tokens: tokenCount(outputDetails.reasoning_tokens) };
  }

  private fail(failure: StreamFailure): void {
    this.terminal = true;
    this.failed = failure;
    this.blocks.abort();
    this.pending.push({ type: 'error', error: { type: failure.errorType, message: failure.message } });
  }
}
