// Claude model ids → Codex model lanes. Pure data and pure functions: used by the core, the
// dashboard and the desktop tray alike.
import type { ReasoningEffort } from './codex.js';

export type Lane = 'opus' | 'sonnet' | 'haiku';
export const LANES: readonly Lane[] = ['opus', 'sonnet', 'haiku'];

export interface LaneConfig {
  /** Codex model slug this lane sends to. */
  model: string;
  /** Fixed reasoning effort for the lane; when absent the client's request decides. */
  effort?: ReasoningEffort;
}

export type LaneMap = Record<Lane, LaneConfig>;

export const DEFAULT_LANES: LaneMap = {
  opus: { model: 'gpt-5.3-codex' },
  sonnet: { model: 'gpt-5.2-codex' },
  haiku: { model: 'gpt-5.2' },
};

/** Unknown `claude-*` families land here (with a one-time warning). */
export const DEFAULT_LANE: Lane = 'sonnet';

/**
 * When a lane's configured model is not in the account's live catalog, the first of these that
 * the catalog offers is used instead (then any listed model). Ordered by capability, newest first,
 * per lane: opus prefers the strongest coding models, haiku the lightest.
 */
export const LANE_FALLBACKS: Record<Lane, readonly string[]> = {
  opus: [
    'gpt-6.1-sol',
    'gpt-6-sol',
    'gpt-5.6-sol',
    'gpt-6.1-terra',
    'gpt-5.6-terra',
    'gpt-5.5',
    'gpt-5.4',
    'gpt-5.3-codex',
    'gpt-5.2-codex',
  ],
  sonnet: [
    'gpt-6-sol',
    'gpt-6.1-sol',
    'gpt-5.6-sol',
    'gpt-5.6-terra',
    'gpt-5.5',
    'gpt-5.4',
    'gpt-5.3-codex',
    'gpt-5.2-codex',
  ],
  haiku: ['gpt-6-luna', 'gpt-5.6-luna', 'gpt-5.4-mini', 'gpt-5.5', 'gpt-5.2', 'gpt-5.1-codex-mini'],
};

/**
 * Codex slugs a client may name directly. Extended at run time by the live catalog; this list
 * is the offline floor (catalogs of Dec 2025 through 0.169.0).
 */
export const KNOWN_CODEX_SLUGS: readonly string[] = [
  'gpt-6-astra',
  'gpt-6.1-sol',
  'gpt-6.1-terra',
  'gpt-6-sol',
  'gpt-6-luna',
  'gpt-5.6-sol',
  'gpt-5.6-terra',
  'gpt-5.6-luna',
  'gpt-5.5',
  'gpt-5.4',
  'gpt-5.4-mini',
  'gpt-5.3-codex',
  'gpt-5.2-codex',
  'gpt-5.2',
  'gpt-5.1-codex-max',
  'gpt-5.1-codex',
  'gpt-5.1-codex-mini',
  'gpt-5-codex',
];

/** Claude ids advertised by GET /v1/models (newest first). Any other `claude-*` id is accepted too. */
export const ADVERTISED_CLAUDE_MODELS: ReadonlyArray<{ id: string; display_name: string; created_at: string }> = [
  { id: 'claude-opus-5-5', display_name: 'Claude Opus 5.5', created_at: '2026-09-01T00:00:00Z' },
  { id: 'claude-sonnet-5-5', display_name: 'Claude Sonnet 5.5', created_at: '2026-09-01T00:00:00Z' },
  { id: 'claude-haiku-5-5', display_name: 'Claude Haiku 5.5', created_at: '2026-09-01T00:00:00Z' },
  { id: 'claude-opus-4-5-20251101', display_name: 'Claude Opus 4.5', created_at: '2025-11-01T00:00:00Z' },
  { id: 'claude-sonnet-4-5-20250929', display_name: 'Claude Sonnet 4.5', created_at: '2025-09-29T00:00:00Z' },
  { id: 'claude-haiku-4-5-20251001', display_name: 'Claude Haiku 4.5', created_at: '2025-10-01T00:00:00Z' },
];

export type ModelTarget = { kind: 'lane'; lane: Lane; known: boolean } | { kind: 'codex'; slug: string };

/**
 * Decide where a requested model id goes. Claude ids go by family (opus/sonnet/haiku anywhere in
 * the id, so dated ids and `[1m]` suffixes work); an unknown `claude-*` family goes to the default
 * lane with `known:false`. Returns null for ids that are neither Claude ids nor Codex slugs.
 */
export function resolveModelTarget(
  id: string,
  codexSlugs: ReadonlySet<string> | readonly string[] = KNOWN_CODEX_SLUGS,
): ModelTarget | null {
  const lower = id.trim().toLowerCase();
  const slugs = codexSlugs instanceof Set ? codexSlugs : new Set(codexSlugs as readonly string[]);
  if (slugs.has(lower)) return { kind: 'codex', slug: lower };
  if (!lower.startsWith('claude')) return null;
  for (const lane of LANES) {
    if (new RegExp(`(^|[-_.])${lane}([-_.\\[]|$)`).test(lower)) return { kind: 'lane', lane, known: true };
  }
  return { kind: 'lane', lane: DEFAULT_LANE, known: false };
}
