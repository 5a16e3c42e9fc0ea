// The dashboard's only door to the outside: the proxy's HTTP API on the page's own origin, plus
// the desktop shell's bridge (`window.desktop`) when the page runs inside the Electron window.
import type { MessagesRequest } from '../../../shared/anthropic.js';
import type {
  AccountSummary,
  AccountsResponse,
  ClaudeConfigState,
  HealthResponse,
  LogEntry,
  ModelsConfig,
  ModelsUpdate,
  OverviewResponse,
  SelectionStrategy,
} from '../../../shared/api.js';
import { apiErrorFrom } from './errors.js';

/** `POST /accounts/add`: where to send the user, and the id to poll. */
export interface LoginStart {
  auth_url: string;
  login_id: string;
}

/** `GET /accounts/add/:login_id`. */
export interface LoginStatus {
  status: 'pending' | 'done' | 'failed';
  error?: string;
  account?: AccountSummary;
}

export type ImportResult = AccountSummary & { warnings?: string[] };

export type LogStreamState = 'connecting' | 'live' | 'reconnecting' | 'closed';

export interface LogStreamHandlers {
  onEntry(entry: LogEntry): void;
  onState?(state: LogStreamState): void;
}

export interface DashboardApi {
  health(): Promise<HealthResponse>;
  overview(): Promise<OverviewResponse>;
  accounts(): Promise<AccountsResponse>;
  startLogin(): Promise<LoginStart>;
  loginStatus(loginId: string): Promise<LoginStatus>;
  completeLoginManually(input: string, loginId?: string): Promise<AccountSummary>;
  importFromCodex(): Promise<ImportResult>;
  switchAccount(id: string): Promise<void>;
  setStrategy(strategy: SelectionStrategy): Promise<void>;
  refreshAccount(id: string): Promise<void>;
  removeAccount(id: string): Promise<void>;
  models(): Promise<ModelsConfig>;
  saveModels(update: ModelsUpdate): Promise<ModelsConfig>;
  claudeConfig(): Promise<ClaudeConfigState>;
  configureClaude(): Promise<ClaudeConfigState>;
  restoreClaude(): Promise<ClaudeConfigState>;
  /** `POST /v1/messages`; the raw response, so the caller can read the SSE body as it arrives. */
  postMessages(body: MessagesRequest, signal?: AbortSignal): Promise<Response>;
  /** Live logs (`/api/logs/stream?history=true`); returns a function that closes the stream. */
  subscribeLogs(handlers: LogStreamHandlers): () => void;
}

export interface HttpApiOptions {
  /** Prefix for every path; empty means the page's own origin. */
  baseUrl?: string;
  fetch?: typeof fetch;
  EventSource?: typeof EventSource;
}

export function createHttpApi(options: HttpApiOptions = {}): DashboardApi {
  const base = options.baseUrl ?? '';
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));

  async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const init: RequestInit = { method, headers: { accept: 'application/json' } };
    if (body !== undefined) {
      init.headers = { accept: 'application/json', 'content-type': 'application/json' };
      init.body = JSON.stringify(body);
    }
    const res = await doFetch(`${base}${path}`, init);
    const text = await res.text();
    if (!res.ok) throw apiErrorFrom(res.status, res.statusText, text);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  const get = <T>(path: string) => call<T>('GET', path);
  const post = <T>(path: string, body: unknown = {}) => call<T>('POST', path, body);
  const id = encodeURIComponent;

  return {
    health: () => get('/health'),
    overview: () => get('/api/overview'),
    accounts: () => get('/accounts'),
    startLogin: () => post('/accounts/add'),
    loginStatus: (loginId) => get(`/accounts/add/${id(loginId)}`),
    completeLoginManually: (input, loginId) => post('/accounts/add/manual', loginId ? { login_id: loginId, input } : { input }),
    importFromCodex: () => post('/accounts/import'),
    switchAccount: (accountId) => post('/accounts/switch', { id: accountId }),
    setStrategy: (strategy) => post('/accounts/strategy', { strategy }),
    refreshAccount: (accountId) => post('/accounts/refresh', { id: accountId }),
    removeAccount: (accountId) => call('DELETE', `/accounts/${id(accountId)}`),
    models: () => get('/api/models'),
    saveModels: (update) => call('PUT', '/api/models', update),
    claudeConfig: () => get('/claude/config'),
    configureClaude: () => post('/claude/config/proxy'),
    restoreClaude: () => post('/claude/config/restore'),
    postMessages: (body, signal) =>
      doFetch(`${base}/v1/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
        body: JSON.stringify(body),
        signal,
      }),
    subscribeLogs(handlers) {
      const EventSourceImpl = options.EventSource ?? EventSource;
      const source = new EventSourceImpl(`${base}/api/logs/stream?history=true`);
      handlers.onState?.('connecting');
      source.onopen = () => handlers.onState?.('live');
      // EventSource reconnects by itself; CLOSED means it gave up (e.g. a non-SSE answer).
      source.onerror = () => handlers.onState?.(source.readyState === EventSourceImpl.CLOSED ? 'closed' : 'reconnecting');
      source.onmessage = (event: MessageEvent<string>) => {
        try {
          handlers.onEntry(JSON.parse(event.data) as LogEntry);
        } catch {
          // a malformed line must not kill the live view
        }
      };
      return () => {
        source.close();
        handlers.onState?.('closed');
      };
    },
  };
}

/** What the Electron preload exposes; absent in a plain browser. */
interface DesktopBridge {
  openExternal?(url: string): unknown;
}

/** Open a URL outside the dashboard: the system browser in the desktop app, a new tab otherwise. */
export function openExternal(url: string, win: Window & { desktop?: DesktopBridge } = window): void {
  if (win.desktop?.openExternal) {
    // The page shows the URL as a link too, so a refused open is not a dead end.
    Promise.resolve(win.desktop.openExternal(url)).catch(() => undefined);
    return;
  }
  win.open(url, '_blank', 'noopener,noreferrer');
}
