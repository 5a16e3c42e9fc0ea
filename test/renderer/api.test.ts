// @vitest-environment node
import { describe, expect, it, vi } from 'vitest';
import { createHttpApi, normalizeLoginStatus, openExternal, type LogStreamState } from '../../renderer/src/lib/api.js';
import { ApiError } from '../../renderer/src/lib/errors.js';
import type { LogEntry } from '../../shared/api.js';
import { account, logEntry } from './support/fixtures.js';

function recordingFetch(status = 200, body: unknown = {}) {
  const calls: Array<{ url: string; method: string; body: unknown; headers: Record<string, string> }> = [];
  const fetchMock = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    calls.push({
      url: String(input),
      method: init?.method ?? 'GET',
      body: init?.body === undefined ? undefined : JSON.parse(String(init.body)),
      headers: (init?.headers ?? {}) as Record<string, string>,
    });
    return new Response(body === undefined ? '' : JSON.stringify(body), { status });
  });
  return { calls, fetch: fetchMock as unknown as typeof fetch };
}

describe('createHttpApi', () => {
  it('speaks the documented routes', async () => {
    const { calls, fetch } = recordingFetch();
    const api = createHttpApi({ fetch });
    await api.health();
    await api.overview();
    await api.accounts();
    await api.startLogin();
    await api.loginStatus('login/1');
    await api.cancelLogin('L1');
    await api.completeLoginManually('http://localhost:1455/auth/callback?code=x', 'login1');
    await api.completeLoginManually('code-only');
    await api.importFromCodex();
    await api.switchAccount('a1');
    await api.setStrategy('round-robin');
    await api.refreshAccount('a1');
    await api.removeAccount('a 1');
    await api.models();
    await api.saveModels({ lanes: { haiku: { model: 'gpt-5.4-mini' } } });
    await api.claudeConfig();
    await api.configureClaude();
    await api.configureClaude('install');
    await api.restoreClaude();
    await api.usage('7d', '1h');
    await api.usage('24h');
    await api.captureState();
    await api.setCapture({ kind: 'next', count: 3 });
    await api.clearCaptures();
    await api.capture('req_1/x');
    expect(api.captureExportUrl('req_1')).toBe('/api/captures/req_1/export');
    expect(calls.map((c) => `${c.method} ${c.url} ${c.body === undefined ? '' : JSON.stringify(c.body)}`.trim())).toEqual([
      'GET /health',
      'GET /api/overview',
      'GET /accounts',
      'POST /accounts/add {}',
      'GET /accounts/add/login%2F1',
      'DELETE /accounts/add/L1',
      'POST /accounts/add/manual {"login_id":"login1","input":"http://localhost:1455/auth/callback?code=x"}',
      'POST /accounts/add/manual {"input":"code-only"}',
      'POST /accounts/import {}',
      'POST /accounts/switch {"id":"a1"}',
      'POST /accounts/strategy {"strategy":"round-robin"}',
      'POST /accounts/refresh {"id":"a1"}',
      'DELETE /accounts/a%201',
      'GET /api/models',
      'PUT /api/models {"lanes":{"haiku":{"model":"gpt-5.4-mini"}}}',
      'GET /claude/config',
      'POST /claude/config/proxy {}',
      'POST /claude/config/proxy?statusline=install {}',
      'POST /claude/config/restore {}',
      'GET /api/usage?range=7d&bucket=1h',
      'GET /api/usage?range=24h',
      'GET /api/capture',
      'PUT /api/capture {"kind":"next","count":3}',
      'DELETE /api/captures',
      'GET /api/captures/req_1%2Fx',
    ]);
    expect(calls.filter((c) => c.body !== undefined).every((c) => c.headers['content-type'] === 'application/json')).toBe(true);
  });

  it('unwraps the manual sign-in answer and normalises login states', async () => {
    const acc = account({ id: 'm1' });
    const wrapped = (async () => new Response(JSON.stringify({ status: 'success', account: acc }))) as unknown as typeof fetch;
    expect(await createHttpApi({ fetch: wrapped }).completeLoginManually('code')).toEqual(acc);
    const bare = (async () => new Response(JSON.stringify(acc))) as unknown as typeof fetch;
    expect(await createHttpApi({ fetch: bare }).completeLoginManually('code')).toEqual(acc);

    expect(normalizeLoginStatus({ status: 'pending' })).toEqual({ status: 'pending' });
    expect(normalizeLoginStatus({ status: 'success', account: acc })).toEqual({ status: 'done', account: acc });
    expect(normalizeLoginStatus({ status: 'success' })).toEqual({ status: 'pending' });
    expect(normalizeLoginStatus({ status: 'failed', error: 'state mismatch' })).toEqual({ status: 'failed', error: 'state mismatch' });
    expect(normalizeLoginStatus({ status: 'expired' })).toEqual({ status: 'failed', error: 'The sign-in expired. Start again.' });
    expect(normalizeLoginStatus({ status: 'cancelled' }).status).toBe('failed');
  });

  it('turns the error shape into an ApiError carrying error.message', async () => {
    const { fetch } = recordingFetch(409, { type: 'error', error: { type: 'invalid_request_error', message: 'settings.json is not valid JSON; left untouched' } });
    const failure = await createHttpApi({ fetch }).configureClaude().catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ApiError);
    expect(failure).toMatchObject({ status: 409, type: 'invalid_request_error', message: 'settings.json is not valid JSON; left untouched' });
  });

  it('reports non-JSON failures with the status', async () => {
    const badGateway = (async () => new Response('Bad Gateway', { status: 502 })) as unknown as typeof fetch;
    await expect(createHttpApi({ fetch: badGateway }).accounts()).rejects.toThrow('HTTP 502: Bad Gateway');
  });

  it('posts test prompts as a stream request and hands back the raw response', async () => {
    const { calls, fetch } = recordingFetch();
    const controller = new AbortController();
    const response = await createHttpApi({ fetch, baseUrl: 'http://127.0.0.1:8081' }).postMessages({ model: 'claude-haiku-5-5', messages: [] }, controller.signal);
    expect(response).toBeInstanceOf(Response);
    expect(calls[0]).toMatchObject({ url: 'http://127.0.0.1:8081/v1/messages', method: 'POST', headers: { accept: 'text/event-stream' } });
  });
});

