import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ErrorBody } from '../../../shared/anthropic.js';
import type { ClaudeConfigState } from '../../../shared/api.js';
import { claudePaths, type ProxyTarget } from '../../../main/core/claude/index.js';
import { claudeRouter } from '../../../main/core/server/routes/claude.js';
import { quietErrorAnswers } from '../../support/error-answers.js';

let home: string;
let env: NodeJS.ProcessEnv;
let url: string;
let server: http.Server;
let target: ProxyTarget;

beforeEach(async () => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'ccp-claude-route-'));
  env = { HOME: home };
  target = {
    baseUrl: 'http://127.0.0.1:8081',
    authToken: 'route-test-token-123456',
    models: { opus: 'claude-opus-5-5', sonnet: 'claude-sonnet-5-5', haiku: 'claude-haiku-5-5' },
    contextWindow: 272000,
  };
  const app = new Koa();
  app.use(quietErrorAnswers());
  app.use(
    claudeRouter({
      env,
      target: async () => target,
      statusLineCommand: () => 'codex-claude-proxy statusline',
    }).routes(),
  );
  server = http.createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(async () => {
  await new Promise((resolve) => server.close(resolve));
  fs.rmSync(home, { recursive: true, force: true });
});

async function call(
  method: 'GET' | 'POST',
  route: string,
): Promise<{ status: number; body: ClaudeConfigState & ErrorBody }> {
  const res = await fetch(url + route, { method });
  return { status: res.status, body: (await res.json()) as ClaudeConfigState & ErrorBody };
}

describe('claudeRouter', () => {
  it('shows the state, configures, and restores', async () => {
    const before = await call('GET', '/claude/config');
    expect(before.status).toBe(200);
    expect(before.body).toMatchObject({
      configured: false,
      backup_exists: false,
      settings_path: claudePaths(env).settings,
    });

    const configured = await call('POST', '/claude/config/proxy');
    expect(configured.status).toBe(200);
    expect(configured.body).toMatchObject({
      configured: true,
      base_url: target.baseUrl,
      default_mode: 'default',
      backup_exists: true,
    });
    expect(JSON.stringify(configured.body)).not.toContain(target.authToken);
    expect((await call('GET', '/claude/config')).body.configured).toBe(true);

    const restored = await call('POST', '/claude/config/restore');
    expect(restored.status).toBe(200);
    expect(restored.body).toMatchObject({ configured: false, backup_exists: false, base_url: null });
  });

  it('installs the status line as the query asks, and refuses an unknown choice', async () => {
    const settings = claudePaths(env).settings;
    fs.mkdirSync(path.dirname(settings), { recursive: true });
    fs.writeFileSync(settings, JSON.stringify({ statusLine: { type: 'command', command: 'mine.sh' } }));
    expect((await call('POST', '/claude/config/proxy')).body.status_line).toBe('own');
    expect((await call('POST', '/claude/config/proxy?statusline=install')).body.status_line).toBe('proxy');
    expect((await call('POST', '/claude/config/proxy?statusline=skip')).body.status_line).toBe('own');
    const bad = await fetch(`${url}/claude/config/proxy?statusline=maybe`, { method: 'POST' });
    expect(bad.status).toBe(400);
  });

  it('answers Anthropic-shaped errors a person can act on', async () => {
    const nothing = await call('POST', '/claude/config/restore');
    expect(nothing.status).toBe(404);
    expect(nothing.body).toMatchObject({ type: 'error', error: { type: 'not_found_error' } });

    const settings = claudePaths(env).settings;
    fs.mkdirSync(path.dirname(settings), { recursive: true });
    fs.writeFileSync(settings, '{ not json');
    for (const [method, route] of [
      ['GET', '/claude/config'],
      ['POST', '/claude/config/proxy'],
    ] as const) {
      const broken = await call(method, route);
      expect(broken.status).toBe(400);
      expect(broken.body.error).toMatchObject({ type: 'invalid_request_error' });
      expect(broken.body.error.message).toContain(settings);
    }
    expect(fs.readFileSync(settings, 'utf8')).toBe('{ not json');

    fs.rmSync(settings);
    target = { ...target, contextWindow: Number.NaN };
    const invalid = await call('POST', '/claude/config/proxy');
    expect(invalid.status).toBe(500);
    expect(invalid.body.error.type).toBe('api_error');
  });

  it('reports file-system failures with their path', async () => {
    const settings = claudePaths(env).settings;
    fs.mkdirSync(settings, { recursive: true });
    const res = await call('POST', '/claude/config/proxy');
    expect(res.status).toBe(500);
    expect(res.body.error.type).toBe('api_error');
    expect(res.body.error.message).toContain(settings);
  });
});
