// `codex-claude-proxy doctor`. When our proxy answers on its port, the report is the running
// proxy's own (its identity, its catalog, its sentinel: what Claude Code actually talks to).
// Otherwise the checks run here, on a core built from the data dir and never started.
import type { DoctorReport } from '../../../shared/api.js';
import { LANES } from '../../../shared/models.js';
import { resolveHome } from '../config/paths.js';
import { Settings } from '../config/settings.js';
import { createCore, DEFAULT_PORT } from '../index.js';
import { formatReport } from './format.js';
import { probePort } from './probes.js';

export interface DoctorCommandOptions {
  env: NodeJS.ProcessEnv;
  port?: number;
  refresh: boolean;
  live: boolean;
  write(line: string): void;
  fetch?: typeof fetch;
}

export const LIVE_NOTICE = `Live check: one tiny streamed request per lane (${LANES.join(', ')}) through the real request path; this spends a little quota.`;

function configuredPort(env: NodeJS.ProcessEnv): number {
  if (env.PORT) return Number(env.PORT);
  const settings = new Settings(resolveHome(env));
  try {
    return settings.port ?? DEFAULT_PORT;
  } finally {
    settings.close();
  }
}

/** The running proxy's report, or why it could not be had (then the CLI runs the checks itself). */
async function fromServer(url: string, opts: DoctorCommandOptions): Promise<DoctorReport | string> {
  const doFetch = opts.fetch ?? fetch;
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
  if (opts.env.PROXY_API_KEY) headers['x-api-key'] = opts.env.PROXY_API_KEY;
  try {
    const res = await doFetch(`${url}/api/doctor`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ refresh: opts.refresh, live: opts.live }),
    });
    if (res.ok) return (await res.json()) as DoctorReport;
    const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
    const why = body?.error?.message ?? `HTTP ${res.status}`;
    return res.status === 401 ? `it asks for its API key (set PROXY_API_KEY): ${why}` : why;
  } catch (err) {
    return (err as Error).message;
  }
}

/** Prints the report and resolves it; the caller turns a failed check into the exit code. */
export async function doctorCommand(opts: DoctorCommandOptions): Promise<DoctorReport> {
  const port = opts.port ?? configuredPort(opts.env);
  const url = `http://127.0.0.1:${port}`;
  if (opts.live) opts.write(LIVE_NOTICE);
  const probe = await probePort(url);
  if (probe.kind === 'ours') {
    const report = await fromServer(url, opts);
    if (typeof report !== 'string') {
      for (const line of formatReport(report, `report of the running proxy at ${url}`)) opts.write(line);
      return report;
    }
    opts.write(
      `The running proxy at ${url} did not give its report (${report}); the checks run in this process instead.`,
    );
  }
  const core = await createCore({ env: opts.env, port, host: '127.0.0.1' });
  try {
    const report = await core.doctor({ upstream: true, refresh: opts.refresh, live: opts.live });
    const where =
      probe.kind === 'ours'
        ? `checks run by the CLI on ${core.home}`
        : `checks run by the CLI on ${core.home} (no proxy answers on ${url})`;
    for (const line of formatReport(report, where)) opts.write(line);
    return report;
  } finally {
    await core.close();
  }
}
