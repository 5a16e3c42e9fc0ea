// The usage view's data (GET /api/usage, /api/usage/rows) and the request inspector's captures
// (GET/PUT /api/capture, GET /api/captures/:id and its /export, DELETE /api/captures).
import Router from '@koa/router';
import type { Context } from 'koa';
import type { UsageBucket, UsageRange } from '../../../../shared/api.js';
import { isUsageBucket, isUsageRange, parseCaptureMode, type UsageLog } from '../../usage/index.js';
import { readJsonBody } from '../body.js';
import { ClientError } from '../../util/client-error.js';

function rangeOf(ctx: Context): { range: UsageRange; bucket?: UsageBucket } {
  const { range = '24h', bucket } = ctx.query;
  if (!isUsageRange(range)) throw new ClientError('invalid_request_error', 'range must be 1h, 24h or 7d.');
  if (bucket !== undefined && !isUsageBucket(bucket))
    throw new ClientError('invalid_request_error', 'bucket must be 5m, 1h or 1d.');
  return { range, bucket };
}

function captureOf(usage: UsageLog, ctx: Context) {
  const capture = usage.captures.get(String(ctx.params.id));
  if (!capture)
    throw new ClientError('not_found_error', 'No capture of that request (capture was off, or it was dropped).');
  return capture;
}

export function usageRouter(usage: UsageLog): Router {
  const router = new Router();

  router.get('/api/usage', (ctx) => {
    const { range, bucket } = rangeOf(ctx);
    ctx.body = usage.summary(range, bucket);
  });

  router.get('/api/usage/rows', (ctx) => {
    const { range, bucket } = rangeOf(ctx);
    ctx.body = { rows: usage.rows(range, bucket) };
  });

  router.get('/api/capture', (ctx) => {
    ctx.body = usage.captures.state();
  });

  router.put('/api/capture', async (ctx) => {
    const mode = parseCaptureMode(await readJsonBody(ctx, 4 * 1024));
    if ('error' in mode) throw new ClientError('invalid_request_error', mode.error);
    usage.captures.arm(mode);
    ctx.body = usage.captures.state();
  });

  router.delete('/api/captures', (ctx) => {
    usage.captures.clear();
    ctx.body = usage.captures.state();
  });

  router.get('/api/captures/:id', (ctx) => {
    ctx.body = captureOf(usage, ctx);
  });

  router.get('/api/captures/:id/export', (ctx) => {
    const capture = captureOf(usage, ctx);
    const name = `codex-claude-proxy-capture-${capture.id.replace(/[^A-Za-z0-9_-]/g, '_')}.json`;
    ctx.set('content-disposition', `attachment; filename="${name}"`);
    ctx.type = 'application/json';
    ctx.body = `${JSON.stringify({ exported_by: 'codex-claude-proxy', ...capture }, null, 2)}\n`;
  });

  return router;
}
