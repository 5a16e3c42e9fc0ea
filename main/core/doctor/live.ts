// `--live`: one tiny streamed request per lane through the same path Claude Code's requests take
// (routing, translation, account choice and failover, the Codex lane or the OpenRouter lane).
// It spends a little quota, which is why only a POST or the flag asks for it.
import { randomUUID } from 'node:crypto';
import type { MessagesRequest, StreamEvent } from '../../../shared/anthropic.js';
import { ADVERTISED_CLAUDE_MODELS, LANES, type Lane } from '../../../shared/models.js';
import type { MessagesService } from '../proxy/types.js';
import type { LiveOutcome } from './checks.js';

const LIVE_TIMEOUT_MS = 120_000;
const PROMPT = 'Reply with the single word: ok';

/** The newest advertised Claude id of the lane's family, so the request routes as Claude Code's would. */
export function claudeModelFor(lane: Lane): string {
  return ADVERTISED_CLAUDE_MODELS.find((m) => m.id.split('-').includes(lane))?.id ?? `claude-${lane}`;
}

export function liveRequest(lane: Lane): MessagesRequest {
  return {
    model: claudeModelFor(lane),
    max_tokens: 32,
    stream: true,
    messages: [{ role: 'user', content: PROMPT }],
  };
}

/** The text, output tokens and any error of a finished stream. */
export function readEvents(batches: StreamEvent[][]): {
  text: string;
  outputTokens: number | null;
  error: string | null;
} {
  let text = '';
  let outputTokens: number | null = null;
  let error: string | null = null;
  for (const ev of batches.flat()) {
    if (ev.type === 'content_block_delta' && ev.delta.type === 'text_delta') text += ev.delta.text;
    else if (ev.type === 'message_delta') outputTokens = ev.usage.output_tokens;
    else if (ev.type === 'error') error = ev.error.message;
  }
  return { text, outputTokens, error };
}

async function oneLane(messages: MessagesService, lane: Lane, now: () => number): Promise<LiveOutcome> {
  const request = liveRequest(lane);
  const started = now();
  const signal = AbortSignal.timeout(LIVE_TIMEOUT_MS);
  const base = { lane, model: request.model };
  try {
    const result = await messages.send({
      request,
      headers: { 'x-claude-code-session-id': `doctor-${randomUUID()}` },
      signal,
      requestId: `req_doctor_${randomUUID().replace(/-/g, '')}`,
    });
    if (!result.ok)
      return {
        ...base,
        ok: false,
        message: result.failure.message,
        code: result.failure.code,
        status: result.failure.status,
      };
    const batches: StreamEvent[][] = [];
    for await (const batch of result.events) batches.push(batch);
    const read = readEvents(batches);
    if (read.error) return { ...base, ok: false, message: read.error };
    return {
      ...base,
      ok: true,
      upstreamModel: result.meta.upstreamModel,
      account: result.meta.account,
      text: read.text,
      outputTokens: read.outputTokens,
      ms: Math.round(now() - started),
    };
  } catch (err) {
    const timedOut = signal.aborted;
    return {
      ...base,
      ok: false,
      message: timedOut ? `no complete answer within ${LIVE_TIMEOUT_MS / 1000} s` : (err as Error).message,
    };
  }
}

/** One lane after the other: the quota spent stays small and the answers come in lane order. */
export async function runLive(messages: MessagesService, now: () => number = Date.now): Promise<LiveOutcome[]> {
  const out: LiveOutcome[] = [];
  for (const lane of LANES) out.push(await oneLane(messages, lane, now));
  return out;
}
