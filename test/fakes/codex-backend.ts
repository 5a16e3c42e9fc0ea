// A strict fake of the ChatGPT Codex backend on a real loopback socket, for end-to-end tests.
// It authenticates like the backend, rejects every request shape the backend rejects (with its
// status and envelope, see codex-validate.ts), and streams scripted SSE with controllable timing,
// stalls and resets, counting open and client-aborted streams so tests can prove nothing leaks.
//
// Auth choices (the reference gives no single answer): a missing or malformed Bearer token, or an
// account the `accounts` option does not list → 401 {"detail":"Unauthorized"}; an expired access
// token → 401 `token_expired`; a token not in the account's `accessTokens` → 401
// `token_invalidated` (what an old token gets after a refresh); a missing ChatGPT-Account-ID
// header or one that differs from the token's claim → 403 {"detail":{"code":"invalid_workspace_selected"}}.
// In front of all of it sits the identity gate of the real edge (codex-gates.ts): a client that
// does not present a first-party originator with a matching User-Agent gets Cloudflare's 403
// challenge page. Encrypted reasoning is accepted only from the account it was issued to.
import http from 'node:http';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { CodexModelInfo } from '../../shared/codex.js';
import { ev, sseFrame, type Ev } from './codex-events.js';
import { invalidJsonRejection, validateResponsesRequest, type Rejection } from './codex-validate.js';
import { decodeJwt, OPENAI_AUTH_CLAIM } from './jwt.js';
import { CATALOG_0_171, catalogFor } from './codex-catalog.js';
import { instanceOf } from './schema-instance.js';
import { identityRejection, ReasoningLedger } from './codex-gates.js';

export interface RecordedRequest {
  method: string;
  /** Path with query string, e.g. `/backend-api/codex/models?client_version=0.169.0`. */
  path: string;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON when the body is JSON, the raw text otherwise, undefined when empty. */
  body: unknown;
  rejected?: { status: number; body: unknown };
}

export type Reply =
  | {
      kind: 'sse';
      events: Ev[];
      headers?: Record<string, string>;
      /** Wait this long before sending the status line and headers. */
      delayMs?: number;
      chunkDelayMs?: number;
      /** Send N events, then hang until the client aborts. */
      stallAfter?: number;
      /** Destroy the socket after N events. */
      resetAfter?: number;
      /** Send this text as the body instead of the events (malformed SSE tests). */
      raw?: string;
      /** Called with the number of events the socket has taken so far (backpressure tests). */
      onProgress?: (eventsWritten: number) => void;
    }
  | { kind: 'http'; status: number; body: unknown | string; headers?: Record<string, string> };

/** `n` is the 0-based count of accepted /responses requests. */
export type Script = (req: RecordedRequest, n: number) => Reply | Promise<Reply>;

export interface FakeCodexOptions {
  /** Default: a short streamed echo of the last user text. */
  script?: Script;
  /**
   * When given, only these accounts exist, and an account with `accessTokens` accepts only those
   * tokens. The object is read live: push a new token (and drop the old one) to model a refresh.
   * When omitted, any well-formed JWT whose chatgpt_account_id matches the header is accepted.
   */
  accounts?: Record<string, { accessTokens?: string[] }>;
  /** Catalog for /codex/models and for validating `model` and `reasoning.effort`. */
  models?: CodexModelInfo[];
  /** Body for GET /wham/usage. */
  usage?: (accountId: string) => unknown;
  /** Added to every /responses answer after authentication. */
  quotaHeaders?: (accountId: string) => Record<string, string>;
}

export interface FakeCodex {
  /** Base URL ending in /backend-api: use it as CHATGPT_BACKEND_URL. */
  url: string;
  requests: RecordedRequest[];
  setScript(s: Script): void;
  openStreams(): number;
  abortedStreams(): number;
  /**
   * Spends the account's usage until `resetsInSec` from now: /responses answers 429
   * usage_limit_reached and /wham/usage says limit_reached, until then or until liftLimit.
   */
  limitAccount(accountId: string, resetsInSec: number): void;
  /** Ends the limit early, as when OpenAI resets it or the user buys credits. */
  liftLimit(accountId: string): void;
  close(): Promise<void>;
}

