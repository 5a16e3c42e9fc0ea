// The doctor through the real server over sockets against the strict fake backend: GET only reads,
// POST calls the backend (and refreshes or sends live requests only when asked), and a backend
// that refuses our identity (the Cloudflare challenge the fake answers to a non-first-party
// originator) is named as the cause. The CLI is run as users run it, with the proxy up and down.
import { spawn } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { DoctorCheck, DoctorReport } from '../../shared/api.js';
import { identityRefusedMessage } from '../../main/core/upstream/failure.js';
import { startTestProxy, type TestProxy } from '../support/proxy.js';
import { startFakeIssuer, type FakeIssuer } from '../fakes/oauth-issuer.js';
import { writeAuthJson } from '../core/accounts/helpers.js';
import { freePort } from './dashboard/free-port.js';

const CLI = path.join(import.meta.dirname, '..', '..', 'main', 'cli.ts');

async function getDoctor(p: TestProxy, query = ''): Promise<Response> {
  return fetch(`${p.url}/api/doctor${query}`);
}

async function postDoctor(p: TestProxy, body?: unknown): Promise<DoctorReport> {
  const res = await fetch(`${p.url}/api/doctor`, {
    method: 'POST',
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as DoctorReport;
}

function find(report: DoctorReport, id: string): DoctorCheck {
  const c = report.checks.find((x) => x.id === id);
  if (!c) throw new Error(`no check ${id} in ${report.checks.map((x) => x.id).join(', ')}`);
  return c;
}

function accountCheck(report: DoctorReport, kind: string): DoctorCheck {
  const c = report.checks.find((x) => x.id.startsWith('account:') && x.id.endsWith(`:${kind}`));
  if (!c) throw new Error(`no account check ${kind}`);
  return c;
}

/** Requests the fake saw on one route since `from`. */
function upstreamCalls(p: TestProxy, route: string, from = 0): number {
  return p.fake.requests.slice(from).filter((r) => r.path.includes(route)).length;
}

function runCli(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.once('exit', (code) => resolve({ code, out }));
  });
}

