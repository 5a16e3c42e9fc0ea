// Shared pieces of the fault matrix: a Claude-Code-like request, scripted upstream answers, what
// the client must see, and a fresh read of everything on disk to prove a fault lost nothing.
import { expect } from 'vitest';
import type { ErrorBody, StreamEvent } from '../../shared/anthropic.js';
import { createAccountPool } from '../../main/core/accounts/index.js';
import { parseTokens } from '../../main/core/accounts/tokens.js';
import { openSecretStore } from '../../main/core/secrets/index.js';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ev, type Ev } from '../fakes/codex-events.js';
import type { Reply } from '../fakes/codex-backend.js';
import { assertValidAnthropicStream, parseSse } from '../support/stream-validator.js';

export const SESSION = '0d9e6c1a-7b42-4f3e-9c85-2a1b3c4d5e6f';

export function claudeBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    model: 'claude-sonnet-5-5',
    max_tokens: 32000,
    stream: true,
    system: [{ type: 'text', text: 'You are a careful coding agent.' }],
    messages: [{ role: 'user', content: [{ type: 'text', text: 'List the files.' }] }],
    tools: [{ name: 'Bash', input_schema: { type: 'object', properties: { command: { type: 'string' } } } }],
    thinking: { type: 'adaptive' },
    metadata: { user_id: JSON.stringify({ device_id: 'd', account_uuid: '', session_id: SESSION }) },
    ...overrides,
  };
}

export function ask(url: string, body: unknown = claudeBody(), signal?: AbortSignal): Promise<Response> {
  return fetch(`${url}/v1/messages?beta=true`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-api-key': 'any',
      'anthropic-version': '2023-06-01',
      'x-claude-code-session-id': SESSION,
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
    signal,
  });
}

/** A realistic answer: thinking, then text, then a tool call. */
export function answerEvents(text = 'Here are the files.'): Ev[] {
  return [
    ev.rateLimits(),
    ev.created(),
    ...ev.reasoning(['Listing the directory.'], 'enc-1', { outputIndex: 0 }),
    ...ev.textMessage(text, { outputIndex: 1 }),
    ...ev.functionCall('call_ls', 'Bash', '{"command":"ls"}', { outputIndex: 2 }),
    ev.completed({ input_tokens: 120, output_tokens: 40 }),
  ];
}

export function sse(events: Ev[], extra: Omit<Extract<Reply, { kind: 'sse' }>, 'kind' | 'events'> = {}): Reply {
  return { kind: 'sse', events, ...extra };
}

/** A 200 with a stream that passes the Anthropic grammar; returns its events. */
export async function expectValidStream(res: Response): Promise<StreamEvent[]> {
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
  const raw = await res.text();
  assertValidAnthropicStream(raw);
  return parseSse(raw).events;
}

export function textOf(events: StreamEvent[]): string {
  return events
    .map((e) => (e.type === 'content_block_delta' && e.delta.type === 'text_delta' ? e.delta.text : ''))
    .join('');
}

export function terminalOf(events: StreamEvent[]): StreamEvent | undefined {
  return events.filter((e) => e.type !== 'ping').at(-1);
}

/** An Anthropic error answer with this status and error type. */
export async function expectAnthropicError(res: Response, status: number, type: string): Promise<ErrorBody> {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  const body = (await res.json()) as ErrorBody;
  expect(body).toMatchObject({ type: 'error', error: { type, message: expect.any(String) } });
  expect(body.error.message.length).toBeGreaterThan(0);
  return body;
}

export interface SavedState {
  accounts: Array<{ id: string; email: string | null }>;
  strategy: string;
  preferred: string | null;
  /** Per account: it has an access token and a refresh token. */
  tokens: Record<string, { access: boolean; refresh: boolean }>;
  settings: unknown;
}

/**
 * Everything a restart would find, read by a fresh pool (the real loader) and straight from the
 * files: account list, selection settings, tokens, and the lane settings file.
 */
export async function savedState(home: string, env: NodeJS.ProcessEnv): Promise<SavedState> {
  const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };
  const pool = await createAccountPool({
    home,
    env,
    backendUrl: 'http://127.0.0.1:9',
    authUrl: 'http://127.0.0.1:9',
    usagePollMs: 0,
    log: silent,
  });
  try {
    const listed = await pool.list();
    const secrets = await openSecretStore({ home, env, log: silent });
    const tokens: SavedState['tokens'] = {};
    for (const a of listed.accounts) {
      const raw = await secrets.get(a.id);
      const bundle = raw === undefined ? null : parseTokens(raw);
      tokens[a.id] = { access: Boolean(bundle?.access_token), refresh: Boolean(bundle?.refresh_token) };
    }
    const accountsFile = JSON.parse(await readFile(path.join(home, 'accounts.json'), 'utf8')) as {
      preferred: string | null;
    };
    const settings = await readFile(path.join(home, 'config.json'), 'utf8')
      .then((text) => JSON.parse(text) as unknown)
      .catch(() => null);
    return {
      accounts: listed.accounts.map((a) => ({ id: a.id, email: a.email })).sort((a, b) => a.id.localeCompare(b.id)),
      strategy: listed.strategy,
      preferred: accountsFile.preferred,
      tokens,
      settings,
    };
  } finally {
    await pool.close();
  }
}

/** Every account, token and setting that was there before is still there. */
export async function expectNothingLost(home: string, env: NodeJS.ProcessEnv, before: SavedState): Promise<void> {
  const after = await savedState(home, env);
  expect(after).toEqual(before);
  for (const [id, t] of Object.entries(after.tokens))
    expect(t, `tokens of ${id}`).toEqual({ access: true, refresh: true });
}

const CHILD_CORE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'child-core.ts');

export interface ChildCore {
  url: string;
  child: ChildProcess;
  /** Resolves with how the process ended. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Everything it wrote to stderr so far (crash traces land here). */
  stderr(): string;
}

/**
 * Starts the real core in its own process on the data dir that `env` names; `preload` is a module
 * loaded before it (fault injection).
 */
export async function spawnCore(env: NodeJS.ProcessEnv, opts: { preload?: string } = {}): Promise<ChildCore> {
  const preload = opts.preload ? ['--import', opts.preload] : [];
  const child = spawn(process.execPath, ['--import', 'tsx', ...preload, CHILD_CORE], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve((JSON.parse(line) as { url: string }).url);
    });
    void exited.then(({ code, signal }) =>
      reject(new Error(`child core exited (${code ?? signal}) before listening:\n${err}`)),
    );
  });
  return { url, child, exited, stderr: () => err };
}
