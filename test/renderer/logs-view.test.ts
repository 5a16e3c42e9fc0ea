import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import LogsView from '../../renderer/src/views/LogsView.svelte';
import type { DashboardApi, LogStreamHandlers } from '../../renderer/src/lib/api.js';
import type { CaptureMode, LogEntry, OverviewResponse, RequestCapture } from '../../shared/api.js';
import { captureState, logEntry, mockApi } from './support/fixtures.js';

/** Render the view against a log stream the test drives. */
function setup(maxRows?: number) {
  let handlers: LogStreamHandlers | undefined;
  let closed = false;
  const api = mockApi({
    subscribeLogs: (h) => {
      handlers = h;
      return () => {
        closed = true;
      };
    },
    captureState: async () => captureState(),
    overview: () => Promise.reject(new Error('no overview in this test')),
  });
  const view = render(LogsView, { props: maxRows === undefined ? { api } : { api, maxRows } });
  const emit = async (...entries: LogEntry[]) => {
    for (const entry of entries) handlers?.onEntry(entry);
    await Promise.resolve();
  };
  return { emit, state: (s: Parameters<NonNullable<LogStreamHandlers['onState']>>[0]) => handlers?.onState?.(s), unmount: view.unmount, isClosed: () => closed };
}

const rows = () => screen.queryAllByTestId(/^log-row-\d+$/).map((row) => Number(row.dataset.testid?.slice('log-row-'.length)));