class FakeEventSource {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSED = 2;
  static last: FakeEventSource;
  readyState = FakeEventSource.CONNECTING;
  onopen: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onmessage: ((event: MessageEvent<string>) => void) | null = null;
  closed = false;
  private readonly listeners = new Map<string, (event: MessageEvent<string>) => void>();
  constructor(readonly url: string) {
    FakeEventSource.last = this;
  }
  addEventListener(type: string, listener: (event: MessageEvent<string>) => void): void {
    this.listeners.set(type, listener);
  }
  close(): void {
    this.closed = true;
  }
  emit(data: string, type = 'message'): void {
    const event = { data } as MessageEvent<string>;
    if (type === 'message') this.onmessage?.(event);
    else this.listeners.get(type)?.(event);
  }
}

describe('subscribeLogs', () => {
  it('parses each `log` (or unnamed) event as a LogEntry, reports the connection state and closes', () => {
    const api = createHttpApi({ EventSource: FakeEventSource as unknown as typeof EventSource });
    const entries: LogEntry[] = [];
    const states: LogStreamState[] = [];
    const stop = api.subscribeLogs({ onEntry: (e) => entries.push(e), onState: (s) => states.push(s) });
    const source = FakeEventSource.last;
    expect(source.url).toBe('/api/logs/stream?history=true');
    source.onopen?.();
    source.emit(JSON.stringify(logEntry(1)), 'log');
    source.emit(JSON.stringify(logEntry(2)));
    source.emit('not json', 'log');
    source.onerror?.();
    source.readyState = FakeEventSource.CLOSED;
    source.onerror?.();
    stop();
    expect(entries).toEqual([logEntry(1), logEntry(2)]);
    expect(states).toEqual(['connecting', 'live', 'reconnecting', 'closed', 'closed']);
    expect(source.closed).toBe(true);
  });
});

describe('openExternal', () => {
  it('uses the desktop bridge when present', () => {
    const open = vi.fn();
    const bridge = vi.fn(async () => undefined);
    openExternal('https://auth.example/authorize', { open, desktop: { openExternal: bridge } } as unknown as Window);
    expect(bridge).toHaveBeenCalledWith('https://auth.example/authorize');
    expect(open).not.toHaveBeenCalled();
  });

  it('opens a new tab without the bridge', () => {
    const open = vi.fn();
    openExternal('https://auth.example/authorize', { open } as unknown as Window);
    expect(open).toHaveBeenCalledWith('https://auth.example/authorize', '_blank', 'noopener,noreferrer');
  });
});
