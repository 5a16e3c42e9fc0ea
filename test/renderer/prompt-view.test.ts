import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import PromptView from '../../renderer/src/views/PromptView.svelte';
import type { MessagesRequest } from '../../shared/anthropic.js';
import { mockApi, sse } from './support/fixtures.js';

/** A streamed response the test feeds by hand, to look at the view between chunks. */
function manualStream() {
  const encoder = new TextEncoder();
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const body = new ReadableStream<Uint8Array>({ start: (c) => void (controller = c) });
  return {
    response: new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } }),
    push: (text: string) => controller.enqueue(encoder.encode(text)),
    end: () => controller.close(),
    fail: (reason: unknown) => controller.error(reason),
  };
}

const start = sse({
  type: 'message_start',
  message: {
    id: 'msg_1', type: 'message', role: 'assistant', model: 'claude-opus-5-5', content: [], stop_reason: null, stop_sequence: null,
    usage: { input_tokens: 1200, output_tokens: 1, cache_creation_input_tokens: 0, cache_read_input_tokens: 800 },
  },
});

async function sendPrompt(text: string): Promise<void> {
  await fireEvent.input(screen.getByTestId('prompt-input'), { target: { value: text } });
  await fireEvent.click(screen.getByTestId('prompt-send'));
}

describe('PromptView', () => {
  it('renders streamed thinking and text as they arrive, then the usage', async () => {
    const stream = manualStream();
    const postMessages = vi.fn(async (_body: MessagesRequest) => stream.response);
    render(PromptView, { props: { api: mockApi({ postMessages }) } });

    await fireEvent.change(screen.getByTestId('prompt-model'), { target: { value: 'claude-opus-5-5' } });
    await sendPrompt('Say hello');
    expect(postMessages.mock.calls[0][0]).toMatchObject({
      model: 'claude-opus-5-5',
      stream: true,
      messages: [{ role: 'user', content: 'Say hello' }],
      thinking: { type: 'adaptive' },
    });

    stream.push(start);
    stream.push(sse({ type: 'content_block_start', index: 0, content_block: { type: 'thinking', thinking: '', signature: '' } }));
    stream.push(sse({ type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'A greeting.' } }));
    stream.push(sse({ type: 'content_block_stop', index: 0 }));
    stream.push(sse({ type: 'content_block_start', index: 1, content_block: { type: 'text', text: '' } }));
    stream.push(sse({ type: 'content_block_delta', index: 1, delta: { type: 'text_delta', text: 'Hel' } }));
    await waitFor(() => expect(screen.getByTestId('prompt-output').textContent).toBe('Hel'));
    expect(screen.getByTestId('prompt-status').dataset.state).toBe('streaming');
    expect(screen.getByTestId('prompt-stop')).toHaveProperty('disabled', false);
    expect(screen.getByTestId('prompt-thinking-output').textContent).toBe('A greeting.');

    // an event split across two network chunks
    const tail = sse({ type: 'content_block_delta', index: 1, delta: { type: 'text_delta', text: 'lo there' } });
    stream.push(tail.slice(0, 20));
    stream.push(tail.slice(20));
    stream.push(sse({ type: 'content_block_stop', index: 1 }));
    stream.push(sse({ type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 37 } }));
    stream.push(sse({ type: 'message_stop' }));
    stream.end();

    await waitFor(() => expect(screen.getByTestId('prompt-status').dataset.state).toBe('done'));
    expect(screen.getByTestId('prompt-output').textContent).toBe('Hello there');
    expect(screen.getByTestId('prompt-status').textContent).toBe('done (end_turn)');
    expect(screen.getByTestId('prompt-usage-model').textContent).toBe('claude-opus-5-5');
    expect(screen.getByTestId('prompt-usage-input').textContent).toBe('1,200');
    expect(screen.getByTestId('prompt-usage-cached').textContent).toBe('800');
    expect(screen.getByTestId('prompt-usage-output').textContent).toBe('37');
    expect(screen.queryByTestId('prompt-error')).toBeNull();
  });

  it('shows the message of an Anthropic error answer', async () => {
    const body = { type: 'error', error: { type: 'rate_limit_error', message: 'Every account is rate limited for 3h.' } };
    const postMessages = async () => new Response(JSON.stringify(body), { status: 429 });
    render(PromptView, { props: { api: mockApi({ postMessages }) } });
    await fireEvent.click(screen.getByTestId('prompt-thinking'));
    await sendPrompt('hi');
    expect((await screen.findByTestId('prompt-error')).textContent).toBe('Every account is rate limited for 3h.');
    expect(screen.getByTestId('prompt-status').dataset.state).toBe('error');
  });

  it('sends no thinking request when thinking is off', async () => {
    const postMessages = vi.fn(async (_body: MessagesRequest) => new Response('{}', { status: 500 }));
    render(PromptView, { props: { api: mockApi({ postMessages }) } });
    await fireEvent.click(screen.getByTestId('prompt-thinking'));
    await sendPrompt('hi');
    await waitFor(() => expect(postMessages).toHaveBeenCalledOnce());
    expect(postMessages.mock.calls[0][0].thinking).toBeUndefined();
  });

  it('stops a running stream', async () => {
    const stream = manualStream();
    let signal: AbortSignal | undefined;
    const postMessages = async (_body: MessagesRequest, s?: AbortSignal) => {
      signal = s;
      // what fetch does to a body when its request is aborted
      s?.addEventListener('abort', () => stream.fail(new DOMException('The operation was aborted.', 'AbortError')));
      return stream.response;
    };
    render(PromptView, { props: { api: mockApi({ postMessages }) } });
    await sendPrompt('long answer please');
    stream.push(start);
    await waitFor(() => expect(screen.getByTestId('prompt-stop')).toHaveProperty('disabled', false));
    await fireEvent.click(screen.getByTestId('prompt-stop'));
    expect(signal?.aborted).toBe(true);
    expect((await screen.findByTestId('prompt-error')).textContent).toBe('Stopped.');
  });
});
