// GET/PUT /api/models: the Claude → Codex lane map, editable at run time; GET/PUT
// /api/openrouter: the optional OpenRouter Haiku lane (its key lives in the secret store).
import Router from '@koa/router';
import type { ModelsConfig, ModelsUpdate, OpenRouterConfig, OpenRouterUpdate } from '../../../../shared/api.js';
import { OPENROUTER_MODEL_CHOICES } from '../../../../shared/openrouter.js';
import type { ModelCatalog } from '../../models/catalog.js';
import type { Settings } from '../../config/settings.js';
import { readJsonBody } from '../body.js';
import { ClientError } from '../../util/client-error.js';
import { laneResolution } from '../../models/lanes.js';

export interface ModelsConfigDeps {
  catalog: ModelCatalog;
  settings: Settings;
  openRouterKey: { get(): Promise<string | null>; set(key: string | null): Promise<void> };
}

export function modelsConfigRouter(deps: ModelsConfigDeps): Router {
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
      throw new ClientError('invalid_request_error', 'Send {"lanes": {"opus": {"model": "…", "effort": "…"}, …}}.');
    }
    try {
      deps.settings.setLanes(body.lanes);
    } catch (err) {
      throw new ClientError('invalid_request_error', (err as Error).message);
    }
    ctx.body = snapshot();
  });

  const openRouterState = async (): Promise<OpenRouterConfig> => ({
    ...deps.settings.openrouter,
    has_key: (await deps.openRouterKey.get()) !== null,
    choices: [...OPENROUTER_MODEL_CHOICES],
  });

  router.get('/api/openrouter', async (ctx) => {
    ctx.body = await openRouterState();
  });

  router.put('/api/openrouter', async (ctx) => {
    const body = (await readJsonBody(ctx, 16 * 1024)) as Partial<OpenRouterUpdate> | null;
    if (!body || typeof body !== 'object') {
      throw new ClientError(
        'invalid_request_error',
        'Send {"enabled": true, "model": "vendor/model", "key": "sk-or-…"} (every field optional).',
      );
    }
    if (body.key !== undefined && body.key !== null && (typeof body.key !== 'string' || !body.key.trim())) {
      throw new ClientError('invalid_request_error', 'key must be a non-empty string, or null to delete the stored key.');
    }
    try {
      const { enabled, model } = body;
      deps.settings.setOpenRouter({
        ...(enabled !== undefined ? { enabled } : {}),
        ...(model !== undefined ? { model } : {}),
      });
    } catch (err) {
      throw new ClientError('invalid_request_error', (err as Error).message);
    }
    if (body.key !== undefined) await deps.openRouterKey.set(body.key === null ? null : body.key.trim());
    ctx.body = await openRouterState();
  });

  return router;
}
