// The fake backend's model catalog, modelled on what the Codex CLI 0.171.0 release lists
// (2026-11): slugs, windows, effort levels, tiers, minimal client versions and plans as facts;
// the descriptions are ours. Retired slugs (gpt-5.2, gpt-5.2-codex, gpt-5.3-codex and older) are
// absent, so the backend answers them 400 like the real one.
import type { CodexModelInfo } from '../../shared/codex.js';

const EFFORT_TEXT: Record<string, string> = {
  low: 'Light reasoning',
  medium: 'Everyday depth',
  high: 'More depth for hard problems',
  xhigh: 'Extra depth',
  max: 'Maximum reasoning depth',
  ultra: 'Maximum reasoning with automatic task delegation',
};

const TO_MAX = ['low', 'medium', 'high', 'xhigh', 'max'];
const TO_ULTRA = [...TO_MAX, 'ultra'];
const TO_XHIGH = ['low', 'medium', 'high', 'xhigh'];

/** Paid plans that see every listed model; free plans do not see the 6.2 generation. */
const PAID = ['plus', 'pro', 'prolite', 'team', 'business', 'enterprise', 'edu', 'go'];
const WITH_FREE = [...PAID, 'free', 'free_workspace'];

interface Spec {
  slug: string;
  display: string;
  description: string;
  priority: number;
  window: number;
  efforts: string[];
  defaultEffort: string;
  minVersion: string;
  plans: string[];
  fast?: string;
  hidden?: boolean;
}

function info(s: Spec): CodexModelInfo {
  return {
    slug: s.slug,
    display_name: s.display,
    description: s.description,
    visibility: s.hidden ? 'hide' : 'list',
    priority: s.priority,
    context_window: s.window,
    max_context_window: Math.max(s.window, 872_000),
    auto_compact_token_limit: null,
    default_reasoning_level: s.defaultEffort,
    supported_reasoning_levels: s.efforts.map((effort) => ({ effort, description: EFFORT_TEXT[effort] })),
    input_modalities: ['text', 'image'],
    supports_parallel_tool_calls: true,
    supports_reasoning_summary_parameter: true,
    service_tiers: s.fast ? [{ id: 'priority', name: 'Fast', description: s.fast }] : [],
    minimal_client_version: s.minVersion,
    available_in_plans: s.plans,
  };
}

const FAST2 = '2x speed, more usage';
const FAST15 = '1.5x speed, more usage';

