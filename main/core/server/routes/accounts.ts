// The accounts API used by the dashboard, the desktop shell and scripts: list, quota, sign-in
// (browser, pasted callback, device code), import, switch, strategy, refresh, remove. Answers never
// contain token material; errors are Anthropic-shaped like every other answer of the proxy.
import Router from '@koa/router';
import type { Context } from 'koa';
import type { SelectionStrategy } from '../../../../shared/api.js';
import { AccountsError, type ManagedAccountPool } from '../../accounts/index.js';
import { readJsonBody } from '../body.js';
import { tellUnexpected } from '../request-context.js';

const BODY_LIMIT = 1024 * 1024;

type Body = Record<string, unknown>;

function invalid(message: string): AccountsError {
  return new AccountsError('invalid_request_error', message);
}

/** The parsed JSON body: from a body parser when one ran, else read here. No body means `{}`. */
async function jsonBody(ctx: Context): Promise<Body> {
  let value = (ctx.request as { body?: unknown }).body;
  if (value === undefined) {
    const chunked = ctx.get('transfer-encoding') !== '';
    if (!chunked && !ctx.request.length) return {};
    value = await readJsonBody(ctx, BODY_LIMIT);
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

/**
 * The handler's result is the answer. AccountsErrors are answered as they are (app.ts); any other
 * failure (the keychain, the disk) is told as what it is, since a person can often act on it.
 */
function handle(fn: Handler) {
  return async (ctx: Context): Promise<void> => {
    tellUnexpected(ctx, (err) => `Accounts operation failed: ${err.message}`);
    const result = await fn(ctx);
    if (result !== undefined) ctx.body = result;
  };
}

export function accountsRouter(pool: ManagedAccountPool): Router {
  const router = new Router();

  router.get('/accounts', handle(() => pool.list()));

  router.get(
    '/accounts/quota',
    handle(async (ctx) => {
      // A GET must not call upstream: any web page can send one with an <img>.
      if (ctx.query.refresh !== undefined) throw invalid('GET /accounts/quota only reads; to fetch fresh usage, POST /accounts/quota/refresh.');
      return pool.quota();
    }),
  );

  router.post(
    '/accounts/quota/refresh',
    handle(async () => {
      await pool.refreshQuota();
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
