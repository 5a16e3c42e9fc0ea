// Server-sent events from a fetch body (EventSource cannot POST, and /v1/messages needs a body).
import { createParser } from 'eventsource-parser';

export interface SseMessage {
  /** The `event:` name; `message` when the server sent none. */
  event: string;
  data: string;
}

/** Yield each complete event of an SSE body as it arrives. Stops the body if the consumer stops early. */
export async function* readSse(body: ReadableStream<Uint8Array>): AsyncGenerator<SseMessage> {
  const pending: SseMessage[] = [];
  const parser = createParser({ onEvent: (e) => pending.push({ event: e.event ?? 'message', data: e.data }) });
  const decoder = new TextDecoder();
  const reader = body.getReader();
  let finished = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      parser.feed(decoder.decode(value, { stream: true }));
      yield* pending.splice(0);
    }
    finished = true;
    parser.feed(decoder.decode());
    yield* pending.splice(0);
  } finally {
    if (!finished) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}
