// The doctor's looks at the machine: the data dir on disk and whatever listens on the proxy's port.
import { constants } from 'node:fs';
import fs from 'node:fs/promises';
import http from 'node:http';
import type { HealthResponse } from '../../../shared/api.js';
import type { DataDirFacts, PortFacts } from './checks.js';

export async function dataDirFacts(dir: string): Promise<DataDirFacts> {
  const stat = await fs.stat(dir).catch(() => null);
  if (!stat) return { path: dir, exists: false, isDirectory: false, writable: false, mode: null };
  const writable = await fs.access(dir, constants.W_OK | constants.X_OK).then(
    () => true,
    () => false,
  );
  return {
    path: dir,
    exists: true,
    isDirectory: stat.isDirectory(),
    writable,
    mode: process.platform === 'win32' ? null : stat.mode,
  };
}

/** An answer of /health as our server gives it. */
export function isOurHealth(body: unknown): body is HealthResponse {
  const b = body as Partial<HealthResponse> | null;
  return !!b && b.status === 'ok' && typeof b.version === 'string' && typeof b.accounts?.total === 'number';
}

const PROBE_TIMEOUT_MS = 3_000;
const MAX_BODY = 64 * 1024;

/** GET /health on a connection of its own, closed whatever answers (another program may hold the port). */
function getHealth(url: string): Promise<{ status: number; server?: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get(`${url}/health`, { agent: false, timeout: PROBE_TIMEOUT_MS }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        if (body.length < MAX_BODY) body += chunk;
      });
      const server = res.headers.server;
      res.once('end', () =>
        resolve({ status: res.statusCode ?? 0, server: typeof server === 'string' ? server : undefined, body }),
      );
      res.once('error', reject);
    });
    req.once('timeout', () => req.destroy(new Error(`no HTTP answer within ${PROBE_TIMEOUT_MS / 1000} s`)));
    req.once('error', reject);
  });
}

/** Who answers on `url`: one of ours (by its /health), another program, or nobody. */
export async function probePort(url: string): Promise<PortFacts> {
  let answer: Awaited<ReturnType<typeof getHealth>>;
  try {
    answer = await getHealth(url);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'ECONNREFUSED') return { kind: 'free', url };
    return {
      kind: 'other',
      url,
      detail: e.code === 'HPE_INVALID_CONSTANT' ? 'it does not speak HTTP' : (e.code ?? e.message),
    };
  }
  let body: unknown = null;
  try {
    body = JSON.parse(answer.body);
  } catch {
    // not JSON: not ours
  }
  if (answer.status === 200 && isOurHealth(body)) return { kind: 'ours', url, version: body.version };
  const from = answer.server ? ` from ${answer.server}` : '';
  return { kind: 'other', url, detail: `its /health answered HTTP ${answer.status}${from}` };
}
