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

/**
 * Each lane's intent, on the models the backend offers today (0.171.0 catalog): opus is the most
 * capable model, sonnet the default coding model, haiku the fast and affordable one.
 */
export const DEFAULT_LANES: LaneMap = {
  opus: { model: 'gpt-6.2-astra' },
  sonnet: { model: 'gpt-6.2-sol' },
  haiku: { model: 'gpt-6-luna' },
};

/** Unknown `claude-*` families land here (with a one-time warning). */
export const DEFAULT_LANE: Lane = 'sonnet';

/**
 * Claude model families and the lane each takes: matched as a word of the id (`claude-fable-5-2`,
 * `claude-opus-5-5[1m]`). Families above opus take opus, the most capable lane. A new family is
 * one line here; a user may map a family elsewhere in config.json (`families`).
 */
export const CLAUDE_FAMILIES: Readonly<Record<string, Lane>> = {
  mythos: 'opus',
  fable: 'opus',
  opus: 'opus',
  sonnet: 'sonnet',
  haiku: 'haiku',
};

/**
 * When a lane's configured model is not offered to the account (or is retired), the first of
 * these that the catalog offers is used instead, each chain ending at gpt-5.5, the oldest model
 * every plan still has. Ordered in the lane's spirit: capability for opus, the default coding
 * model for sonnet, speed and price for haiku.
 */
export const LANE_FALLBACKS: Record<Lane, readonly string[]> = {
  opus: [
    'gpt-6.2-astra',
    'gpt-6-astra',
    'gpt-6.2-sol',
    'gpt-6.1-sol',
    'gpt-6.1-terra',
    'gpt-6-sol',
    'gpt-5.6-sol',
    'gpt-5.5',
  ],
  sonnet: ['gpt-6.2-sol', 'gpt-6.1-sol', 'gpt-6-sol', 'gpt-6.1-terra', 'gpt-5.6-sol', 'gpt-5.6-terra', 'gpt-5.5'],
  haiku: ['gpt-6-luna', 'gpt-5.6-luna', 'gpt-6.1-terra', 'gpt-5.6-terra', 'gpt-6.2-sol', 'gpt-5.5'],
};

/**
 * Slugs the backend no longer serves to ChatGPT accounts (openai/codex#26053, 2026-06): never
 * sent, whatever the configuration says; a lane naming one resolves like an unoffered model.
 */
export const RETIRED_CODEX_SLUGS: ReadonlySet<string> = new Set([
  'gpt-5.3-codex',
  'gpt-5.2-codex',
  'gpt-5.2',
  'gpt-5.1-codex-max',
  'gpt-5.1-codex-mini',
  'gpt-5.1-codex',
  'gpt-5-codex',
  'gpt-5-codex-mini',
]);

/**
 * Codex slugs a client may name directly. Extended at run time by the live catalog; this list
 * is the offline floor (the 0.171.0 catalog).
 */
export const KNOWN_CODEX_SLUGS: readonly string[] = [
  'gpt-6.2-sol',
  'gpt-6.2-astra',
  'gpt-6.1-terra',
  'gpt-6.1-sol',
  'gpt-6-astra',
  'gpt-6-sol',
  'gpt-6-luna',
  'gpt-5.6-sol',
  'gpt-5.6-terra',
  'gpt-5.6-luna',
  'gpt-5.5',
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

export type ModelTarget =
  { kind: 'lane'; lane: Lane; known: boolean; family?: string } | { kind: 'codex'; slug: string };

/** The family named by a `claude-*` id, as a word of it (`claude-fable-5-2` → `fable`). */
export function claudeFamilyOf(lowerId: string, families: Readonly<Record<string, Lane>>): string | undefined {
  const words = lowerId.split(/[-_.[\]]+/);
  return Object.keys(families).find((family) => words.includes(family));
}

/**
 * Decide where a requested model id goes. Claude ids go by family (dated ids and `[1m]` suffixes
 * work); an unknown `claude-*` family goes to the default lane with `known:false`. Returns null
 * for ids that are neither Claude ids nor Codex slugs. A retired slug is never a Codex target.
 */
export function resolveModelTarget(
  id: string,
  codexSlugs: ReadonlySet<string> | readonly string[] = KNOWN_CODEX_SLUGS,
  families: Readonly<Record<string, Lane>> = CLAUDE_FAMILIES,
): ModelTarget | null {
  const lower = id.trim().toLowerCase();
  const slugs = codexSlugs instanceof Set ? codexSlugs : new Set(codexSlugs as readonly string[]);
  if (slugs.has(lower) && !RETIRED_CODEX_SLUGS.has(lower)) return { kind: 'codex', slug: lower };
  if (!lower.startsWith('claude')) return null;
  const family = claudeFamilyOf(lower, families);
  if (family) return { kind: 'lane', lane: families[family], known: true, family };
  return { kind: 'lane', lane: DEFAULT_LANE, known: false };
}