/** The 0.171.0 catalog as the backend serves it to a client that sends `client_version=0.171.0`. */
export const CATALOG_0_171: readonly CodexModelInfo[] = [
  {
    slug: 'gpt-6.2-sol',
    display: 'GPT-6.2-Sol',
    description: 'Default coding model, fast.',
    priority: 1,
    window: 500_000,
    efforts: TO_ULTRA,
    defaultEffort: 'low',
    minVersion: '0.166.0',
    plans: PAID,
    fast: FAST2,
  },
  {
    slug: 'gpt-6.2-astra',
    display: 'GPT-6.2-Astra',
    description: 'The most capable model.',
    priority: 2,
    window: 272_000,
    efforts: TO_ULTRA,
    defaultEffort: 'low',
    minVersion: '0.166.0',
    plans: PAID,
    fast: FAST2,
  },
  {
    slug: 'gpt-6.1-terra',
    display: 'GPT-6.1-Terra',
    description: 'Efficient, strong on images.',
    priority: 3,
    window: 500_000,
    efforts: TO_ULTRA,
    defaultEffort: 'low',
    minVersion: '0.153.0',
    plans: WITH_FREE,
    fast: FAST15,
  },
  {
    slug: 'gpt-6.1-sol',
    display: 'GPT-6.1-Sol',
    description: 'Previous coding model.',
    priority: 4,
    window: 500_000,
    efforts: TO_ULTRA,
    defaultEffort: 'low',
    minVersion: '0.153.0',
    plans: WITH_FREE,
    fast: FAST2,
  },
  {
    slug: 'gpt-6-astra',
    display: 'GPT-6-Astra',
    description: 'Previous most capable model.',
    priority: 5,
    window: 272_000,
    efforts: TO_ULTRA,
    defaultEffort: 'low',
    minVersion: '0.153.0',
    plans: WITH_FREE,
    fast: FAST2,
  },
  {
    slug: 'gpt-6-sol',
    display: 'GPT-6-Sol',
    description: 'Legacy coding model.',
    priority: 6,
    window: 272_000,
    efforts: TO_ULTRA,
    defaultEffort: 'medium',
    minVersion: '0.155.0',
    plans: WITH_FREE,
    fast: FAST15,
  },
  {
    slug: 'gpt-6-luna',
    display: 'GPT-6-Luna',
    description: 'Fast and affordable.',
    priority: 7,
    window: 272_000,
    efforts: TO_MAX,
    defaultEffort: 'medium',
    minVersion: '0.155.0',
    plans: WITH_FREE,
    fast: FAST15,
  },
  {
    slug: 'gpt-5.6-sol',
    display: 'GPT-5.6-Sol',
    description: 'Legacy coding model.',
    priority: 8,
    window: 272_000,
    efforts: TO_ULTRA,
    defaultEffort: 'low',
    minVersion: '0.144.0',
    plans: WITH_FREE,
    fast: FAST15,
  },
  {
    slug: 'gpt-5.6-terra',
    display: 'GPT-5.6-Terra',
    description: 'Legacy balanced model.',
    priority: 9,
    window: 272_000,
    efforts: TO_ULTRA,
    defaultEffort: 'medium',
    minVersion: '0.144.0',
    plans: WITH_FREE,
    fast: FAST15,
  },
  {
    slug: 'gpt-5.6-luna',
    display: 'GPT-5.6-Luna',
    description: 'Legacy fast model.',
    priority: 10,
    window: 272_000,
    efforts: TO_MAX,
    defaultEffort: 'medium',
    minVersion: '0.144.0',
    plans: WITH_FREE,
    fast: FAST15,
  },
  {
    slug: 'gpt-5.5',
    display: 'GPT-5.5',
    description: 'Legacy coding model.',
    priority: 13,
    window: 272_000,
    efforts: TO_XHIGH,
    defaultEffort: 'medium',
    minVersion: '0.124.0',
    plans: WITH_FREE,
    fast: FAST15,
  },
  {
    slug: 'codex-auto-review',
    display: 'Codex Auto Review',
    description: 'Approval review model.',
    priority: 43,
    window: 272_000,
    efforts: TO_MAX,
    defaultEffort: 'medium',
    minVersion: '0.98.0',
    plans: PAID,
    fast: FAST15,
    hidden: true,
  },
].map(info);

/** Slugs the backend retired (2026-06); it answers them 400 "not supported". */
export const RETIRED_SLUGS = [
  'gpt-5.3-codex',
  'gpt-5.2-codex',
  'gpt-5.2',
  'gpt-5.1-codex-max',
  'gpt-5.1-codex',
  'gpt-5.1-codex-mini',
  'gpt-5-codex',
];

function versionParts(v: string): number[] {
  return v.split('.').map((p) => Number.parseInt(p, 10) || 0);
}

/** Semver-ish compare of `a` and `b`: negative, zero or positive. */
export function compareVersions(a: string, b: string): number {
  const [x, y] = [versionParts(a), versionParts(b)];
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * What `GET /codex/models?client_version=X` lists: models whose minimal client version is above X
 * are hidden, and a client that names no version is treated as the oldest.
 */
export function catalogFor(
  models: readonly CodexModelInfo[],
  clientVersion: string | null,
  plan: string,
): CodexModelInfo[] {
  return models.filter(
    (m) =>
      compareVersions(m.minimal_client_version ?? '0.0.0', clientVersion ?? '0.0.0') <= 0 &&
      (!m.available_in_plans || m.available_in_plans.includes(plan)),
  );
}
