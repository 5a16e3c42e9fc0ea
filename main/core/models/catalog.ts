// The account's live model catalog (GET {backend}/codex/models) and how a lane resolves against it.
// The catalog moves over time; a lane whose configured model is no longer offered resolves to
// the closest offered model (LANE_FALLBACKS, then the catalog's own descriptions) instead of
// failing requests, and a retired model is never sent at all.
import { EventEmitter } from 'node:events';
import type { CodexModelInfo, ReasoningEffort } from '../../../shared/codex.js';
import {
  KNOWN_CODEX_SLUGS,
  LANE_FALLBACKS,
  RETIRED_CODEX_SLUGS,
  type Lane,
  type LaneConfig,
} from '../../../shared/models.js';

export interface ModelFacts {
  slug: string;
  displayName: string;
  contextWindow: number | null;
  efforts: ReasoningEffort[];
  defaultEffort?: ReasoningEffort;
  parallelToolCalls: boolean;
  listed: boolean;
  /** `service_tier` values the model accepts (`priority` is "Fast"). */
  serviceTiers: string[];
  description?: string;
  /** The backend's own order (1 is its default model). */
  priority?: number;
}

export interface ResolvedLane {
  configured: string;
  resolved: string;
  facts: ModelFacts;
  effort?: ReasoningEffort;
}

// Used until the live catalog arrives (or when it cannot be fetched): the published facts of the
// current models (0.171.0 catalog), so that no effort or tier goes out that the model refuses.
const TO_XHIGH: ReasoningEffort[] = ['low', 'medium', 'high', 'xhigh'];
const TO_MAX: ReasoningEffort[] = [...TO_XHIGH, 'max'];
const TO_ULTRA: ReasoningEffort[] = [...TO_MAX, 'ultra'];
const OFFLINE: Record<string, { window: number; efforts: ReasoningEffort[] }> = {
  'gpt-6.2-sol': { window: 500_000, efforts: TO_ULTRA },
  'gpt-6.2-astra': { window: 272_000, efforts: TO_ULTRA },
  'gpt-6.1-terra': { window: 500_000, efforts: TO_ULTRA },
  'gpt-6.1-sol': { window: 500_000, efforts: TO_ULTRA },
  'gpt-6-astra': { window: 272_000, efforts: TO_ULTRA },
  'gpt-6-sol': { window: 272_000, efforts: TO_ULTRA },
  'gpt-6-luna': { window: 272_000, efforts: TO_MAX },
  'gpt-5.6-sol': { window: 272_000, efforts: TO_ULTRA },
  'gpt-5.6-terra': { window: 272_000, efforts: TO_ULTRA },
  'gpt-5.6-luna': { window: 272_000, efforts: TO_MAX },
  'gpt-5.5': { window: 272_000, efforts: TO_XHIGH },
};
/** For a model we know nothing about: the window and levels every current model has. */
const UNKNOWN = { window: 272_000, efforts: TO_XHIGH };

export function factsFromInfo(info: CodexModelInfo): ModelFacts {
  const efforts = (info.supported_reasoning_levels ?? [])
    .map((l) => (typeof l === 'string' ? l : l.effort))
    .filter((e): e is ReasoningEffort => typeof e === 'string');
  return {
    slug: info.slug,
    displayName: info.display_name ?? info.slug,
    contextWindow: info.context_window ?? null,
    efforts: efforts.length ? efforts : (OFFLINE[info.slug] ?? UNKNOWN).efforts,
    defaultEffort: info.default_reasoning_level as ReasoningEffort | undefined,
    parallelToolCalls: info.supports_parallel_tool_calls !== false,
    listed: info.visibility !== 'hide',
    serviceTiers: (info.service_tiers ?? []).map((t) => t.id).filter((id) => typeof id === 'string'),
    description: info.description,
    priority: info.priority,
  };
}

function offlineFacts(slug: string): ModelFacts {
  const known = OFFLINE[slug];
  return {
    slug,
    displayName: slug,
    contextWindow: (known ?? UNKNOWN).window,
    efforts: (known ?? UNKNOWN).efforts,
    parallelToolCalls: true,
    listed: true,
    // Every current model lists the priority tier; an unknown one gets none rather than a 400.
    serviceTiers: known ? ['priority'] : [],
  };
}

