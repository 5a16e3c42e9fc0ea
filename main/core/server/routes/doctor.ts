// The doctor's report over HTTP. GET only reads (this process's state, the disk): a web page can
// make a browser send a GET, so a GET never calls the backend, refreshes a token or spends quota.
// POST runs the same checks with the backend's model list and usage call, and on request a token
// refresh and one live request per lane.
import Router from '@koa/router';
import type { Context } from 'koa';
import type { DoctorReport, DoctorRequest } from '../../../../shared/api.js';
import type { DoctorOptions } from '../../doctor/run.js';
import { readJsonBody } from '../body.js';
import { ClientError } from '../../util/client-error.js';

const BODY_LIMIT = 4 * 1024;

const invalid = (message: string): ClientError => new ClientError('invalid_request_error', message);

/** `{}` when there is no body; otherwise a JSON object whose `refresh` and `live` are booleans. */
async function doctorRequest(ctx: Context): Promise<DoctorRequest> {
  const hasBody = ctx.request.length > 0 || ctx.get('transfer-encoding') !== '';
  const body: unknown = hasBody ? await readJsonBody(ctx, BODY_LIMIT) : {};
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw invalid('Request body must be a JSON object.');
  const out: DoctorRequest = {};
  for (const key of ['refresh', 'live'] as const) {
    const value = (body as Record<string, unknown>)[key];
    if (value === undefined) continue;
    if (typeof value !== 'boolean') throw invalid(`"${key}" must be true or false.`);
    out[key] = value;
  }
  return out;
}

export function doctorRouter(run: (opts: DoctorOptions) => Promise<DoctorReport>): Router {
  const router = new Router();

  router.get('/api/doctor', async (ctx) => {
    if (ctx.query.refresh !== undefined || ctx.query.live !== undefined)
      throw invalid(
        'GET /api/doctor only reads; to refresh tokens or send live requests, POST /api/doctor {"refresh":true,"live":true}.',
      );
    ctx.body = await run({ upstream: false, refresh: false, live: false });
  });

  router.post('/api/doctor', async (ctx) => {
    const asked = await doctorRequest(ctx);
    ctx.body = await run({ upstream: true, refresh: asked.refresh ?? false, live: asked.live ?? false });
  });

  return router;
}