// ---- default data -------------------------------------------------------------------------------

/** The 0.171.0 catalog (test/fakes/codex-catalog.ts): current models only, retired ones answer 400. */
export const DEFAULT_CODEX_MODELS: readonly CodexModelInfo[] = CATALOG_0_171;

interface Window {
  usedPercent: number;
  minutes: number;
  resetAfterSeconds: number;
}
const PRIMARY: Window = { usedPercent: 12, minutes: 300, resetAfterSeconds: 9_000 };
const SECONDARY: Window = { usedPercent: 34, minutes: 10_080, resetAfterSeconds: 300_000 };

function windowHeaders(name: string, w: Window, now: number): Record<string, string> {
  return {
    [`x-codex-${name}-used-percent`]: String(w.usedPercent),
    [`x-codex-${name}-window-minutes`]: String(w.minutes),
    [`x-codex-${name}-reset-at`]: String(now + w.resetAfterSeconds),
    [`x-codex-${name}-reset-after-seconds`]: String(w.resetAfterSeconds),
  };
}

function defaultQuotaHeaders(): Record<string, string> {
  const now = Math.floor(Date.now() / 1000);
  return {
    ...windowHeaders('primary', PRIMARY, now),
    ...windowHeaders('secondary', SECONDARY, now),
    'x-codex-credits-has-credits': 'False',
    'x-codex-credits-unlimited': 'False',
  };
}

function defaultUsage(plan: string): unknown {
  const now = Math.floor(Date.now() / 1000);
  const window = (w: Window) => ({
    used_percent: w.usedPercent,
    limit_window_seconds: w.minutes * 60,
    reset_after_seconds: w.resetAfterSeconds,
    reset_at: now + w.resetAfterSeconds,
  });
  return {
    plan_type: plan,
    rate_limit: {
      allowed: true,
      limit_reached: false,
      primary_window: window(PRIMARY),
      secondary_window: window(SECONDARY),
    },
    credits: { has_credits: false, unlimited: false, balance: '0' },
  };
}

/** /wham/usage of a spent account: the short window full until `resetsAt` (unix s). */
function limitedUsage(plan: string, resetsAt: number): unknown {
  const healthy = defaultUsage(plan) as { rate_limit: Record<string, unknown> };
  const resetAfter = Math.max(0, resetsAt - Math.floor(Date.now() / 1000));
  const primary = {
    used_percent: 100,
    limit_window_seconds: PRIMARY.minutes * 60,
    reset_after_seconds: resetAfter,
    reset_at: resetsAt,
  };
  return {
    ...healthy,
    rate_limit: { ...healthy.rate_limit, allowed: false, limit_reached: true, primary_window: primary },
  };
}

/** The real 429 a ChatGPT account gets when its usage window is spent (not to be retried). */
export function usageLimitReply(resetsInSec: number, plan = 'plus'): Reply {
  const resetsAt = Math.floor(Date.now() / 1000) + resetsInSec;
  return {
    kind: 'http',
    status: 429,
    body: {
      error: {
        type: 'usage_limit_reached',
        message: 'The usage limit has been reached',
        plan_type: plan,
        resets_at: resetsAt,
        eligible_promo: null,
        resets_in_seconds: resetsInSec,
      },
    },
    headers: {
      'x-codex-primary-used-percent': '100',
      'x-codex-primary-reset-at': String(resetsAt),
      'x-codex-primary-reset-after-seconds': String(resetsInSec),
    },
  };
}

function lastUserText(body: unknown): string {
  const input = (body as { input?: unknown }).input;
  if (!Array.isArray(input)) return '';
  for (let i = input.length - 1; i >= 0; i--) {
    const item = input[i] as { role?: string; content?: unknown };
    if (item.role !== 'user') continue;
    if (typeof item.content === 'string') return item.content;
    if (Array.isArray(item.content)) {
      return item.content
        .filter((p): p is { type: 'input_text'; text: string } => p?.type === 'input_text')
        .map((p) => p.text)
        .join('\n');
    }
  }
  return '';
}

