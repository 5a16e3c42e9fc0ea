// How each lane resolves against the live catalog right now: what /health, the model settings
// and "Configure Claude Code" (its compaction window) report.
import { LANES, type Lane } from '../../../shared/models.js';
import type { Settings } from '../config/settings.js';
import type { ModelCatalog } from './catalog.js';

export function laneResolution(
  catalog: ModelCatalog,
  settings: Settings,
): Record<Lane, { configured: string; resolved: string; context_window: number | null }> {
  const lanes = settings.lanes;
  const out = {} as Record<Lane, { configured: string; resolved: string; context_window: number | null }>;
  for (const lane of LANES) {
    const r = catalog.resolveLane(lane, lanes[lane]);
    out[lane] = { configured: r.configured, resolved: r.resolved, context_window: r.facts.contextWindow };
  }
  return out;
}
