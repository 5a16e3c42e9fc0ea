// The one context window Claude Code plans auto-compaction for (CLAUDE_CODE_AUTO_COMPACT_WINDOW).
import type { Lane } from '../../../shared/models.js';

/**
 * For a lane whose model the catalog gives no window: the smallest window of any current Codex
 * model (272k in the 0.169.0 and 0.171.0 catalogs), so a guess never lets a session outgrow it.
 */
export const FALLBACK_CONTEXT_WINDOW = 272_000;

/**
 * One value must serve every lane Claude Code sends to (opus for the main loop, haiku for small
 * tasks, sonnet when picked), so it is the smallest of their windows.
 */
export function compactionWindow(lanes: Record<Lane, { context_window: number | null }>): number {
  const windows = Object.values(lanes).map((l) =>
    typeof l.context_window === 'number' && l.context_window > 0 ? l.context_window : FALLBACK_CONTEXT_WINDOW,
  );
  return Math.min(...windows);
}
