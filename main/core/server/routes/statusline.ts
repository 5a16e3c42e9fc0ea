// GET /claude/statusline: the numbers behind Claude Code's status line (main/core/statusline/).
// Protected like every /claude route: loopback only, and the API key when one is set.
import Router from '@koa/router';
import { statusLineInfo, type StatusLineSources } from '../../statusline/info.js';

export function statusLineRouter(sources: StatusLineSources): Router {
  const router = new Router();
  router.get('/claude/statusline', async (ctx) => {
    const text = (value: unknown): string => (typeof value === 'string' ? value.slice(0, 200) : '');
    ctx.body = await statusLineInfo(sources, { model: text(ctx.query.model), session: text(ctx.query.session) });
  });
  return router;
}