const roughTokens = (text: string) => Math.max(1, Math.ceil(text.length / 4));

/**
 * Codex 0.171.0 asks for live results with `external_web_access: true`; without it the backend
 * searches only its cached index, so a search for anything recent finds no page (Corrections, 10).
 */
function searchesLive(body: unknown): boolean {
  const tools = (body as { tools?: unknown }).tools;
  return (
    !Array.isArray(tools) ||
    tools.every((t) => (t as { type?: unknown }).type !== 'web_search' || (t as { external_web_access?: unknown }).external_web_access === true)
  );
}

function withoutLiveSources(event: Ev): Ev {
  const item = (event as { item?: { type?: unknown; action?: Record<string, unknown> } }).item;
  if (item?.type !== 'web_search_call' || !item.action) return event;
  return { ...event, item: { ...item, action: { ...item.action, sources: [] } } } as Ev;
}

/** The default script: a short streamed echo of the last user text. */
export const echoScript: Script = (req) => {
  // Structured output: answer an instance of the requested schema, as constrained decoding would.
  const format = (req.body as { text?: { format?: { type?: string; schema?: unknown } } }).text?.format;
  const text =
    format?.type === 'json_schema'
      ? JSON.stringify(instanceOf(format.schema))
      : `Echo: ${lastUserText(req.body) || '(no text)'}`;
  const input = JSON.stringify((req.body as { input?: unknown }).input ?? []);
  return {
    kind: 'sse',
    events: [
      ev.rateLimits(),
      ev.created(),
      ...ev.textMessage(text),
      ev.completed({ input_tokens: roughTokens(input), output_tokens: roughTokens(text) }),
    ],
  };
};

// ---- auth ---------------------------------------------------------------------------------------

type Auth = { ok: true; accountId: string; plan: string } | ({ ok: false } & Rejection);

const unauthorized = (body: unknown = { detail: 'Unauthorized' }): Auth => ({ ok: false, status: 401, body });
const tokenError = (code: string, message: string) =>
  unauthorized({ error: { message, type: 'invalid_request_error', code, param: null } });

function header(req: http.IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function authenticate(req: http.IncomingMessage, accounts: FakeCodexOptions['accounts']): Auth {
  const token = /^Bearer\s+(\S+)$/i.exec(header(req, 'authorization') ?? '')?.[1];
  const claims = token ? decodeJwt(token) : null;
  const auth = claims?.[OPENAI_AUTH_CLAIM] as { chatgpt_account_id?: unknown; chatgpt_plan_type?: unknown } | undefined;
  if (!token || typeof auth?.chatgpt_account_id !== 'string') return unauthorized();
  const accountId = auth.chatgpt_account_id;
  if (typeof claims?.exp === 'number' && claims.exp * 1000 <= Date.now()) {
    return tokenError('token_expired', 'Provided authentication token is expired. Please try signing in again.');
  }
  if (accounts) {
    const account = accounts[accountId];
    if (!account) return unauthorized();
    if (account.accessTokens && !account.accessTokens.includes(token)) {
      return tokenError(
        'token_invalidated',
        'Your authentication token has been invalidated. Please try signing in again.',
      );
    }
  }
  if (header(req, 'chatgpt-account-id') !== accountId) {
    return { ok: false, status: 403, body: { detail: { code: 'invalid_workspace_selected' } } };
  }
  return { ok: true, accountId, plan: typeof auth.chatgpt_plan_type === 'string' ? auth.chatgpt_plan_type : 'plus' };
}

// ---- HTTP plumbing ------------------------------------------------------------------------------

async function readBody(req: http.IncomingMessage): Promise<string | null> {
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of req) chunks.push(chunk as Buffer);
  } catch {
    return null; // the client went away mid-body
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const isText = typeof body === 'string';
  const payload = isText ? body : JSON.stringify(body);
  res.writeHead(status, {
    'content-type': isText ? 'text/plain; charset=utf-8' : 'application/json',
    ...headers,
    'content-length': String(Buffer.byteLength(payload)),
  });
  res.end(payload);
}

