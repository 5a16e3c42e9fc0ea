// Every route of the server, spelled every way a path can be bent (case, slashes, dot segments,
// percent-encoding), must get the same verdict from the guard as its canonical spelling: without
// the key, nothing but the open routes answers 2xx.
import { readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routeKind } from '../../../main/core/server/guard.js';
import { startHarness, type Harness } from './harness.js';

interface Route {
  method: string;
  path: string;
}

const ROUTES_DIR = path.join(import.meta.dirname, '..', '..', '..', 'main', 'core', 'server', 'routes');

/** Every route declared in main/core/server/routes/, read from the source so a new one is never missed. */
function allRoutes(): Route[] {
  const routes: Route[] = [];
  for (const file of readdirSync(ROUTES_DIR).filter((f) => f.endsWith('.ts'))) {
    const source = readFileSync(path.join(ROUTES_DIR, file), 'utf8');
    for (const [, verb, template] of source.matchAll(/\brouter\.(get|post|put|patch|delete)\(\s*'([^']+)'/g)) {
      const concrete = template.replace(/:(\w+)/g, (_m, name: string) => `${name}-Value1`);
      const methods = verb === 'get' ? ['GET', 'HEAD'] : [verb.toUpperCase()];
      for (const method of methods) routes.push({ method, path: concrete });
    }
  }
  return routes;
}

/** The same path bent in every way a router or a file server might still accept. */
function spellings(path: string): string[] {
  const segments = path.split('/').filter(Boolean);
  const title = `/${segments.map((s) => s[0].toUpperCase() + s.slice(1)).join('/')}`;
  const swap = [...path].map((c) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase())).join('');
  const random = fc.sample(fc.mixedCase(fc.constant(path), { untoggleAll: (s) => s.toLowerCase() }), {
    numRuns: 12,
    seed: path.length,
  });
  const [first, ...rest] = segments;
  const tail = rest.length ? `/${rest.join('/')}` : '';
  const bent = [
    `${path}/`,
    `/${path}`,
    `${path}//`,
    `/./${first}${tail}`,
    `/${first}/.${tail}`,
    `/x/../${first}${tail}`,
    `/%${first.charCodeAt(0).toString(16)}${first.slice(1)}${tail}`,
    `/${first}${rest.length ? `%2F${rest.join('%2F')}` : ''}`,
    `/${first};x${tail}`,
    `/${first}${tail}%20`,
  ];
  return [...new Set([path.toUpperCase(), path.toLowerCase(), title, swap, ...random, ...bent])].filter(
    (p) => p !== path,
  );
}

/** The status line only: a route that wrongly answered may be a never-ending stream. */
function statusOf(port: number, method: string, path: string, key?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const body = method === 'POST' || method === 'PUT' ? '{}' : undefined;
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        agent: false,
        insecureHTTPParser: true,
        headers: { 'content-type': 'application/json', ...(key ? { 'x-api-key': key } : {}) },
      },
      (res) => {
        resolve(res.statusCode ?? 0);
        req.destroy();
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const KEY = 'route-case-key';
let h: Harness;

beforeAll(async () => {
  h = await startHarness({ apiKey: KEY });
});
afterAll(() => h?.close());

describe('one path normalization for the router and the guard', () => {
  it('refuses every protected route without the key, however its path is spelled', async () => {
    const routes = allRoutes();
    expect(routes.length).toBeGreaterThan(40);
    const leaks: string[] = [];
    for (const { method, path } of routes) {
      const guarded = routeKind(method, path) === 'api' || routeKind(method, path) === 'protected';
      const canonical = await statusOf(h.port, method, path);
      if (guarded) expect(canonical, `${method} ${path}`).toBe(401);
      for (const spelling of spellings(path)) {
        const status = await statusOf(h.port, method, spelling);
        if (status >= 500 || (guarded && status < 300)) leaks.push(`${method} ${spelling} → ${status}`);
      }
    }
    expect(leaks).toEqual([]);
  });

  it('answers any other spelling like the canonical one or not at all', async () => {
    for (const [method, path] of [
      ['GET', '/health'],
      ['GET', '/accounts'],
      ['GET', '/api/overview'],
      ['GET', '/claude/config'],
      ['GET', '/v1/models'],
    ]) {
      expect(await statusOf(h.port, method, path, KEY), `${method} ${path}`).toBe(200);
      for (const spelling of spellings(path)) {
        const status = await statusOf(h.port, method, spelling, KEY);
        expect([200, 400, 404], `${method} ${spelling} → ${status}`).toContain(status);
      }
    }
  });
});
