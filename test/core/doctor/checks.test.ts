// The doctor's pure checks: each fact gives one line, and every failure comes with a fix.
import { describe, expect, it } from 'vitest';
import type { AccountSummary, ClaudeConfigState, DoctorCheck, DoctorReport } from '../../../shared/api.js';
import {
  accountStatusCheck,
  catalogCheck,
  claudeSettingsCheck,
  compatibilityChecks,
  countChecks,
  dataDirCheck,
  expiryCheck,
  humanDuration,
  identityCheck,
  identityFix,
  isRefusedIdentity,
  laneCheck,
  liveCheck,
  modelsCheck,
  pointsHere,
  portCheck,
  refreshCheck,
  secretStoreCheck,
  tokenClaimsCheck,
  usageCheck,
  type CallContext,
} from '../../../main/core/doctor/checks.js';
import { formatReport } from '../../../main/core/doctor/format.js';
import { claudeModelFor, liveRequest, readEvents } from '../../../main/core/doctor/live.js';
import { resolveIdentity } from '../../../main/core/upstream/identity.js';
import { identityRefusedMessage } from '../../../main/core/upstream/failure.js';
import type { TokenBundle } from '../../../main/core/accounts/tokens.js';
import { codexTokens } from '../../fakes/jwt.js';

const NOW = Date.UTC(2026, 11, 1, 12, 0, 0);
const NOW_S = NOW / 1000;
const identity = resolveIdentity(undefined, {}, '0.1.0');

function account(overrides: Partial<AccountSummary> = {}): AccountSummary {
  return {
    id: 'acct_1',
    email: 'one@example.com',
    account_id: 'cgpt-1',
    plan: 'plus',
    status: 'active',
    status_until: null,
    status_reason: null,
    quota: { five_hour: null, weekly: null, plan_type: null, updated_at: null },
    preferred: false,
    added_at: '2026-11-01T00:00:00.000Z',
    source: 'oauth',
    ...overrides,
  };
}

function bundle(expiresInSec: number, refresh: string | null = 'rt-1'): TokenBundle {
  // codexTokens stamps exp from the real clock; shift it onto NOW.
  const tokens = codexTokens({
    accountId: 'cgpt-1',
    email: 'one@example.com',
    expiresInSec: expiresInSec + Math.round(NOW_S - Date.now() / 1000),
  });
  return { ...tokens, refresh_token: refresh, last_refresh: new Date(NOW).toISOString() };
}

const ctx: CallContext = {
  account: { id: 'acct_1', label: 'one@example.com' },
  identity,
  backendUrl: 'https://chatgpt.com/backend-api',
};

/** Every failing check must say what to do. */
function expectFixOnFail(c: DoctorCheck): void {
  if (c.status === 'fail') expect(c.fix, c.summary).toBeTruthy();
}

describe('data dir and secret store', () => {
  const dir = { path: '/home/me/.codex-claude-proxy', exists: true, isDirectory: true, writable: true, mode: 0o40700 };

  it('owner-only and writable is ok; open to others is a warning with the chmod', () => {
    expect(dataDirCheck(dir).status).toBe('ok');
    expect(dataDirCheck({ ...dir, mode: 0o40755 })).toMatchObject({
      status: 'warn',
      summary: expect.stringContaining('mode 755'),
      fix: 'chmod 700 /home/me/.codex-claude-proxy',
    });
    expect(dataDirCheck({ ...dir, mode: null }).status).toBe('ok');
  });

  it('missing, not a directory, not writable: failures with fixes', () => {
    for (const facts of [
      { ...dir, exists: false },
      { ...dir, isDirectory: false },
      { ...dir, writable: false },
    ]) {
      const c = dataDirCheck(facts);
      expect(c.status).toBe('fail');
      expectFixOnFail(c);
    }
  });

  it('keychain ok; plain files ok when asked for, a warning when the keychain could not be used', () => {
    expect(secretStoreCheck({ kind: 'keychain', description: 'OS keychain data key', forcedFile: false }).status).toBe(
      'ok',
    );
    expect(
      secretStoreCheck({ kind: 'file', description: 'plain files (mode 0600) in /x', forcedFile: true }).status,
    ).toBe('ok');
    const fallback = secretStoreCheck({
      kind: 'file',
      description: 'plain files (mode 0600) in /x',
      forcedFile: false,
    });
    expect(fallback).toMatchObject({
      status: 'warn',
      summary: expect.stringContaining('unencrypted'),
      fix: expect.stringContaining('keychain'),
    });
  });
});

