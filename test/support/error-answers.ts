// The app's one error middleware (server/app.ts), for tests that mount a router or the guard on a
// bare Koa app: the router answers its failures exactly as it does inside the proxy.
import type Koa from 'koa';
import { errorAnswers } from '../../main/core/server/app.js';

export function quietErrorAnswers(): Koa.Middleware {
  return errorAnswers({ warn: () => undefined, error: () => undefined });
}