/**
 * Resolves after `ms`, or on `drain`, whichever is asked for, and always as soon as the client is
 * gone, so no timer or listener outlives the stream.
 */
function settle(res: http.ServerResponse, on: { ms: number } | { drain: true }): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    const timer = 'ms' in on ? setTimeout(done, on.ms) : undefined;
    if ('drain' in on) res.on('drain', done);
    res.on('close', done);
  });
}

class StreamTracker {
  open = 0;
  aborted = 0;

  /** Counts the stream as open until its response closes; a close before we ended it is an abort. */
  track(res: http.ServerResponse): { gone: () => boolean; resetting: () => void } {
    this.open++;
    let closed = false;
    let resetByUs = false;
    res.on('close', () => {
      closed = true;
      this.open--;
      if (!res.writableFinished && !resetByUs) this.aborted++;
    });
    return { gone: () => closed, resetting: () => (resetByUs = true) };
  }
}

async function streamSse(
  res: http.ServerResponse,
  reply: Extract<Reply, { kind: 'sse' }>,
  headers: Record<string, string>,
  tracker: StreamTracker,
  issued: (event: Ev) => void,
): Promise<void> {
  const stream = tracker.track(res);
  if (reply.delayMs) await settle(res, { ms: reply.delayMs });
  if (stream.gone()) return;
  res.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    ...headers,
    ...reply.headers,
  });
  res.flushHeaders();
  res.socket?.setNoDelay(true);
  if (reply.raw !== undefined) {
    res.end(reply.raw);
    return;
  }
  for (let i = 0; i <= reply.events.length; i++) {
    if (i === reply.stallAfter) return; // hang: the client's abort (or close()) ends it
    if (i === reply.resetAfter) {
      stream.resetting();
      res.socket?.destroy();
      return;
    }
    if (i === reply.events.length) break;
    if (i > 0 && reply.chunkDelayMs) await settle(res, { ms: reply.chunkDelayMs });
    if (stream.gone()) return;
    const event = reply.events[i];
    // The real backend numbers every event; builders leave that to the stream.
    issued(event);
    const frame = sseFrame(event.sequence_number === undefined ? { ...event, sequence_number: i } : event);
    if (!res.write(frame)) await settle(res, { drain: true });
    reply.onProgress?.(i + 1);
  }
  res.end();
}

function routeOf(method: string, pathname: string): 'responses' | 'models' | 'usage' | null {
  if (method === 'POST' && pathname === '/backend-api/codex/responses') return 'responses';
  if (method === 'GET' && pathname === '/backend-api/codex/models') return 'models';
  if (method === 'GET' && pathname === '/backend-api/wham/usage') return 'usage';
  return null;
}