describe('LogsView', () => {
  it('shows entries at info level and above by default, and filters by level and text', async () => {
    const { emit } = setup();
    await emit(
      logEntry(1, { level: 'debug', msg: 'token refresh scheduled' }),
      logEntry(2, { msg: 'server listening' }),
      logEntry(3, { level: 'warn', msg: 'account cooling down' }),
      logEntry(4, { level: 'error', msg: 'upstream failed' }),
    );
    await waitFor(() => expect(rows()).toEqual([2, 3, 4]));

    await fireEvent.change(screen.getByTestId('logs-level'), { target: { value: 'debug' } });
    expect(rows()).toEqual([1, 2, 3, 4]);
    await fireEvent.change(screen.getByTestId('logs-level'), { target: { value: 'warn' } });
    expect(rows()).toEqual([3, 4]);

    await fireEvent.change(screen.getByTestId('logs-level'), { target: { value: 'debug' } });
    await fireEvent.input(screen.getByTestId('logs-filter'), { target: { value: 'ACCOUNT' } });
    expect(rows()).toEqual([3]);
    await fireEvent.input(screen.getByTestId('logs-filter'), { target: { value: 'nothing like this' } });
    expect(screen.getByTestId('logs-empty').textContent).toBe('Nothing matches the filter.');
  });

  it('holds new entries back while paused and shows them on resume', async () => {
    const { emit } = setup();
    await emit(logEntry(1));
    await waitFor(() => expect(rows()).toEqual([1]));

    await fireEvent.click(screen.getByTestId('logs-pause'));
    expect(screen.getByTestId('logs-pause').textContent).toBe('Resume');
    await emit(logEntry(2), logEntry(3));
    await waitFor(() => expect(screen.getByTestId('logs-counts').textContent).toContain('2 new held back'));
    expect(rows()).toEqual([1]);

    await fireEvent.click(screen.getByTestId('logs-pause'));
    expect(rows()).toEqual([1, 2, 3]);
    expect(screen.getByTestId('logs-pause').textContent).toBe('Pause');
  });

  it('shows a request as one row of model, account, tokens, TTFB and status, and opens its facts on click', async () => {
    const { emit } = setup();
    await emit(
      logEntry(5, {
        msg: 'request',
        request: {
          id: 'req_1', method: 'POST', path: '/v1/messages', model: 'claude-sonnet-5-5', upstream_model: 'gpt-5.2-codex',
          account: 'one@example.com', status: 200, latency_ms: 812, input_tokens: 1500, output_tokens: 42, ttfb_ms: 300,
        },
      }),
      logEntry(6, { msg: 'plain line' }),
    );
    await screen.findByTestId('log-row-5');
    expect(screen.getByTestId('log-status-5').textContent).toBe('200');
    expect(screen.getByTestId('log-model-5').textContent).toBe('claude-sonnet-5-5 → gpt-5.2-codex');
    expect(screen.getByTestId('log-account-5').textContent).toBe('one@example.com');
    expect(screen.getByTestId('log-tokens-5').textContent).toBe('1,500 in · 42 out');
    expect(screen.getByTestId('log-ttfb-5').textContent).toBe('TTFB 300 ms');
    // The old "POST /v1/messages 200" message is not repeated on a request row.
    expect(screen.getByTestId('log-row-5').textContent).not.toContain('POST /v1/messages 200');
    expect(screen.queryByTestId('log-row-toggle-6')).toBeNull();
    await emit(logEntry(7, { level: 'error', msg: 'refresh failed', err: { message: 'invalid_grant' } }));
    await fireEvent.click(await screen.findByTestId('log-row-toggle-7'));
    expect(screen.getByTestId('log-details-7').textContent).toContain('invalid_grant');
    expect(screen.queryByTestId('log-details-5')).toBeNull();

    await fireEvent.click(screen.getByTestId('log-row-toggle-5'));
    const details = screen.getByTestId('log-details-5').textContent ?? '';
    for (const text of ['POST', '/v1/messages', 'claude-sonnet-5-5', 'gpt-5.2-codex', 'one@example.com', '200', '812 ms', '300 ms', '1,500', '42', 'req_1']) {
      expect(details).toContain(text);
    }
    expect(screen.getByTestId('inspector-not-captured')).toBeTruthy();
    await fireEvent.click(screen.getByTestId('log-row-toggle-5'));
    expect(screen.queryByTestId('log-details-5')).toBeNull();
  });

  it('ignores the history replayed after a reconnect and caps the rows', async () => {
    const { emit } = setup(3);
    await emit(logEntry(1), logEntry(2), logEntry(3));
    await emit(logEntry(1), logEntry(2), logEntry(3), logEntry(4));
    await waitFor(() => expect(rows()).toEqual([2, 3, 4]));
    expect(screen.getByTestId('logs-counts').textContent).toContain('3 shown of 3');
  });

  it('shows the connection state and closes the stream when it goes away', async () => {
    const { state, unmount, isClosed } = setup();
    expect(screen.getByTestId('logs-connection').dataset.state).toBe('connecting');
    state('live');
    await waitFor(() => expect(screen.getByTestId('logs-connection').dataset.state).toBe('live'));
    unmount();
    expect(isClosed()).toBe(true);
  });

  it('clears the list', async () => {
    const { emit } = setup();
    await emit(logEntry(1), logEntry(2));
    await waitFor(() => expect(rows()).toEqual([1, 2]));
    await fireEvent.click(screen.getByTestId('logs-clear'));
    expect(rows()).toEqual([]);
    await emit(logEntry(1), logEntry(3));
    await waitFor(() => expect(rows()).toEqual([3]));
  });
});