describe('identity', () => {
  it('the defaults are ok and say where each value came from', () => {
    expect(identityCheck(identity, null)).toMatchObject({
      status: 'ok',
      summary: expect.stringMatching(
        /^originator codex_cli_rs \(default\), client version 0\.171\.0 \(default\), User-Agent "codex_cli_rs\/0\.171\.0 .*codex-claude-proxy\/0\.1\.0" \(product default\)$/,
      ),
    });
  });

  it('a refusal fails with the product message and names the environment variable behind it', () => {
    const ours = resolveIdentity(undefined, { CODEX_ORIGINATOR: 'codex_claude_proxy' }, '0.1.0');
    const c = identityCheck(ours, 403);
    expect(c.status).toBe('fail');
    expect(c.summary.startsWith(identityRefusedMessage(403))).toBe(true);
    expect(c.fix).toContain('CODEX_ORIGINATOR=codex_claude_proxy comes from the environment');
  });

  it('without a refusal, a value the edge is known to refuse is a warning', () => {
    expect(identityCheck(resolveIdentity(undefined, { CODEX_ORIGINATOR: 'my_tool' }, '0.1.0'), null).status).toBe(
      'warn',
    );
    expect(identityCheck(resolveIdentity({ userAgentProduct: 'other' }, {}, '0.1.0'), null)).toMatchObject({
      status: 'warn',
      summary: expect.stringContaining('mismatch'),
    });
    expect(identityCheck(resolveIdentity(undefined, { CODEX_CLIENT_VERSION: '0.99.3' }, '0.1.0'), null)).toMatchObject({
      status: 'warn',
      summary: expect.stringContaining('0.144.0'),
    });
    expect(identityCheck(resolveIdentity(undefined, { CODEX_ORIGINATOR: 'Codex Desktop' }, '0.1.0'), null).status).toBe(
      'ok',
    );
  });

  it('the fix follows where the values came from: env, settings, or the defaults', () => {
    expect(identityFix(resolveIdentity({ originator: 'codex_vscode' }, {}, '0.1.0'))).toContain(
      `config.json's "identity" (originator`,
    );
    expect(identityFix(identity)).toContain('update codex-claude-proxy');
  });

  it("Cloudflare's challenge (header or HTML page) and a 404 are identity refusals; a JSON 403 is not", () => {
    expect(isRefusedIdentity(403, new Headers({ 'cf-mitigated': 'challenge' }))).toBe(true);
    expect(isRefusedIdentity(403, new Headers({ 'content-type': 'text/html; charset=UTF-8' }))).toBe(true);
    expect(isRefusedIdentity(403, new Headers({ 'content-type': 'application/json' }))).toBe(false);
    expect(isRefusedIdentity(404, new Headers())).toBe(true);
    expect(isRefusedIdentity(401, new Headers({ 'cf-mitigated': 'challenge' }))).toBe(false);
  });
});