describe('doctor on a healthy proxy', () => {
  let p: TestProxy;
  beforeAll(async () => {
    p = await startTestProxy();
    // The catalog's first fetch runs in the background after start; let it land first.
    await p.core.catalog.refresh();
  });
  afterAll(async () => {
    await p.close();
  });

  it('GET /api/doctor only reads: no backend call, upstream checks marked not checked', async () => {
    const before = p.fake.requests.length;
    const res = await getDoctor(p);
    expect(res.status).toBe(200);
    const report = (await res.json()) as DoctorReport;
    expect(p.fake.requests.length).toBe(before);
    expect(report).toMatchObject({ source: 'server', upstream: false, refresh: false, live: false });
    expect(find(report, 'port')).toMatchObject({ status: 'ok', summary: `Listening on ${p.url} (this proxy).` });
    expect(find(report, 'data_dir').status).toBe('ok');
    expect(find(report, 'secret_store').status).toBe('ok');
    expect(accountCheck(report, 'tokens')).toMatchObject({
      status: 'ok',
      summary: expect.stringContaining('account id acct-1, plan plus, email user1@example.com'),
    });
    expect(accountCheck(report, 'models')).toMatchObject({
      status: 'skip',
      summary: expect.stringContaining('a GET never calls the backend'),
    });
    expect(accountCheck(report, 'usage').status).toBe('skip');
    expect(find(report, 'compatibility').status).toBe('ok');
  });

  it('GET refuses ?refresh and ?live with a pointer to the POST', async () => {
    for (const query of ['?refresh=1', '?live=true']) {
      const res = await getDoctor(p, query);
      expect(res.status).toBe(400);
      const body = (await res.json()) as { type: string; error: { type: string; message: string } };
      expect(body.type).toBe('error');
      expect(body.error.type).toBe('invalid_request_error');
      expect(body.error.message).toContain('POST /api/doctor {"refresh":true,"live":true}');
    }
  });

  it('POST rejects a body that is not {refresh?: boolean, live?: boolean}', async () => {
    for (const body of ['[]', '{"live":"yes"}', 'not json']) {
      const res = await fetch(`${p.url}/api/doctor`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { type: string } }).error.type).toBe('invalid_request_error');
    }
  });

  it('POST /api/doctor (dry) reads the model list and usage with our identity, refreshes nothing, sends no request', async () => {
    const before = p.fake.requests.length;
    const report = await postDoctor(p);
    expect(report).toMatchObject({ upstream: true, refresh: false, live: false });
    expect(upstreamCalls(p, '/codex/models', before)).toBe(1);
    expect(upstreamCalls(p, '/wham/usage', before)).toBe(1);
    expect(upstreamCalls(p, '/codex/responses', before)).toBe(0);
    const models = p.fake.requests.slice(before).find((r) => r.path.includes('/codex/models'));
    expect(models?.headers.originator).toBe('codex_cli_rs');
    expect(accountCheck(report, 'models')).toMatchObject({
      status: 'ok',
      summary: expect.stringMatching(/lists \d+ models for client 0\.171\.0/),
    });
    expect(accountCheck(report, 'usage')).toMatchObject({
      status: 'ok',
      summary: expect.stringContaining('5-hour window 12% used, weekly 34% used'),
    });
    expect(accountCheck(report, 'refresh')).toMatchObject({
      status: 'skip',
      summary: expect.stringContaining('not tried (dry run'),
    });
    expect(accountCheck(report, 'expiry')).toMatchObject({
      status: 'ok',
      summary: expect.stringContaining('valid for'),
    });
    expect(find(report, 'identity')).toMatchObject({
      status: 'ok',
      summary: expect.stringContaining('originator codex_cli_rs (default), client version 0.171.0 (default)'),
    });
    expect(find(report, 'lane:opus')).toMatchObject({ status: 'ok', summary: 'opus → gpt-6.2-astra (272k window).' });
    expect(find(report, 'lane:sonnet').summary).toContain('sonnet → gpt-6.2-sol');
    expect(find(report, 'lane:haiku').summary).toContain('haiku → gpt-6-luna');
    expect(report.counts.fail).toBe(0);
  });

  it('Claude Code settings: unset is a warning, elsewhere a failure with the configure fix, here ok', async () => {
    const dir = path.join(p.home, '.claude');
    await mkdir(dir, { recursive: true });
    const settings = path.join(dir, 'settings.json');
    try {
      expect(find(await postDoctor(p), 'claude_settings')).toMatchObject({
        status: 'warn',
        summary: expect.stringContaining('sets no ANTHROPIC_BASE_URL'),
      });
      await writeFile(settings, JSON.stringify({ env: { ANTHROPIC_BASE_URL: 'http://127.0.0.1:9999' } }));
      const elsewhere = find(await postDoctor(p), 'claude_settings');
      expect(elsewhere).toMatchObject({
        status: 'fail',
        fix: expect.stringContaining('codex-claude-proxy claude configure --port'),
      });
      const port = new URL(p.url).port;
      await writeFile(settings, JSON.stringify({ env: { ANTHROPIC_BASE_URL: `http://localhost:${port}/` } }));
      expect(find(await postDoctor(p), 'claude_settings').status).toBe('ok');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('POST {"live":true} streams one tiny request per lane through the real path', async () => {
    const before = p.fake.requests.length;
    const report = await postDoctor(p, { live: true });
    const sent = p.fake.requests.slice(before).filter((r) => r.path.includes('/codex/responses'));
    expect(sent.map((r) => (r.body as { model: string }).model)).toEqual([
      'gpt-6.2-astra',
      'gpt-6.2-sol',
      'gpt-6-luna',
    ]);
    expect(sent.every((r) => !r.rejected)).toBe(true);
    for (const lane of ['opus', 'sonnet', 'haiku']) {
      expect(find(report, `live:${lane}`)).toMatchObject({
        status: 'ok',
        summary: expect.stringContaining('answered "Echo: Reply with the single word: ok"'),
      });
    }
    expect(report.live).toBe(true);
  });

  it("the CLI gives the running proxy's report when it answers on the port", async () => {
    const port = new URL(p.url).port;
    const { code, out } = await runCli(['doctor', '--port', port], p.env);
    expect(out).toContain(`report of the running proxy at http://127.0.0.1:${port}`);
    expect(out).toContain('Dry run: no token was refreshed');
    expect(out).toContain(`✓ Listening on http://127.0.0.1:${port} (this proxy).`);
    expect(out).toMatch(/✓ user1@example\.com: \/codex\/models lists \d+ models/);
    expect(out).toContain('– user1@example.com: a refresh token is stored; not tried');
    expect(out).not.toContain('✗');
    expect(code).toBe(0);
  });
});

describe('doctor when the backend refuses our identity (CODEX_ORIGINATOR=codex_claude_proxy)', () => {
  let p: TestProxy;
  beforeAll(async () => {
    p = await startTestProxy({ env: { CODEX_ORIGINATOR: 'codex_claude_proxy' } });
  });
  afterAll(async () => {
    await p.close();
  });

  it('POST names the identity gate, and the environment variable that set it', async () => {
    const before = p.fake.requests.length;
    const report = await postDoctor(p);
    expect(p.fake.requests.slice(before).every((r) => r.rejected?.status === 403)).toBe(true);
    const identity = find(report, 'identity');
    expect(identity.status).toBe('fail');
    expect(identity.summary).toContain(identityRefusedMessage(403));
    expect(identity.summary).toContain('originator codex_claude_proxy (from env)');
    expect(identity.fix).toContain('CODEX_ORIGINATOR=codex_claude_proxy comes from the environment of the proxy');
    const models = accountCheck(report, 'models');
    expect(models).toMatchObject({
      status: 'fail',
      summary: `user1@example.com: /codex/models: ${identityRefusedMessage(403)}`,
    });
    expect(models.fix).toContain('unset it');
    expect(accountCheck(report, 'usage')).toMatchObject({
      status: 'fail',
      summary: expect.stringContaining(identityRefusedMessage(403)),
    });
    // Still a token problem nowhere: the tokens are fine, only the client is refused.
    expect(accountCheck(report, 'tokens').status).toBe('ok');
    expect(find(report, 'catalog').status).toBe('warn');
  });

  it('--live: each lane fails with the identity cause, and the sentinel records it', async () => {
    const report = await postDoctor(p, { live: true });
    for (const lane of ['opus', 'sonnet', 'haiku']) {
      const live = find(report, `live:${lane}`);
      expect(live.status).toBe('fail');
      expect(live.summary).toContain(identityRefusedMessage(403));
      expect(live.fix).toContain('CODEX_ORIGINATOR=codex_claude_proxy');
    }
    // A refusal is not a usage limit: the account is not put in cooldown for it.
    expect(accountCheck(report, 'status').status).toBe('ok');
    const after = (await (await getDoctor(p)).json()) as DoctorReport;
    const finding = after.checks.find((c) => c.id.startsWith('compatibility:identity_refused'));
    expect(finding).toMatchObject({
      status: 'fail',
      fix: expect.stringContaining('CODEX_ORIGINATOR=codex_claude_proxy'),
    });
    // Even a GET, which calls nothing upstream, now names the cause from what the proxy saw.
    expect(find(after, 'identity').status).toBe('fail');
  });

  it('the CLI prints the cause and the fix, and exits 1', async () => {
    const { code, out } = await runCli(['doctor', '--port', new URL(p.url).port], {
      ...p.env,
      CODEX_ORIGINATOR: undefined,
    });
    expect(out).toContain(`✗ ${identityRefusedMessage(403)}`);
    expect(out).toContain('fix: CODEX_ORIGINATOR=codex_claude_proxy comes from the environment of the proxy');
    expect(code).toBe(1);
  });
});

describe('doctor --refresh', () => {
  let issuer: FakeIssuer;
  let p: TestProxy;
  beforeAll(async () => {
    issuer = await startFakeIssuer();
    p = await startTestProxy({ accounts: 0, env: { OPENAI_AUTH_URL: issuer.url } });
    const tokens = issuer.mint({ accountId: 'acct-r', email: 'r@example.test' }, 3600);
    await p.core.pool.importCodexAuth(
      await writeAuthJson(path.join(p.home, 'import-r'), { accountId: 'acct-r', tokens }),
    );
    await p.core.catalog.refresh();
  });
  afterAll(async () => {
    await p.close();
    await issuer.close();
  });

  it('a dry run never refreshes; POST {"refresh":true} does, and the fresh token is used', async () => {
    await postDoctor(p);
    expect(issuer.refreshCount()).toBe(0);
    const before = p.fake.requests.length;
    const report = await postDoctor(p, { refresh: true });
    expect(issuer.refreshCount()).toBe(1);
    expect(accountCheck(report, 'refresh')).toMatchObject({
      status: 'ok',
      summary: expect.stringContaining('refreshed (new access token, valid for'),
    });
    expect(accountCheck(report, 'models').status).toBe('ok');
    expect(p.fake.requests.slice(before).every((r) => !r.rejected)).toBe(true);
  });

  it('a refused refresh fails with the sign-in fix', async () => {
    issuer.setRefreshFailure('refresh_token_expired');
    try {
      const report = await postDoctor(p, { refresh: true });
      expect(accountCheck(report, 'refresh')).toMatchObject({
        status: 'fail',
        fix: expect.stringContaining('codex-claude-proxy accounts add'),
      });
    } finally {
      issuer.setRefreshFailure(null);
    }
  });
});

describe('doctor with an expired access token', () => {
  let p: TestProxy;
  beforeAll(async () => {
    p = await startTestProxy({ accounts: 0 });
    const file = await writeAuthJson(path.join(p.home, 'import-old'), {
      accountId: 'acct-old',
      email: 'old@example.test',
      expiresInSec: -600,
    });
    await p.core.pool.importCodexAuth(file);
    // The import starts a catalog fetch (and so a refresh attempt) in the background: let it end.
    await p.core.catalog.refresh();
  });
  afterAll(async () => {
    await p.close();
  });

  it('a dry run reports the expiry and does not ask the backend with the dead token', async () => {
    const before = p.fake.requests.length;
    const report = await postDoctor(p);
    expect(accountCheck(report, 'expiry')).toMatchObject({
      status: 'warn',
      summary: expect.stringContaining('expired 10 min ago; the proxy refreshes it before the next request'),
      fix: expect.stringContaining('doctor --refresh'),
    });
    expect(accountCheck(report, 'models')).toMatchObject({
      status: 'skip',
      summary: expect.stringContaining('the access token expired'),
    });
    expect(upstreamCalls(p, '/codex/models', before) + upstreamCalls(p, '/wham/usage', before)).toBe(0);
  });
});

describe('the CLI with no proxy running', () => {
  let p: TestProxy;
  let port: number;
  beforeAll(async () => {
    p = await startTestProxy();
    await p.core.close();
    port = await freePort();
  });
  afterAll(async () => {
    await p.fake.close();
    await rm(p.home, { recursive: true, force: true });
  });
  afterEach(() => {
    p.fake.requests.length = 0;
  });

  it('builds the checks from the data dir: the port is free, the accounts and lanes are checked on the backend', async () => {
    const { code, out } = await runCli(['doctor', '--port', String(port)], p.env);
    expect(out).toContain(`no proxy answers on http://127.0.0.1:${port}`);
    expect(out).toContain(`! Nothing listens on http://127.0.0.1:${port}: the proxy is not running.`);
    expect(out).toContain(`fix: Start it: \`codex-claude-proxy start --port ${port}\``);
    expect(out).toMatch(/✓ user1@example\.com: \/codex\/models lists \d+ models/);
    expect(out).toContain('✓ Live model catalog (as user1@example.com sees it)');
    expect(out).toContain('– The proxy is not running: the compatibility findings live in the running process.');
    expect(upstreamCalls(p, '/codex/responses')).toBe(0);
    expect(code).toBe(0);
  });

  it('--live says it spends quota and streams one request per lane; a refused identity is named', async () => {
    const ok = await runCli(['doctor', '--live', '--port', String(port)], p.env);
    expect(ok.out).toContain('this spends a little quota');
    expect(ok.out).toMatch(/✓ opus: claude-opus-5-5 → gpt-6\.2-astra answered/);
    expect(ok.out).toMatch(/✓ haiku: claude-haiku-5-5 → gpt-6-luna answered/);
    expect(upstreamCalls(p, '/codex/responses')).toBe(3);
    expect(ok.code).toBe(0);

    const refused = await runCli(['doctor', '--live', '--port', String(port)], {
      ...p.env,
      CODEX_ORIGINATOR: 'codex_claude_proxy',
    });
    expect(refused.out).toContain(`✗ opus: claude-opus-5-5 failed (HTTP 403): ${identityRefusedMessage(403)}`);
    expect(refused.out).toContain('fix: CODEX_ORIGINATOR=codex_claude_proxy comes from the environment');
    expect(refused.code).toBe(1);
  });
});
