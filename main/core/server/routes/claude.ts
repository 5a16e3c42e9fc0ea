// The dashboard's "Configure Claude Code" and "Restore previous settings" buttons, and the state
// they show.
import Router from '@koa/router';
import type { Context } from 'koa';
import {
  claudeConfigState,
  configureClaudeCode,
  restoreClaudeCode,
  STATUS_LINE_CHOICES,
  type ProxyTarget,
  type StatusLineRequest,
} from '../../claude/index.js';
import { ClientError } from '../../util/client-error.js';
import { tellUnexpected } from '../request-context.js';

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
    throw new ClientError('invalid_request_error', `statusline must be one of ${STATUS_LINE_CHOICES.join(', ')}.`);
  }
  return { choice: choice ?? 'auto', command: deps.statusLineCommand?.() ?? null };
}

/** File-system failures (EACCES, EISDIR, ENOSPC, …) are ones a person can act on: say which file. */
function fileSystemFailure(err: NodeJS.ErrnoException): string | null {
  if (!err.code) return null;
  const where = err.path && !err.message.includes(err.path) ? ` (${err.path})` : '';
  return `${err.message}${where}`;
}

/** ClaudeConfigErrors are answered as they are (app.ts); so, told as such, are file-system failures. */
async function answer(ctx: Context, action: () => Promise<unknown>): Promise<void> {
  tellUnexpected(ctx, fileSystemFailure);
  ctx.body = await action();
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