/**
 * The closest offered model in a lane's spirit when none of its fallbacks is offered: the
 * backend's own descriptions say which model is "most capable" and which "fast and affordable";
 * its priority 1 is the default coding model.
 */
function bestInSpirit(lane: Lane, offered: ModelFacts[]): ModelFacts | undefined {
  const byPriority = [...offered].sort((a, b) => (a.priority ?? 1e9) - (b.priority ?? 1e9));
  const described = (re: RegExp) => byPriority.find((m) => re.test(m.description ?? ''));
  if (lane === 'opus') return described(/most capable/i) ?? byPriority[0];
  if (lane === 'haiku') return described(/fast and affordable|affordable|lightweight/i) ?? byPriority.at(-1);
  return byPriority[0];
}

export type CatalogFetcher = () => Promise<CodexModelInfo[] | null>;

export class ModelCatalog extends EventEmitter {
  private models = new Map<string, ModelFacts>();
  private fetchedAt = 0;
  private slugSet: Set<string> | null = null;
  private inflight: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private readonly warned = new Set<string>();

  constructor(
    private readonly fetcher: CatalogFetcher,
    private readonly opts: { refreshMs?: number; warn?: (msg: string, kind?: string) => void } = {},
  ) {
    super();
  }

  /** Start background refreshes (first one immediately, without blocking). */
  start(): void {
    void this.refresh();
    const every = this.opts.refreshMs ?? 15 * 60_000;
    this.timer = setInterval(() => void this.refresh(), every);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  get loaded(): boolean {
    return this.fetchedAt > 0;
  }

  refresh(): Promise<void> {
    this.inflight ??= this.fetcher()
      .then((list) => {
        if (!list?.length) return;
        this.models = new Map(list.map((m) => [m.slug, factsFromInfo(m)]));
        this.slugSet = null;
        this.fetchedAt = Date.now();
        this.emit('change');
      })
      .catch((err: unknown) =>
        this.warnOnce('catalog-fetch', `Could not fetch the Codex model catalog: ${String(err)}`),
      )
      .finally(() => {
        this.inflight = null;
      });
    return this.inflight;
  }

  /** Slugs a client may name directly: the live catalog plus the offline list. */
  slugs(): ReadonlySet<string> {
    // Every request routes through this; rebuilt only when the catalog changes.
    this.slugSet ??= new Set(
      [...KNOWN_CODEX_SLUGS, ...this.models.keys()].filter((slug) => !RETIRED_CODEX_SLUGS.has(slug)),
    );
    return this.slugSet;
  }

  available(): ModelFacts[] {
    return [...this.models.values()].filter((m) => m.listed);
  }

  facts(slug: string): ModelFacts {
    return this.models.get(slug) ?? offlineFacts(slug);
  }

  resolveLane(lane: Lane, config: LaneConfig): ResolvedLane {
    const base = { configured: config.model, effort: config.effort };
    const retired = RETIRED_CODEX_SLUGS.has(config.model);
    if (!retired && (!this.loaded || this.models.get(config.model)?.listed)) {
      return { ...base, resolved: config.model, facts: this.facts(config.model) };
    }
    const offered = (slug: string) =>
      !RETIRED_CODEX_SLUGS.has(slug) && (this.loaded ? this.models.get(slug)?.listed : true);
    const fallback =
      LANE_FALLBACKS[lane].find(offered) ??
      bestInSpirit(
        lane,
        this.available().filter((m) => !RETIRED_CODEX_SLUGS.has(m.slug)),
      )?.slug ??
      LANE_FALLBACKS[lane].at(-1) ??
      config.model;
    const why = retired ? 'was retired by OpenAI' : 'is not offered to this account';
    this.warnOnce(
      `lane:${lane}:${config.model}`,
      `The ${lane} lane's model "${config.model}" ${why}; using "${fallback}" instead.`,
      'lane_model_missing',
    );
    return { ...base, resolved: fallback, facts: this.facts(fallback) };
  }

  private warnOnce(key: string, msg: string, kind?: string): void {
    if (this.warned.has(key)) return;
    this.warned.add(key);
    this.opts.warn?.(msg, kind);
  }
}