describe('request inspector and capture', () => {
  const captured = logEntry(9, {
    msg: 'POST /v1/messages 200',
    request: { id: 'req_cap', method: 'POST', path: '/v1/messages', model: 'claude-opus-5-5', status: 200, captured: true, attempts: 2 },
  });
  const capture: RequestCapture = {
    id: 'req_cap',
    time: 1,
    path: '/v1/messages',
    model: 'claude-opus-5-5',
    session: null,
    upstream_request: { model: 'gpt-6.2-sol', input: [{ type: 'input_image', image_url: '[image/png elided, 90 chars]' }] },
    attempts: [{ account: 'a@x', status: 429, body: '{}' }, { account: 'b@x' }],
    upstream_events: [{ type: 'response.created' }, { type: 'response.completed' }],
    client_events: [{ type: 'message_start' }],
    status: 200,
    truncated: false,
    bytes: 321,
  };

  function setupWith(overrides: Partial<DashboardApi>) {
    let handlers: LogStreamHandlers | undefined;
    const api = mockApi({
      subscribeLogs: (h) => {
        handlers = h;
        return () => undefined;
      },
      captureState: async () => captureState(),
      overview: () => Promise.reject(new Error('none')),
      captureExportUrl: (id) => `/api/captures/${id}/export`,
      ...overrides,
    });
    render(LogsView, { props: { api } });
    return { emit: (entry: LogEntry) => handlers?.onEntry(entry) };
  }

  it('shows a captured request’s upstream body, attempts and events, with an export link', async () => {
    const asked: string[] = [];
    const { emit } = setupWith({
      capture: async (id) => {
        asked.push(id);
        return capture;
      },
    });
    emit(captured);
    expect((await screen.findByTestId('log-captured-9')).textContent).toBe('captured');
    await fireEvent.click(screen.getByTestId('log-row-toggle-9'));
    const body = await screen.findByTestId('inspector-upstream-request');
    expect(asked).toEqual(['req_cap']);
    expect(body.textContent).toContain('"model": "gpt-6.2-sol"');
    expect(body.textContent).toContain('[image/png elided, 90 chars]');
    expect(screen.getByTestId('inspector-attempts').textContent).toBe('Attempts: a@x (HTTP 429) → b@x');
    expect(screen.getByTestId('inspector-upstream-events').querySelectorAll('li')).toHaveLength(2);
    expect(screen.getByTestId('inspector-client-events').textContent).toContain('message_start');
    const link = screen.getByTestId('inspector-export');
    expect(link.getAttribute('href')).toBe('/api/captures/req_cap/export');
    expect(link.hasAttribute('download')).toBe(true);
  });

  it('says why a capture is gone', async () => {
    const { emit } = setupWith({ capture: () => Promise.reject(new Error('No capture of that request (capture was off, or it was dropped).')) });
    emit(captured);
    await fireEvent.click(await screen.findByTestId('log-row-toggle-9'));
    expect((await screen.findByTestId('inspector-error')).textContent).toContain('dropped');
  });

  it('turns capture on for the next N requests or a session, and off again', async () => {
    const modes: CaptureMode[] = [];
    let state = captureState();
    setupWith({
      overview: async () => ({ sessions: [{ session: 'sess-abcdef123', account: 'a', last_used: 1 }] }) as unknown as OverviewResponse,
      captureState: async () => state,
      setCapture: async (mode) => {
        modes.push(mode);
        state = captureState({ mode: mode.kind === 'next' ? { kind: 'next', count: mode.count } : mode });
        return state;
      },
      clearCaptures: async () => (state = captureState({ mode: state.mode })),
    });
    await waitFor(() => expect(screen.getByTestId('capture-mode').textContent).toBe('Capture is off'));
    await fireEvent.input(screen.getByTestId('capture-next-count'), { target: { value: '3' } });
    await fireEvent.click(screen.getByTestId('capture-next'));
    await waitFor(() => expect(screen.getByTestId('capture-mode').textContent).toBe('Capturing the next 3 requests'));
    await fireEvent.click(await screen.findByTestId('capture-session-start'));
    await waitFor(() => expect(screen.getByTestId('capture-mode').textContent).toBe('Capturing session sess-abc…'));
    await fireEvent.click(screen.getByTestId('capture-stop'));
    await waitFor(() => expect(screen.getByTestId('capture-mode').dataset.kind).toBe('off'));
    expect(modes).toEqual([{ kind: 'next', count: 3 }, { kind: 'session', session: 'sess-abcdef123' }, { kind: 'off' }]);
  });
});