describe('accounts', () => {
  it('status: active ok, cooldown a warning with the time left, relogin and disabled failures', () => {
    expect(accountStatusCheck(account(), NOW).status).toBe('ok');
    expect(
      accountStatusCheck(
        account({ status: 'cooldown', status_until: NOW_S + 7200, status_reason: 'usage limit' }),
        NOW,
      ),
    ).toMatchObject({
      status: 'warn',
      summary: 'one@example.com: cooling down for 2 h: usage limit.',
    });
    for (const status of ['needs_relogin', 'disabled'] as const) {
      const c = accountStatusCheck(account({ status }), NOW);
      expect(c.status).toBe('fail');
      expectFixOnFail(c);
    }
  });

  it('tokens: decoded claims, undecodable tokens, unreadable tokens', () => {
    const good = bundle(3600);
    expect(tokenClaimsCheck(account(), { ok: true, bundle: good, refreshed: false })).toMatchObject({
      status: 'ok',
      summary: 'one@example.com: tokens decode (account id cgpt-1, plan plus, email one@example.com).',
    });
    const broken = { ...good, id_token: 'x', access_token: 'y' };
    expect(tokenClaimsCheck(account(), { ok: true, bundle: broken, refreshed: false })).toMatchObject({
      status: 'fail',
      fix: expect.stringContaining('accounts add'),
    });
    const foreign = { ...bundle(3600), ...codexTokens({ accountId: 'someone-else' }) };
    expect(tokenClaimsCheck(account(), { ok: true, bundle: foreign, refreshed: false }).status).toBe('warn');
    const unreadable = tokenClaimsCheck(account(), {
      ok: false,
      stage: 'read',
      message: 'keychain locked',
      terminal: false,
    });
    expect(unreadable).toMatchObject({ status: 'fail', fix: expect.stringContaining('Unlock the OS keychain') });
    expect(tokenClaimsCheck(account(), { ok: false, stage: 'read', message: 'none', terminal: true }).fix).toContain(
      'accounts add',
    );
  });

  it('expiry: valid, about to be refreshed, expired with and without a refresh token', () => {
    expect(expiryCheck(account(), bundle(3 * 3600), NOW)).toMatchObject({
      status: 'ok',
      summary: expect.stringContaining('valid for 3 h'),
    });
    expect(expiryCheck(account(), bundle(120), NOW)?.summary).toContain('the next request refreshes it first');
    expect(expiryCheck(account(), bundle(-600), NOW)).toMatchObject({
      status: 'warn',
      summary: expect.stringContaining('expired 10 min ago'),
    });
    expect(expiryCheck(account(), bundle(-600, null), NOW)).toMatchObject({
      status: 'fail',
      fix: expect.stringContaining('accounts add'),
    });
    expect(expiryCheck(account(), undefined, NOW)).toBeNull();
  });

  it('refresh: dry is not tried; a refresh that worked, was refused for good, or failed', () => {
    const stored = bundle(3600);
    expect(refreshCheck(account(), { ok: true, bundle: stored, refreshed: false }, false, NOW)?.status).toBe('skip');
    expect(
      refreshCheck(account(), { ok: true, bundle: bundle(3600, null), refreshed: false }, false, NOW)?.status,
    ).toBe('warn');
    expect(refreshCheck(account(), { ok: true, bundle: stored, refreshed: true }, true, NOW)).toMatchObject({
      status: 'ok',
      summary: expect.stringContaining('valid for 60 min'),
    });
    const refused = refreshCheck(
      account(),
      { ok: false, stage: 'refresh', message: 'refresh_token_reused', terminal: true, bundle: stored },
      true,
      NOW,
    );
    expect(refused).toMatchObject({ status: 'fail', fix: expect.stringContaining('accounts add') });
    const failed = refreshCheck(
      account(),
      { ok: false, stage: 'refresh', message: 'ECONNREFUSED', terminal: false, bundle: stored },
      true,
      NOW,
    );
    expect(failed).toMatchObject({ status: 'fail', fix: expect.stringContaining('OPENAI_AUTH_URL') });
  });

  it('the model list: listed, empty, refused identity, token, plan, limits, server errors, network, not checked', () => {
    expect(modelsCheck({ kind: 'ok', value: [{}, {}] }, ctx)).toMatchObject({
      status: 'ok',
      summary: 'one@example.com: /codex/models lists 2 models for client 0.171.0.',
    });
    expect(modelsCheck({ kind: 'ok', value: [] }, ctx).status).toBe('warn');
    const refused = modelsCheck(
      { kind: 'http', status: 403, headers: new Headers({ 'cf-mitigated': 'challenge' }) },
      ctx,
    );
    expect(refused).toMatchObject({
      status: 'fail',
      summary: `one@example.com: /codex/models: ${identityRefusedMessage(403)}`,
    });
    expect(modelsCheck({ kind: 'http', status: 401 }, ctx)).toMatchObject({
      status: 'fail',
      fix: expect.stringContaining('doctor --refresh'),
    });
    expect(
      modelsCheck({ kind: 'http', status: 403, headers: new Headers({ 'content-type': 'application/json' }) }, ctx)
        .summary,
    ).toContain('not the identity gate');
    expect(modelsCheck({ kind: 'http', status: 429 }, ctx).status).toBe('warn');
    expect(modelsCheck({ kind: 'http', status: 502 }, ctx).summary).toContain('HTTP 502');
    expect(modelsCheck({ kind: 'error', message: 'ENOTFOUND' }, ctx)).toMatchObject({
      status: 'fail',
      summary: expect.stringContaining('could not reach https://chatgpt.com/backend-api (ENOTFOUND)'),
    });
    expect(modelsCheck({ kind: 'skipped', reason: 'why' }, ctx)).toMatchObject({
      status: 'skip',
      summary: 'one@example.com: /codex/models not checked (why).',
    });
  });

  it('usage: the windows read, a reached limit with its reset, a refusal', () => {
    const usage = (used: number, reached: boolean) => ({
      plan_type: 'pro',
      rate_limit: {
        limit_reached: reached,
        primary_window: { used_percent: used, limit_window_seconds: 18_000, reset_at: NOW_S + 5400 },
        secondary_window: { used_percent: 40, limit_window_seconds: 604_800, reset_at: NOW_S + 86_400 },
      },
    });
    expect(usageCheck({ kind: 'ok', value: usage(12, false) }, ctx, NOW)).toMatchObject({
      status: 'ok',
      summary: 'one@example.com: /wham/usage readable: 5-hour window 12% used, weekly 40% used (plan pro).',
    });
    expect(usageCheck({ kind: 'ok', value: usage(100, true) }, ctx, NOW)).toMatchObject({
      status: 'warn',
      summary: expect.stringContaining('It resets in 90 min'),
    });
    expect(usageCheck({ kind: 'http', status: 404 }, ctx, NOW).summary).toContain(identityRefusedMessage(404));
  });
});

