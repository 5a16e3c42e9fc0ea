// Claude's thinking settings → Codex reasoning effort, clamped to what the model supports.
// Claude's scale is low…xhigh, max; Codex adds `ultra` ("maximum reasoning with automatic task
// delegation", which spends more) above `max` ("maximum reasoning depth"). Claude's max is Codex's
// max; ultra is sent only when a lane is set to it explicitly.
import type { MessagesRequest } from '../../../shared/anthropic.js';
import { isReasoningEffort, REASONING_EFFORTS, type ReasoningEffort } from '../../../shared/codex.js';

const ADAPTIVE_DEFAULT: ReasoningEffort = 'medium';
/** What a client may ask for (Anthropic's `output_config.effort`). */
const CLIENT_EFFORTS: readonly ReasoningEffort[] = ['low', 'medium', 'high', 'xhigh', 'max'];

function asEffort(value: unknown): ReasoningEffort | undefined {
  return isReasoningEffort(value) ? value : undefined;
}

function rank(effort: ReasoningEffort): number {
  return REASONING_EFFORTS.indexOf(effort);
}

/** The model's levels we know how to send, weakest first. */
function supportedLevels(supported: readonly string[] | undefined): ReasoningEffort[] {
  const levels = (supported ?? []).map(asEffort).filter((e): e is ReasoningEffort => e !== undefined);
  return [...new Set(levels)].sort((a, b) => rank(a) - rank(b));
}

/** The strongest supported level not above `effort`, or the weakest supported one if all are above. */
export function clampEffort(effort: ReasoningEffort, supported: readonly string[] | undefined): ReasoningEffort {
  const levels = supportedLevels(supported);
  if (levels.length === 0) return effort;
  const notAbove = levels.filter((level) => rank(level) <= rank(effort));
  return notAbove.length > 0 ? notAbove[notAbove.length - 1] : levels[0];
}

/** Thinking budgets of the older `enabled` form, in effort bands. */
function effortForBudget(budgetTokens: number): ReasoningEffort {
  if (budgetTokens < 4_000) return 'low';
  if (budgetTokens < 16_000) return 'medium';
  if (budgetTokens < 32_000) return 'high';
  return 'xhigh';
}

/** Claude's effort vocabulary; anything else (ultra, none, a typo) counts as not given. */
function fromClientEffort(value: unknown): ReasoningEffort | undefined {
  const effort = asEffort(value);
  return effort && CLIENT_EFFORTS.includes(effort) ? effort : undefined;
}

function requestedEffort(
  req: MessagesRequest,
  supported: readonly string[] | undefined,
  defaultEffort: string | undefined,
): ReasoningEffort | undefined {
  const fromConfig = fromClientEffort(req.output_config?.effort);
  if (fromConfig) return fromConfig;
  const thinking = req.thinking;
  if (thinking?.type === 'enabled') {
    return typeof thinking.budget_tokens === 'number' ? effortForBudget(thinking.budget_tokens) : ADAPTIVE_DEFAULT;
  }
  if (thinking?.type === 'adaptive') return ADAPTIVE_DEFAULT;
  // Thinking disabled or not mentioned: the model still reasons upstream, at its own default.
  return asEffort(defaultEffort);
}

/**
 * Precedence: the lane's fixed effort, then `output_config.effort`, then the thinking config,
 * then the model's default. Undefined means "let the backend decide".
 */
export function pickEffort(
  req: MessagesRequest,
  opts: { laneEffort?: ReasoningEffort; supported?: readonly string[]; defaultEffort?: string },
): ReasoningEffort | undefined {
  const effort = asEffort(opts.laneEffort) ?? requestedEffort(req, opts.supported, opts.defaultEffort);
  return effort === undefined ? undefined : clampEffort(effort, opts.supported);
}
