// The account's live model catalog (GET {backend}/codex/models) and how a lane resolves against it.
// The catalog moves over time; a lane whose configured model is no longer offered resolves to
// the closest offered model (LANE_FALLBACKS) instead of failing requests.
import { EventEmitter } from 'node:events';
import type { CodexModelInfo, ReasoningEffort } from '../../../shared/codex.js';
import { KNOWN_CODEX_SLUGS, LANE_FALLBACKS, type Lane, type LaneConfig } from '../../../shared/models.js';

export interface ModelFacts {
  slug: string;
  displayName: string;
  contextWindow: number | null;
  efforts: ReasoningEffort[];
  defaultEffort?: ReasoningEffort;
  parallelToolCalls: boolean;
  listed: boolean;
}

export interface ResolvedLane {
  configured: string;
  resolved: string;
  facts: ModelFacts;
  effort?: ReasoningEffort;
}

// Used until the live catalog arrives (or when it cannot be fetched): the published facts of the
// models our default lanes name (Dec 2025 catalog: 272k window, low…xhigh).
const OFFLINE_WINDOW = 272_000;
const OFFLINE_EFFORTS: ReasoningEffort[] = ['low', 'medium', 'high', 'xhigh'];

export function factsFromInfo(info: CodexModelInfo): ModelFacts {
  const efforts = (info.supported_reasoning_levels ?? [])
    .map((l) => (typeof l === 'string' ? l : l.effort))
    .filter((e): e is ReasoningEffort => typeof e === 'string');
  return {
    slug: info.slug,
    displayName: info.display_name ?? info.slug,
    contextWindow: info.context_window ?? null,
    efforts: efforts.length ? efforts : OFFLINE_EFFORTS,
    defaultEffort: info.default_reasoning_level as ReasoningEffort | undefined,
    parallelToolCalls: info.supports_parallel_tool_calls !== false,
    listed: info.visibility !== 'hide',
  };
}

function offlineFacts(slug: string): ModelFacts {
  return {
    slug,
    displayName: slug,
    contextWindow: OFFLINE_WINDOW,
    efforts: OFFLINE_EFFORTS,
    parallelToolCalls: true,
    listed: true,
  };
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
    private readonly opts: { refreshMs?: number; warn?: (msg: string) => void } = {},
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
    this.slugSet ??= new Set([...KNOWN_CODEX_SLUGS, ...this.models.keys()]);
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
    if (!this.loaded || this.models.has(config.model)) {
      return { ...base, resolved: config.model, facts: this.facts(config.model) };
    }
    const preferred = LANE_FALLBACKS[lane].find((slug) => this.models.get(slug)?.listed);
    const fallback = preferred ?? this.available()[0]?.slug ?? config.model;
    if (fallback !== config.model) {
      this.warnOnce(
        `lane:${lane}:${config.model}`,
        `The ${lane} lane's model "${config.model}" is not offered to this account; using "${fallback}" instead.`,
      );
    }
    return { ...base, resolved: fallback, facts: this.facts(fallback) };
  }

  private warnOnce(key: string, msg: string): void {
    if (this.warned.has(key)) return;
    this.warned.add(key);
    this.opts.warn?.(msg);
  }
}
