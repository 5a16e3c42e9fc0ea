// Models view logic: lane drafts, the choices offered per lane, and the PUT body.
import { REASONING_EFFORTS, type ReasoningEffort } from '../../../shared/codex.js';
import type { ModelsConfig, ModelsUpdate } from '../../../shared/api.js';
import { KNOWN_CODEX_SLUGS, LANES, type Lane, type LaneConfig } from '../../../shared/models.js';

export interface ModelChoice {
  slug: string;
  label: string;
}

/** One lane as edited in the form; `effort: ''` means "the client's request decides". */
export interface LaneDraft {
  model: string;
  effort: ReasoningEffort | '';
}

export type LaneDrafts = Record<Lane, LaneDraft>;

export function draftsFrom(config: ModelsConfig): LaneDrafts {
  const drafts = {} as LaneDrafts;
  for (const lane of LANES) drafts[lane] = { model: config.lanes[lane].model, effort: config.lanes[lane].effort ?? '' };
  return drafts;
}

/** The models a lane can pick: the live catalog, or the built-in list when the catalog is unknown. */
export function modelChoices(config: ModelsConfig): ModelChoice[] {
  if (config.available.length === 0) return KNOWN_CODEX_SLUGS.map((slug) => ({ slug, label: slug }));
  return config.available.map((m) => ({
    slug: m.slug,
    label: m.display_name && m.display_name !== m.slug ? `${m.display_name} (${m.slug})` : m.slug,
  }));
}

/**
 * Efforts the chosen model supports (every known effort when the catalog does not say), plus the
 * lane's current effort so a select never silently shows something else than what is saved.
 */
export function effortChoices(config: ModelsConfig, model: string, current: ReasoningEffort | '' = ''): readonly ReasoningEffort[] {
  const entry = config.available.find((m) => m.slug === model);
  const offered = !entry || entry.efforts.length === 0 ? REASONING_EFFORTS : REASONING_EFFORTS.filter((e) => entry.efforts.includes(e));
  return current === '' || offered.includes(current) ? offered : [...offered, current];
}

function laneConfig(draft: LaneDraft): LaneConfig {
  const model = draft.model.trim();
  return draft.effort === '' ? { model } : { model, effort: draft.effort };
}

function sameLane(a: LaneConfig, b: LaneConfig): boolean {
  return a.model === b.model && (a.effort ?? '') === (b.effort ?? '');
}

/** The PUT /api/models body: only lanes that differ from what the server has. Null when nothing changed. */
export function modelsUpdate(config: ModelsConfig, drafts: LaneDrafts): ModelsUpdate | null {
  const lanes: ModelsUpdate['lanes'] = {};
  for (const lane of LANES) {
    const next = laneConfig(drafts[lane]);
    if (!sameLane(next, config.lanes[lane])) lanes[lane] = next;
  }
  return Object.keys(lanes).length === 0 ? null : { lanes };
}

/** Lanes whose draft has an empty model name (cannot be saved). */
export function invalidLanes(drafts: LaneDrafts): Lane[] {
  return LANES.filter((lane) => drafts[lane].model.trim() === '');
}
