// GET/PUT /api/models: the Claude → Codex lane map, editable at run time.
import Router from '@koa/router';
import type { ModelsConfig, ModelsUpdate } from '../../../../shared/api.js';
import type { ModelCatalog } from '../../models/catalog.js';
import type { Settings } from '../../config/settings.js';
import { readJsonBody } from '../body.js';
import { HttpError } from '../http-error.js';
import { laneResolution } from './meta.js';

export function modelsConfigRouter(deps: { catalog: ModelCatalog; settings: Settings }): Router {
  const router = new Router();
  const snapshot = (): ModelsConfig => ({
    lanes: deps.settings.lanes,
    available: deps.catalog.available().map((m) => ({
      slug: m.slug,
      display_name: m.displayName,
      context_window: m.contextWindow,
      efforts: m.efforts,
    })),
    resolved: laneResolution(deps.catalog, deps.settings),
  });

  router.get('/api/models', (ctx) => {
    ctx.body = snapshot();
  });

  router.put('/api/models', async (ctx) => {
    const body = (await readJsonBody(ctx, 64 * 1024)) as Partial<ModelsUpdate> | null;
    if (!body || typeof body !== 'object' || !body.lanes || typeof body.lanes !== 'object') {
      throw new HttpError('invalid_request_error', 'Send {"lanes": {"opus": {"model": "…", "effort": "…"}, …}}.');
    }
    try {
      deps.settings.setLanes(body.lanes);
    } catch (err) {
      throw new HttpError('invalid_request_error', (err as Error).message);
    }
    ctx.body = snapshot();
  });

  return router;
}
