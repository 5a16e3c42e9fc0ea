// CPU cost of the translation itself, on one core, without any I/O: the response translator over
// the recorded event array, and the whole per-event path the proxy runs (SSE parse, JSON parse,
// translate, JSON stringify, SSE frame).
import { createParser } from 'eventsource-parser';
import type { StreamEvent } from '../shared/anthropic.js';
import type { CodexEvent } from '../shared/codex.js';
import { ResponseTranslator } from '../main/core/translate/stream.js';
import { sseFrame, type Ev } from '../test/fakes/codex-events.js';

const identity = { toUpstream: (n: string) => n, fromUpstream: (n: string) => n };

function translator(): ResponseTranslator {
  return new ResponseTranslator({ model: 'claude-sonnet-5-5', toolNames: identity, thinkingDisplay: 'summarized' });
}

/** Upstream events handled per second, repeating whole streams for about `budgetMs`. */
function rate(budgetMs: number, eventsPerStream: number, runStream: () => void): number {
  for (let i = 0; i < 50; i++) runStream(); // warm up the JIT
  let streams = 0;
  const t0 = performance.now();
  let elapsed = 0;
  while (elapsed < budgetMs) {
    runStream();
    streams++;
    elapsed = performance.now() - t0;
  }
  return (streams * eventsPerStream) / (elapsed / 1000);
}

export function translatorEventsPerSec(events: Ev[], budgetMs: number): number {
  return rate(budgetMs, events.length, () => {
    const t = translator();
    t.start();
    for (const e of events) t.push(e as CodexEvent);
    t.end();
  });
}

export function pipelineEventsPerSec(events: Ev[], budgetMs: number): number {
  const wire = events.map(sseFrame).join('');
  const frame = (e: StreamEvent): string => `event: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`;
  return rate(budgetMs, events.length, () => {
    const t = translator();
    let out = t.start().map(frame).join('');
    const parser = createParser({
      onEvent: (message) => {
        for (const e of t.push(JSON.parse(message.data) as CodexEvent)) out += frame(e);
      },
    });
    parser.feed(wire);
    out += t.end().map(frame).join('');
    if (out.length === 0) throw new Error('no output');
  });
}