export async function startFakeCodex(opts: FakeCodexOptions = {}): Promise<FakeCodex> {
  const requests: RecordedRequest[] = [];
  const tracker = new StreamTracker();
  const models = opts.models ?? [...DEFAULT_CODEX_MODELS];
  const quotaHeaders = opts.quotaHeaders ?? defaultQuotaHeaders;
  let script = opts.script ?? echoScript;
  let accepted = 0;
  /** Spent accounts: chatgpt account id → unix s of the reset. */
  const limited = new Map<string, number>();
  const limitOf = (accountId: string): number | undefined => {
    const resetsAt = limited.get(accountId);
    if (resetsAt !== undefined && resetsAt * 1000 <= Date.now()) limited.delete(accountId);
    return limited.get(accountId);
  };
  const ledger = new ReasoningLedger();

  function reject(
    rec: RecordedRequest,
    res: http.ServerResponse,
    r: Rejection,
    headers: Record<string, string> = {},
  ): void {
    rec.rejected = { status: r.status, body: r.body };
    sendJson(res, r.status, r.body, headers);
  }

  async function handleResponses(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    rec: RecordedRequest,
    raw: string,
    auth: { accountId: string; plan: string },
  ) {
    const headers: Record<string, string> = {
      ...quotaHeaders(auth.accountId),
      'x-codex-plan-type': auth.plan,
      // Sticky routing within a turn: echo the client's turn state, or open a new one.
      'x-codex-turn-state': header(req, 'x-codex-turn-state') ?? `ts_${randomBytes(16).toString('hex')}`,
      'x-request-id': randomUUID(),
    };
    if (!(header(req, 'content-type') ?? '').toLowerCase().startsWith('application/json')) {
      return reject(
        rec,
        res,
        { status: 415, body: { detail: 'Unsupported Media Type: expected application/json' } },
        headers,
      );
    }
    const parsed = parseJson(raw);
    if (!parsed.ok) return reject(rec, res, invalidJsonRejection(), headers);
    const offered = catalogFor(models, header(req, 'version') ?? null, auth.plan);
    const rejection =
      validateResponsesRequest(parsed.value, req.headers, offered) ??
      ledger.check((parsed.value as { input?: unknown }).input, auth.accountId);
    if (rejection) return reject(rec, res, rejection, headers);

    headers['openai-model'] = String((parsed.value as { model: string }).model);
    const resetsAt = limitOf(auth.accountId);
    if (resetsAt !== undefined) {
      const spent = usageLimitReply(resetsAt - Math.floor(Date.now() / 1000), auth.plan);
      if (spent.kind === 'http') return sendJson(res, spent.status, spent.body, { ...headers, ...spent.headers });
    }
    let reply: Reply;
    try {
      reply = await script(rec, accepted++);
    } catch (err) {
      return sendJson(res, 500, { detail: `fake Codex script threw: ${(err as Error).message}` });
    }
    if (reply.kind === 'http') return sendJson(res, reply.status, reply.body, { ...headers, ...reply.headers });
    const served = searchesLive(parsed.value) ? reply : { ...reply, events: reply.events.map(withoutLiveSources) };
    return streamSse(res, served, headers, tracker, (event) => ledger.issueFrom(event, auth.accountId));
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const raw = await readBody(req);
    if (raw === null) return;
    const parsed = raw === '' ? undefined : parseJson(raw);
    const rec: RecordedRequest = {
      method: req.method ?? 'GET',
      path: req.url ?? '/',
      headers: req.headers,
      body: parsed === undefined ? undefined : parsed.ok ? parsed.value : raw,
    };
    requests.push(rec);
    const route = routeOf(rec.method, new URL(rec.path, 'http://fake').pathname);
    if (!route) return reject(rec, res, { status: 404, body: { detail: 'Not Found' } });
    const challenge = identityRejection(req.headers);
    if (challenge) return reject(rec, res, challenge, challenge.headers);
    const auth = authenticate(req, opts.accounts);
    if (!auth.ok) return reject(rec, res, auth);
    if (route === 'models') {
      const clientVersion = new URL(rec.path, 'http://fake').searchParams.get('client_version');
      const listed = catalogFor(models, clientVersion, auth.plan);
      const etag = `"${createHash('sha1').update(JSON.stringify(listed)).digest('hex')}"`;
      return sendJson(res, 200, { models: listed }, { etag });
    }
    if (route === 'usage') {
      const resetsAt = limitOf(auth.accountId);
      if (resetsAt !== undefined) return sendJson(res, 200, limitedUsage(auth.plan, resetsAt));
      return sendJson(res, 200, opts.usage ? opts.usage(auth.accountId) : defaultUsage(auth.plan));
    }
    return handleResponses(req, res, rec, raw, auth);
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err: Error) => {
      if (!res.headersSent) sendJson(res, 500, { detail: `fake Codex crashed: ${err.message}` });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/backend-api`,
    requests,
    setScript: (s) => {
      script = s;
    },
    openStreams: () => tracker.open,
    abortedStreams: () => tracker.aborted,
    limitAccount: (accountId, resetsInSec) => void limited.set(accountId, Math.floor(Date.now() / 1000) + resetsInSec),
    liftLimit: (accountId) => void limited.delete(accountId),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
