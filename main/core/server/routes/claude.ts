// The dashboard's "Configure Claude Code" and "Restore previous settings" buttons, and the state
// they show.
import Router from '@koa/router';
import type { Context } from 'koa';
import type { ErrorType } from '../../../../shared/anthropic.js';
import {
  ClaudeConfigError,
  claudeConfigState,
  configureClaudeCode,
  restoreClaudeCode,
  STATUS_LINE_CHOICES,
  type ClaudeConfigErrorCode,
  type ProxyTarget,
  type StatusLineRequest,
} from '../../claude/index.js';
import { HttpError, sendError } from '../http-error.js';

export interface ClaudeRouteDeps {
  env: NodeJS.ProcessEnv;
  /** What to write: this proxy's URL and token, the lane models, the context window. */
  target: () => Promise<ProxyTarget>;
  /** The command that runs `codex-claude-proxy statusline`; null when this process is not the CLI. */
  statusLineCommand?: () => string | null;
}

/** `?statusline=auto|install|skip` (default auto: ours only where the user has none). */
function statusLineRequest(ctx: Context, deps: ClaudeRouteDeps): StatusLineRequest {
  const asked = ctx.query.statusline;
  const choice = STATUS_LINE_CHOICES.find((c) => c === asked);
  if (asked !== undefined && !choice) {
    throw new HttpError('invalid_request_error', `statusline must be one of ${STATUS_LINE_CHOICES.join(', ')}.`);
  }
  return { choice: choice ?? 'auto', command: deps.statusLineCommand?.() ?? null };
}

const ERROR_TYPES: Record<ClaudeConfigErrorCode, ErrorType> = {
  malformed: 'invalid_request_error',
  'no-backup': 'not_found_error',
  'invalid-target': 'api_error',
  'read-only': 'permission_error',
};

/** Every failure here is one a person can act on, so its message goes out as is. */
async function answer(ctx: Context, action: () => Promise<unknown>): Promise<void> {
  try {
    ctx.body = await action();
  } catch (err) {
    if (err instanceof ClaudeConfigError)
      return sendError(ctx, { errorType: ERROR_TYPES[err.code], message: err.message });
    const fsError = err as NodeJS.ErrnoException;
    // File-system failures (EACCES, EISDIR, ENOSPC, …): say which file.
    if (fsError.code) {
      const where = fsError.path && !fsError.message.includes(fsError.path) ? ` (${fsError.path})` : '';
      return sendError(ctx, { errorType: 'api_error', message: `${fsError.message}${where}` });
    }
    throw err;
  }
}

export function claudeRouter(deps: ClaudeRouteDeps): Router {
  const router = new Router();

  router.get('/claude/config', (ctx) =>
    answer(ctx, async () => claudeConfigState({ env: deps.env, baseUrl: (await deps.target()).baseUrl })),
  );
  router.post('/claude/config/proxy', (ctx) =>
    answer(ctx, async () =>
      configureClaudeCode({ env: deps.env, ...(await deps.target()), statusLine: statusLineRequest(ctx, deps) }),
    ),
  );
  router.post('/claude/config/restore', (ctx) => answer(ctx, () => restoreClaudeCode({ env: deps.env })));

  return router;
}