describe('lanes, port, Claude Code, sentinel, live', () => {
  it('a lane on its model is ok; a retired or unoffered one is a warning with the models set fix', () => {
    expect(
      laneCheck('opus', {
        configured: 'gpt-6.2-astra',
        resolved: 'gpt-6.2-astra',
        context_window: 272_000,
        effort: 'high',
      }).summary,
    ).toBe('opus → gpt-6.2-astra (272k window, effort high).');
    const retired = laneCheck('sonnet', {
      configured: 'gpt-5.2-codex',
      resolved: 'gpt-6.2-sol',
      context_window: 500_000,
    });
    expect(retired).toMatchObject({
      status: 'warn',
      summary: expect.stringContaining('was retired by OpenAI'),
      fix: expect.stringContaining('models set sonnet gpt-6.2-sol'),
    });
    expect(laneCheck('haiku', { configured: 'gpt-7', resolved: 'gpt-6-luna', context_window: null }).summary).toContain(
      'is not offered to this account',
    );
    expect(catalogCheck({ source: 'offline', reason: 'no account' }).status).toBe('warn');
    expect(catalogCheck({ source: 'fetched', models: 11, account: 'a@b' }).summary).toContain('as a@b sees it');
  });

  it('port: ours is ok, free is a warning to start it, another program a failure with another port', () => {
    expect(portCheck({ kind: 'self', url: 'http://127.0.0.1:8081' }, 8081).status).toBe('ok');
    expect(portCheck({ kind: 'ours', url: 'http://127.0.0.1:8081', version: '0.1.0' }, 8081).status).toBe('ok');
    expect(portCheck({ kind: 'free', url: 'http://127.0.0.1:8081' }, 8081).fix).toBe(
      'Start it: `codex-claude-proxy start` (or open the desktop app).',
    );
    expect(portCheck({ kind: 'free', url: 'http://127.0.0.1:9000' }, 8081).fix).toContain('start --port 9000');
    const taken = portCheck(
      { kind: 'other', url: 'http://127.0.0.1:8081', detail: 'its /health answered HTTP 404' },
      8081,
    );
    expect(taken).toMatchObject({ status: 'fail', fix: expect.stringContaining('--port 8082') });
  });

  it('loopback names count as the same host; a path or another port does not', () => {
    expect(pointsHere('http://localhost:8081/', 'http://127.0.0.1:8081')).toBe(true);
    expect(pointsHere('http://[::1]:8081', 'http://127.0.0.1:8081')).toBe(true);
    expect(pointsHere('http://127.0.0.1:8082', 'http://127.0.0.1:8081')).toBe(false);
    expect(pointsHere('http://127.0.0.1:8081/v1', 'http://127.0.0.1:8081')).toBe(false);
    expect(pointsHere('not a url', 'http://127.0.0.1:8081')).toBe(false);
  });

  it('Claude Code settings: here, unset, elsewhere, unreadable', () => {
    const state = (base_url: string | null): ClaudeConfigState => ({
      settings_path: '/h/.claude/settings.json',
      configured: false,
      base_url,
      backup_exists: false,
      default_mode: null,
      env: {},
    });
    expect(claudeSettingsCheck(state('http://127.0.0.1:8081'), 'http://127.0.0.1:8081', 8081).status).toBe('ok');
    expect(claudeSettingsCheck(state(null), 'http://127.0.0.1:8081', 8081)).toMatchObject({
      status: 'warn',
      fix: expect.stringContaining('ANTHROPIC_BASE_URL=http://127.0.0.1:8081'),
    });
    expect(claudeSettingsCheck(state('https://api.anthropic.com'), 'http://127.0.0.1:8081', 8081)).toMatchObject({
      status: 'fail',
      fix: expect.stringMatching(/^`codex-claude-proxy claude configure`/),
    });
    expect(
      claudeSettingsCheck({ error: 'settings.json is not valid JSON' }, 'http://127.0.0.1:9000', 8081),
    ).toMatchObject({ status: 'fail', fix: expect.stringContaining('claude configure --port 9000') });
  });

  it('sentinel: not running, nothing seen, one line per finding (a refused identity fails)', () => {
    expect(compatibilityChecks(null, identity)[0].status).toBe('skip');
    expect(compatibilityChecks([], identity)[0].status).toBe('ok');
    const at = '2026-12-01T12:00:00.000Z';
    const checks = compatibilityChecks(
      [
        {
          kind: 'upstream_event',
          subject: 'response.new_thing',
          message: 'unknown upstream event response.new_thing',
          count: 3,
          first_seen: at,
          last_seen: at,
        },
        {
          kind: 'identity_refused',
          subject: '403',
          message: identityRefusedMessage(403),
          count: 1,
          first_seen: at,
          last_seen: at,
        },
      ],
      identity,
    );
    expect(checks.map((c) => c.status)).toEqual(['warn', 'fail']);
    expect(checks[0].summary).toContain('seen 3×');
    checks.forEach(expectFixOnFail);
  });

  it('live: an answer, a refused identity, a usage limit, anything else', () => {
    expect(
      liveCheck(
        {
          lane: 'opus',
          model: 'claude-opus-5-5',
          ok: true,
          upstreamModel: 'gpt-6.2-astra',
          account: 'a@b',
          text: 'ok',
          outputTokens: 2,
          ms: 812,
        },
        identity,
      ).summary,
    ).toBe('opus: claude-opus-5-5 → gpt-6.2-astra answered "ok" (2 output tokens, a@b, 812 ms).');
    const refused = liveCheck(
      {
        lane: 'sonnet',
        model: 'claude-sonnet-5-5',
        ok: false,
        message: identityRefusedMessage(403),
        code: 'identity_refused',
        status: 403,
      },
      identity,
    );
    expect(refused).toMatchObject({
      status: 'fail',
      summary: `sonnet: claude-sonnet-5-5 failed (HTTP 403): ${identityRefusedMessage(403)}`,
      fix: identityFix(identity),
    });
    expect(
      liveCheck({ lane: 'haiku', model: 'claude-haiku-5-5', ok: false, message: 'limit', status: 429 }, identity).fix,
    ).toContain('reset');
    expectFixOnFail(liveCheck({ lane: 'haiku', model: 'claude-haiku-5-5', ok: false, message: 'boom' }, identity));
  });

  it("live requests are tiny, streamed, and routed by the lane's Claude id", () => {
    expect(claudeModelFor('opus')).toBe('claude-opus-5-5');
    expect(liveRequest('haiku')).toMatchObject({ model: 'claude-haiku-5-5', stream: true, max_tokens: 32 });
    expect(
      readEvents([
        [{ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'o' } }],
        [
          { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'k' } },
          {
            type: 'message_delta',
            delta: { stop_reason: 'end_turn', stop_sequence: null },
            usage: { output_tokens: 2 },
          },
        ],
      ]),
    ).toEqual({ text: 'ok', outputTokens: 2, error: null });
    expect(readEvents([[{ type: 'error', error: { type: 'api_error', message: 'broke' } }]]).error).toBe('broke');
  });
});

