import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import LogsView from '../../renderer/src/views/LogsView.svelte';
import type { LogStreamHandlers } from '../../renderer/src/lib/api.js';
import type { LogEntry } from '../../shared/api.js';
import { logEntry, mockApi } from './support/fixtures.js';

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

  it('expands request rows to show method, model, account, status, latency and tokens, and other rows their extra fields', async () => {
    const { emit } = setup();
    await emit(
      logEntry(5, {
        msg: 'request',
        request: {
          id: 'req_1', method: 'POST', path: '/v1/messages', model: 'claude-sonnet-5-5', upstream_model: 'gpt-5.2-codex',
          account: 'one@example.com', status: 200, latency_ms: 812, input_tokens: 1500, output_tokens: 42,
        },
      }),
      logEntry(6, { msg: 'plain line' }),
    );
    await screen.findByTestId('log-row-5');
    expect(screen.getByTestId('log-row-5').textContent).toContain('POST /v1/messages 200 · 812 ms');
    expect(screen.queryByTestId('log-row-toggle-6')).toBeNull();
    await emit(logEntry(7, { level: 'error', msg: 'refresh failed', err: { message: 'invalid_grant' } }));
    await fireEvent.click(await screen.findByTestId('log-row-toggle-7'));
    expect(screen.getByTestId('log-details-7').textContent).toContain('invalid_grant');
    expect(screen.queryByTestId('log-details-5')).toBeNull();

    await fireEvent.click(screen.getByTestId('log-row-toggle-5'));
    const details = screen.getByTestId('log-details-5').textContent ?? '';
    for (const text of ['POST', '/v1/messages', 'claude-sonnet-5-5', 'gpt-5.2-codex', 'one@example.com', '200', '812 ms', '1,500', '42', 'req_1']) {
      expect(details).toContain(text);
    }
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
