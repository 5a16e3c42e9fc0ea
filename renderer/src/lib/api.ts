// The dashboard's only door to the outside: the proxy's HTTP API on the page's own origin, plus
// the desktop shell's bridge (`window.desktop`) when the page runs inside the Electron window.
import type { MessagesRequest } from '../../../shared/anthropic.js';
import type {
  AccountSummary,
  AccountsResponse,
  CaptureMode,
  CaptureState,
  ClaudeConfigState,
  DoctorReport,
  DoctorRequest,
  HealthResponse,
  LogEntry,
  LoginState,
  LoginStatus,
  ModelsConfig,
  ModelsUpdate,
  OpenRouterConfig,
  OpenRouterUpdate,
  OverviewResponse,
  RequestCapture,
  SelectionStrategy,
  StartedLogin,
  StatusLineChoice,
  UsageBucket,
  UsageRange,
  UsageSummary,
} from '../../../shared/api.js';
import type { DesktopApi } from '../../../shared/ipc.js';
import { apiErrorFrom } from './errors.js';

/** What the page does with a sign-in: keep waiting, show the new account, or say why it ended. */
export type LoginOutcome =
  | { status: 'pending' }
  | { status: 'done'; account: AccountSummary }
  | { status: 'failed'; error: string };

const LOGIN_ENDED: Record<Exclude<LoginState, 'pending' | 'success'>, string> = {
  failed: 'Sign-in failed.',
  expired: 'The sign-in expired. Start again.',
  cancelled: 'The sign-in was cancelled.',
};

/** `GET /accounts/add/:login_id` reduced to the three outcomes the page acts on. */
export function normalizeLoginStatus(login: Pick<LoginStatus, 'status' | 'error' | 'account'>): LoginOutcome {
  if (login.status === 'pending') return { status: 'pending' };
  if (login.status === 'success') return login.account ? { status: 'done', account: login.account } : { status: 'pending' };
  return { status: 'failed', error: login.error ?? LOGIN_ENDED[login.status] };
}

/** The manual completion answers the account, or `{status, account}` around it. */
function accountOf(answer: AccountSummary | { account: AccountSummary }): AccountSummary {
  return 'account' in answer ? answer.account : answer;
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
  startLogin(): Promise<StartedLogin>;
  loginStatus(loginId: string): Promise<LoginOutcome>;
  /** Abandon a pending sign-in so its callback port is freed. */
  cancelLogin(loginId: string): Promise<void>;
  completeLoginManually(input: string, loginId?: string): Promise<AccountSummary>;
  importFromCodex(): Promise<ImportResult>;
  switchAccount(id: string): Promise<void>;
  setStrategy(strategy: SelectionStrategy): Promise<void>;
  refreshAccount(id: string): Promise<void>;
  removeAccount(id: string): Promise<void>;
  models(): Promise<ModelsConfig>;
  saveModels(update: ModelsUpdate): Promise<ModelsConfig>;
  /** The OpenRouter Haiku lane; the stored key itself never comes back, only `has_key`. */
  openRouter(): Promise<OpenRouterConfig>;
  saveOpenRouter(update: OpenRouterUpdate): Promise<OpenRouterConfig>;
  claudeConfig(): Promise<ClaudeConfigState>;
  /** `statusline` as the route takes it (default `auto`: ours only where the user has none). */
  configureClaude(statusline?: StatusLineChoice): Promise<ClaudeConfigState>;
  restoreClaude(): Promise<ClaudeConfigState>;
  /** `POST /v1/messages`; the raw response, so the caller can read the SSE body as it arrives. */
  postMessages(body: MessagesRequest, signal?: AbortSignal): Promise<Response>;
  /** Live logs (`/api/logs/stream?history=true`); returns a function that closes the stream. */
  subscribeLogs(handlers: LogStreamHandlers): () => void;
  /** The usage view's charts, aggregated by the server. */
  usage(range: UsageRange, bucket?: UsageBucket): Promise<UsageSummary>;
  captureState(): Promise<CaptureState>;
  setCapture(mode: CaptureMode): Promise<CaptureState>;
  clearCaptures(): Promise<CaptureState>;
  capture(requestId: string): Promise<RequestCapture>;
  /** Where the browser downloads a capture as a file (`content-disposition: attachment`). */
  captureExportUrl(requestId: string): string;
  /** `GET /api/doctor`: the checks that only read; the backend is not called. */
  doctor(): Promise<DoctorReport>;
  /** `POST /api/doctor`: every check, with the backend; `live` spends a little quota. */
  runDoctor(request: DoctorRequest): Promise<DoctorReport>;
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
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await doFetch(`${base}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
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
    loginStatus: async (loginId) => normalizeLoginStatus(await get<LoginStatus>(`/accounts/add/${id(loginId)}`)),
    cancelLogin: (loginId) => call('DELETE', `/accounts/add/${id(loginId)}`),
    completeLoginManually: async (input, loginId) =>
      accountOf(await post<AccountSummary | { account: AccountSummary }>('/accounts/add/manual', loginId ? { login_id: loginId, input } : { input })),
    importFromCodex: () => post('/accounts/import'),
    switchAccount: (accountId) => post('/accounts/switch', { id: accountId }),
    setStrategy: (strategy) => post('/accounts/strategy', { strategy }),
    refreshAccount: (accountId) => post('/accounts/refresh', { id: accountId }),
    removeAccount: (accountId) => call('DELETE', `/accounts/${id(accountId)}`),
    models: () => get('/api/models'),
    saveModels: (update) => call('PUT', '/api/models', update),
    openRouter: () => get('/api/openrouter'),
    saveOpenRouter: (update) => call('PUT', '/api/openrouter', update),
    claudeConfig: () => get('/claude/config'),
    configureClaude: (statusline) =>
      post(statusline ? `/claude/config/proxy?statusline=${statusline}` : '/claude/config/proxy'),
    restoreClaude: () => post('/claude/config/restore'),
    usage: (range, bucket) => get(`/api/usage?range=${range}${bucket ? `&bucket=${bucket}` : ''}`),
    captureState: () => get('/api/capture'),
    setCapture: (mode) => call('PUT', '/api/capture', mode),
    clearCaptures: () => call('DELETE', '/api/captures'),
    capture: (requestId) => get(`/api/captures/${id(requestId)}`),
    captureExportUrl: (requestId) => `${base}/api/captures/${id(requestId)}/export`,
    doctor: () => get('/api/doctor'),
    runDoctor: (request) => post('/api/doctor', request),
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
      source.onerror = () =>
        handlers.onState?.(source.readyState === EventSourceImpl.CLOSED ? 'closed' : 'reconnecting');
      const receive = (event: MessageEvent<string>): void => {
        try {
          handlers.onEntry(JSON.parse(event.data) as LogEntry);
        } catch {
          // a malformed line must not kill the live view
        }
      };
      // The server names its events `log`; unnamed ones are accepted too.
      source.addEventListener('log', receive);
      source.onmessage = receive;
      return () => {
        source.close();
        handlers.onState?.('closed');
      };
    },
  };
}

/** The part of the desktop preload's `window.desktop` the page uses; absent in a plain browser. */
type DesktopWindow = Window & { desktop?: Pick<DesktopApi, 'openExternal'> };

/** Open a URL outside the dashboard: the system browser in the desktop app, a new tab otherwise. */
export function openExternal(url: string, win: DesktopWindow = window): void {
  if (win.desktop) {
    // The page shows the URL as a link too, so a refused open is not a dead end.
    win.desktop.openExternal(url).catch(() => undefined);
    return;
  }
  win.open(url, '_blank', 'noopener,noreferrer');
}
