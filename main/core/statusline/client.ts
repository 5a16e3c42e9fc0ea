// Asks the running proxy for the status line's numbers, within a hard time budget: a status line
// that waits would hold up Claude Code's footer, so every failure becomes an answer of its own.
import http from 'node:http';
import https from 'node:https';
import type { StatusLineInfo } from '../../../shared/api.js';
import type { ProxyAnswer } from './format.js';
import type { StatusLineInput } from './input.js';

export interface ProxyLocation {
  /** The proxy's base URL (Claude Code's ANTHROPIC_BASE_URL). */
  baseUrl: string;
  /** ANTHROPIC_AUTH_TOKEN: the proxy's API key when it has one. */
  token?: string;
  timeoutMs: number;
}

const MAX_BODY = 64 * 1024;

function looksLikeInfo(value: unknown): value is StatusLineInfo {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return 'model' in v && 'account' in v && typeof v.pooled === 'object' && v.pooled !== null;
}

export function fetchStatusLineInfo(input: StatusLineInput, where: ProxyLocation): Promise<ProxyAnswer> {
  let url: URL;
  try {
    url = new URL(`${where.baseUrl.replace(/\/+$/, '')}/claude/statusline`);
  } catch {
    return Promise.resolve({ kind: 'error', where: where.baseUrl });
  }
  url.searchParams.set('session', input.sessionId);
  url.searchParams.set('model', input.modelId);
  const host = url.host;
  const get = url.protocol === 'https:' ? https.get : http.get;

  return new Promise<ProxyAnswer>((resolve) => {
    let settled = false;
    const finish = (answer: ProxyAnswer): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      resolve(answer);
    };
    // No keep-alive agent: the process must be free to exit the moment the line is printed.
    const req = get(
      url,
      { agent: false, headers: where.token ? { authorization: `Bearer ${where.token}` } : {} },
      (res) => {
        const status = res.statusCode ?? 0;
        if (status === 401 || status === 403) return finish({ kind: 'refused', where: host });
        if (status !== 200) return finish({ kind: 'error', where: host, status });
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_BODY) finish({ kind: 'error', where: host, status });
          else chunks.push(chunk);
        });
        res.on('end', () => {
          let body: unknown = null;
          try {
            body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
          } catch {
            // reported below
          }
          finish(looksLikeInfo(body) ? { kind: 'ok', info: body } : { kind: 'error', where: host, status });
        });
        res.on('error', () => finish({ kind: 'error', where: host, status }));
      },
    );
    req.on('error', () => finish({ kind: 'offline', where: host }));
    const timer = setTimeout(() => finish({ kind: 'timeout', where: host }), where.timeoutMs);
  });
}
