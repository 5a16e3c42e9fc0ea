// Decides where a requested model id goes: a Claude lane (resolved against the live catalog) or
// a Codex slug named directly. Shared by /v1/messages, count_tokens and the OpenAI front end.
import { ADVERTISED_CLAUDE_MODELS, resolveModelTarget, type Lane } from '../../../shared/models.js';
import type { ModelCatalog, ModelFacts } from '../models/catalog.js';
import type { Settings } from '../config/settings.js';
import type { ReasoningEffort } from '../../../shared/codex.js';
import type { UpstreamFailure } from '../upstream/failure.js';

export interface RoutedModel {
  /** The id the client asked for; responses report it back verbatim. */
  clientModel: string;
  lane?: Lane;
  slug: string;
  facts: ModelFacts;
  laneEffort?: ReasoningEffort;
}

export class ModelRouter {
  private readonly warnedFamilies = new Set<string>();

  constructor(
    private readonly catalog: ModelCatalog,
    private readonly settings: Settings,
    /** An unknown `claude-*` family, once per id. */
    private readonly warn: (family: string, msg: string) => void,
  ) {}

  route(model: string): RoutedModel | UpstreamFailure {
    const target = resolveModelTarget(model, this.catalog.slugs(), this.settings.families);
    if (!target) {
      const claude = ADVERTISED_CLAUDE_MODELS.map((m) => m.id).join(', ');
      const codex = [...this.catalog.slugs()].sort().join(', ');
      return {
        errorType: 'not_found_error',
        status: 404,
        message: `model: ${model} is not available through this proxy. Use a Claude model id (any claude-* id, e.g. ${claude}) or a Codex model slug (${codex}).`,
      };
    }
    if (target.kind === 'codex') {
      return { clientModel: model, slug: target.slug, facts: this.catalog.facts(target.slug) };
    }
    if (!target.known && !this.warnedFamilies.has(model)) {
      this.warnedFamilies.add(model);
      this.warn(model, `Unknown Claude model family "${model}": using the ${target.lane} lane.`);
    }
    const resolved = this.catalog.resolveLane(target.lane, this.settings.lanes[target.lane]);
    return {
      clientModel: model,
      lane: target.lane,
      slug: resolved.resolved,
      facts: resolved.facts,
      laneEffort: resolved.effort,
    };
  }
}

export function isFailure(x: RoutedModel | UpstreamFailure): x is UpstreamFailure {
  return 'errorType' in x;
}
