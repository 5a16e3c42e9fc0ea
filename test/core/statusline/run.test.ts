// `codex-claude-proxy statusline` against the real proxy over a real socket (and against a proxy
// that is down, hangs or wants another key): one line, whatever happens.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runStatusLine } from '../../../main/core/statusline/run.js';
import { startTestProxy, type TestProxy } from '../../support/proxy.js';

const SESSION = '0b6f3c1e-7d2a-4e59-8f10-2c3d4e5f6a7b';

function piped(model: string, contextTokens: number): string {
  return JSON.stringify({
    session_id: SESSION,
    model: { id: model, display_name: 'Sonnet 5.5' },
    context_window: {
      context_window_size: 1_000_000,
      current_usage: {
        input_tokens: 10,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: contextTokens - 10,
        output_tokens: 5,
      },
    },
  });
}

/** Runs the command with `text` on stdin (left open when `keepOpen`), returns what it printed. */
async function statusLine(env: NodeJS.ProcessEnv, text: string, keepOpen = false): Promise<string[]> {
  const stdin = new PassThrough();
  stdin.write(text);
  if (!keepOpen) stdin.end();
  const lines: string[] = [];
  await runStatusLine({
    stdin: stdin as unknown as NodeJS.ReadStream,
    env,
    defaultBaseUrl: 'http://127.0.0.1:9',
    write: (line) => lines.push(line),
  });
  return lines;
}

async function sendTurn(p: TestProxy, model: string, headers: Record<string, string> = {}): Promise<void> {
  const res = await fetch(`${p.url}/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-claude-code-session-id': SESSION, ...headers },
    body: JSON.stringify({ model, max_tokens: 100, messages: [{ role: 'user', content: 'hi' }] }),
  });
  expect(res.status).toBe(200);
  await res.text();
}

describe('statusline against the real proxy', () => {
  let p: TestProxy;
  beforeAll(async () => {
    p = await startTestProxy();
  });
  afterAll(async () => {
    await p?.close();
  });

  it('shows the lane model, its real window, and the quota of the account serving the session', async () => {
    const env = { ANTHROPIC_BASE_URL: p.url, ANTHROPIC_AUTH_TOKEN: 'anything' };
    const sonnet = p.core.catalog.resolveLane('sonnet', p.core.settings.lanes.sonnet);
    const window = sonnet.facts.contextWindow!;
    const before = await statusLine(env, piped('claude-sonnet-5-5', window / 2));
    expect(before).toHaveLength(1);
    expect(before[0]).toMatch(new RegExp(`^${sonnet.resolved.replace(/\./g, '\\.')} · ctx 50% of \\d+k · `));
    expect(before[0]).toMatch(/ · pool$/);

    await sendTurn(p, 'claude-sonnet-5-5');
    const [after] = await statusLine(env, piped('claude-sonnet-5-5', window / 4));
    // The fake backend reports 12 % of the 5-hour and 34 % of the weekly window.
    expect(after).toBe(`${sonnet.resolved} · ctx 25% of ${window / 1000}k · 5h 12% · wk 34% · u@…`);
  });

  it('still prints a line when stdin is never closed', async () => {
    const [line] = await statusLine({ ANTHROPIC_BASE_URL: p.url }, piped('claude-opus-5-5', 1000), true);
    expect(line).toMatch(/ · ctx \d+% of \d+k · /);
  });
});

describe('statusline when the proxy cannot answer', () => {
  it('says the proxy is offline when nothing listens', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    expect(await statusLine({ ANTHROPIC_BASE_URL: `http://127.0.0.1:${port}` }, piped('claude-opus-5-5', 10))).toEqual([
      `proxy offline (127.0.0.1:${port}) · Sonnet 5.5`,
    ]);
  });

  it('gives up on a proxy that accepts the connection and never answers', async () => {
    const silent = http.createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    try {
      expect(
        await statusLine({ ANTHROPIC_BASE_URL: `http://127.0.0.1:${port}` }, piped('claude-opus-5-5', 10)),
      ).toEqual([`proxy not answering (127.0.0.1:${port}) · Sonnet 5.5`]);
    } finally {
      silent.closeAllConnections();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('says so when the proxy wants another API key, and works with the right one', async () => {
    const p = await startTestProxy({ env: { PROXY_API_KEY: 'the-proxy-key-123' } });
    try {
      const host = new URL(p.url).host;
      expect(
        await statusLine({ ANTHROPIC_BASE_URL: p.url, ANTHROPIC_AUTH_TOKEN: 'wrong' }, piped('claude-opus-5-5', 10)),
      ).toEqual([`proxy refused the token (${host}) · Sonnet 5.5`]);
      const [ok] = await statusLine(
        { ANTHROPIC_BASE_URL: p.url, ANTHROPIC_AUTH_TOKEN: 'the-proxy-key-123' },
        piped('claude-opus-5-5', 10),
      );
      expect(ok).toMatch(/ · ctx 0% of \d+k · /);
    } finally {
      await p.close();
    }
  });
});