describe('the CLI text', () => {
  it('groups the checks in fixing order, marks each, puts the fix under what it fixes, counts at the end', () => {
    const checks: DoctorCheck[] = [
      { id: 'lane:opus', group: 'lanes', status: 'ok', summary: 'opus → gpt-6.2-astra.' },
      { id: 'identity', group: 'identity', status: 'fail', summary: 'refused.', fix: 'unset it.' },
      { id: 'data_dir', group: 'setup', status: 'warn', summary: 'open.', fix: 'chmod 700 x' },
      { id: 'compatibility', group: 'compatibility', status: 'skip', summary: 'not running.' },
    ];
    const report: DoctorReport = {
      version: '0.1.0',
      ran_at: '',
      source: 'cli',
      home: '/h',
      upstream: true,
      refresh: false,
      live: false,
      checks,
      counts: countChecks(checks),
    };
    expect(formatReport(report, 'here')).toEqual([
      'codex-claude-proxy 0.1.0 doctor: here',
      'Dry run: no token was refreshed (--refresh refreshes them).',
      '',
      'Data and secrets',
      '  ! open.',
      '      fix: chmod 700 x',
      '',
      'Upstream identity',
      '  ✗ refused.',
      '      fix: unset it.',
      '',
      'Model lanes',
      '  ✓ opus → gpt-6.2-astra.',
      '',
      'Compatibility',
      '  – not running.',
      '',
      '1 ok, 1 warning, 1 failed, 1 not checked',
    ]);
  });

  it('durations read as a person would say them', () => {
    expect([45, 600, 7200, 3 * 86_400].map(humanDuration)).toEqual(['45 s', '10 min', '2 h', '3 d']);
  });
});
