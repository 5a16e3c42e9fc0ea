// The accounts API used by the dashboard, the desktop shell and scripts: list, quota, sign-in
// (browser, pasted callback, device code), import, switch, strategy, refresh, remove. Answers never
// contain token material; errors are Anthropic-shaped like every other answer of the proxy.
import Router from '@koa/router';
import type { Context } from 'koa';
import getRawBody from 'raw-body';
import type { SelectionStrategy } from '../../../../shared/api.js';
import { AccountsError, type ManagedAccountPool } from '../../accounts/index.js';
import { sendError } from '../http-error.js';

const BODY_LIMIT = 1024 * 1024;

type Body = Record<string, unknown>;

function invalid(message: string): AccountsError {
  return new AccountsError('invalid_request_error', message);
}

/** The parsed JSON body: from a body parser when one ran, else read here. Empty means `{}`. */
async function jsonBody(ctx: Context): Promise<Body> {
  const parsed = (ctx.request as { body?: unknown }).body;
  let value: unknown = parsed;
  if (parsed === undefined) {
    let text: string;
    try {
      text = await getRawBody(ctx.req, { limit: BODY_LIMIT, encoding: 'utf8' });
    } catch (err) {
      if ((err as { type?: string }).type === 'entity.too.large') {
        throw new AccountsError('request_too_large', 'Request body is larger than the 1 MB limit.');
      }
      throw invalid('Could not read the request body.');
    }
    if (!text.trim()) return {};
    try {
      value = JSON.parse(text);
    } catch (err) {
      throw invalid(`Request body is not valid JSON: ${(err as Error).message}`);
    }
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw invalid('Request body must be a JSON object.');
  return value as Body;
}

function optionalString(body: Body, key: string): string | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw invalid(`"${key}" must be a string.`);
  return v;
}

function requiredString(body: Body, key: string): string {
  const v = optionalString(body, key);
  if (!v) throw invalid(`"${key}" is required.`);
  return v;
}

type Handler = (ctx: Context) => Promise<unknown>;

/** Every handler's failures become an Anthropic error with the right status, never a stack. */
function handle(fn: Handler) {
  return async (ctx: Context): Promise<void> => {
    try {
      const result = await fn(ctx);
      if (result !== undefined) ctx.body = result;
    } catch (err) {
      if (err instanceof AccountsError) sendError(ctx, { errorType: err.errorType, message: err.message });
      else sendError(ctx, { errorType: 'api_error', message: `Accounts operation failed: ${(err as Error).message}` });
    }
  };
}

export function accountsRouter(pool: ManagedAccountPool): Router {
  const router = new Router();

  router.get('/accounts', handle(() => pool.list()));

  router.get(
    '/accounts/quota',
    handle(async (ctx) => {
      if (ctx.query.refresh === '1' || ctx.query.refresh === 'true') await pool.refreshQuota();
      return pool.quota();
    }),
  );

  router.post(
    '/accounts/add',
    handle(async (ctx) => {
      const body = await jsonBody(ctx);
      return body.callback_server === false ? pool.startLogin({ callbackServer: false }) : pool.startLogin();
    }),
  );

  router.post('/accounts/add/device', handle(() => pool.startDeviceLogin()));

  router.post(
    '/accounts/add/manual',
    handle(async (ctx) => {
      const body = await jsonBody(ctx);
      const account = await pool.completeManual(optionalString(body, 'login_id'), requiredString(body, 'input'));
      return { status: 'success', account };
    }),
  );

  router.get(
    '/accounts/add/:loginId',
    handle(async (ctx) => pool.loginStatus(String(ctx.params.loginId))),
  );

  router.delete(
    '/accounts/add/:loginId',
    handle(async (ctx) => ({ cancelled: pool.cancelLogin(String(ctx.params.loginId)) })),
  );

  router.post(
    '/accounts/import',
    handle(async (ctx) => pool.importCodexAuth(optionalString(await jsonBody(ctx), 'path'))),
  );

  router.post(
    '/accounts/switch',
    handle(async (ctx) => {
      const body = await jsonBody(ctx);
      if (body.id !== null) requiredString(body, 'id');
      await pool.setPreferred(body.id as string | null);
      return pool.list();
    }),
  );

  router.post(
    '/accounts/strategy',
    handle(async (ctx) => {
      await pool.setStrategy(requiredString(await jsonBody(ctx), 'strategy') as SelectionStrategy);
      return pool.list();
    }),
  );

  router.post('/accounts/refresh/all', handle(async () => ({ accounts: await pool.refreshAll() })));

  router.post(
    '/accounts/refresh',
    handle(async (ctx) => pool.refresh(requiredString(await jsonBody(ctx), 'id'))),
  );

  router.delete(
    '/accounts/:id',
    handle(async (ctx) => {
      const id = String(ctx.params.id);
      if (!(await pool.remove(id))) throw new AccountsError('not_found_error', `No account with id ${id}.`);
      return { deleted: true, id };
    }),
  );

  return router;
}
