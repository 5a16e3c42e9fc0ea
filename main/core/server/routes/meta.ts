// Health, the Anthropic model list, and Claude Code's side traffic (which must never fail loudly).
import Router from '@koa/router';
import { ADVERTISED_CLAUDE_MODELS } from '../../../../shared/models.js';
import type { HealthResponse } from '../../../../shared/api.js';
import type { AccountPool } from '../../accounts/types.js';
import type { ModelCatalog } from '../../models/catalog.js';
import { laneResolution } from '../../models/lanes.js';
import type { Settings } from '../../config/settings.js';
import type { UpstreamIdentity } from '../../upstream/identity.js';
import type { CompatFinding, IdentityInfo } from '../../../../shared/api.js';

export interface MetaRouteDeps {
  version: string;
  startedAt: number;
  pool: AccountPool;
  catalog: ModelCatalog;
  settings: Settings;
  secretStore: () => 'keychain' | 'file';
  warnings: () => string[];
  identity: () => UpstreamIdentity;
  compatibility: () => CompatFinding[];
}

export function identityInfo(identity: UpstreamIdentity): IdentityInfo {
  return {
    originator: identity.originator,
    client_version: identity.clientVersion,
    user_agent: identity.userAgent,
    sources: {
      originator: identity.sources.originator,
      client_version: identity.sources.clientVersion,
      user_agent_product: identity.sources.userAgentProduct,
    },
  };
}


export function metaRouter(deps: MetaRouteDeps): Router {
  const router = new Router();

  router.get('/health', (ctx) => {
    const models = laneResolution(deps.catalog, deps.settings);
    const body: HealthResponse = {
      status: 'ok',
      version: deps.version,
      accounts: deps.pool.counts(),
      uptime_s: Math.round((Date.now() - deps.startedAt) / 1000),
      secret_store: deps.secretStore(),
      warnings: deps.warnings(),
      models,
      identity: identityInfo(deps.identity()),
      compatibility: deps.compatibility(),
    };
    ctx.body = body;
  });

  router.get('/v1/models', (ctx) => {
    const limit = Math.min(1000, Math.max(1, Number(ctx.query.limit) || 20));
    const all = ADVERTISED_CLAUDE_MODELS.map((m) => ({ type: 'model' as const, ...m }));
    const afterId = typeof ctx.query.after_id === 'string' ? ctx.query.after_id : undefined;
    const start = afterId ? all.findIndex((m) => m.id === afterId) + 1 : 0;
    const data = all.slice(start, start + limit);
    ctx.body = {
      data,
      has_more: start + limit < all.length,
      first_id: data[0]?.id ?? null,
      last_id: data.at(-1)?.id ?? null,
    };
  });

  router.get('/v1/models/:id', (ctx) => {
    const model = ADVERTISED_CLAUDE_MODELS.find((m) => m.id === ctx.params.id);
    if (model) ctx.body = { type: 'model', ...model };
    else if (ctx.params.id.startsWith('claude-')) {
      ctx.body = { type: 'model', id: ctx.params.id, display_name: ctx.params.id, created_at: '2026-01-01T00:00:00Z' };
    }
  });

  // Claude Code's telemetry batches: accepted and dropped, nothing leaves this machine.
  router.post('/api/event_logging/batch', (ctx) => {
    ctx.req.resume();
    ctx.body = {};
  });

  return router;
}
