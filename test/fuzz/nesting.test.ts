// Bad input is a 400, never a 500: JSON nested deeper than any real request (tool schemas, tool
// inputs and results, OpenAI tool arguments) is refused where the body is parsed, before any
// recursive code sees it; and the dashboard's file server refuses path tricks.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH } from '../../main/core/translate/json-depth.js';
import { rawRequest, startHarness, type Harness } from '../core/server/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.close());

/** `levels` objects (or arrays) around a leaf, built as text: the point is that no recursion builds it. */
function nested(levels: number, kind: 'object' | 'array' | 'schema'): string {
  if (kind === 'array') return `${'['.repeat(levels)}"leaf"${']'.repeat(levels)}`;
  if (kind === 'object') return `${'{"a":'.repeat(levels)}"leaf"${'}'.repeat(levels)}`;
  return `${'{"type":"object","properties":{"a":'.repeat(levels)}{"type":"string"}${'}}'.repeat(levels)}`;
}

type Place = (deep: string) => { path: string; body: string };

const user = '{"role":"user","content":"hi"}';
const PLACES: Record<string, Place> = {
  'tool schema': (deep) => ({
    path: '/v1/messages',
    body: `{"model":"claude-sonnet-5-5","max_tokens":64,"messages":[${user}],"tools":[{"name":"t","input_schema":${deep}}]}`,
  }),
  'tool schema, count_tokens': (deep) => ({
    path: '/v1/messages/count_tokens',
    body: `{"model":"claude-sonnet-5-5","messages":[${user}],"tools":[{"name":"t","input_schema":${deep}}]}`,
  }),
  'tool_use input and tool_result': (deep) => ({
    path: '/v1/messages',
    body: `{"model":"claude-sonnet-5-5","max_tokens":64,"messages":[${user},{"role":"assistant","content":[{"type":"tool_use","id":"toolu_1","name":"t","input":{"x":${deep}}}]},{"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":[{"type":"text","text":"ok","extra":${deep}}]}]}]}`,
  }),
  'OpenAI tool parameters': (deep) => ({
    path: '/v1/chat/completions',
    body: `{"model":"claude-sonnet-5-5","messages":[${user}],"tools":[{"type":"function","function":{"name":"t","parameters":${deep}}}]}`,
  }),
  'OpenAI tool arguments (a JSON string)': (deep) => ({
    path: '/v1/chat/completions',
    body: JSON.stringify({
      model: 'claude-sonnet-5-5',
      messages: [
        { role: 'user', content: 'hi' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [{ id: 'call_1', type: 'function', function: { name: 't', arguments: deep } }],
        },
        { role: 'tool', tool_call_id: 'call_1', content: 'ok' },
      ],
    }),
  }),
};

async function send(place: Place, deep: string) {
  const { path, body } = place(deep);
  return rawRequest(h.port, { method: 'POST', path, headers: { 'content-type': 'application/json' }, body });
}

describe('deeply nested JSON', () => {
  it.each(Object.keys(PLACES))('50 000 levels in a %s get a 400', async (name) => {
    for (const kind of ['object', 'array', 'schema'] as const) {
      const reply = await send(PLACES[name], nested(50_000, kind));
      expect(reply.status, `${kind}: ${reply.text.slice(0, 300)}`).toBe(400);
      const body = reply.json<{ type?: string; error?: { type: string; message: string } }>();
      expect(body.error?.type).toBe('invalid_request_error');
      expect(body.error?.message).toMatch(/nest/i);
    }
  });

  it('a real-sized schema well inside the limit still works', async () => {
    expect(MAX_JSON_DEPTH).toBeGreaterThanOrEqual(64);
    const reply = await send(PLACES['tool schema'], nested(20, 'schema'));
    expect(reply.status, reply.text.slice(0, 300)).toBe(200);
  });

  it('fuzz: any depth at any place is a 200 or a 400', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...Object.keys(PLACES)),
        fc.constantFrom('object', 'array', 'schema' as const),
        fc.oneof(
          fc.integer({ min: 1, max: 40 }),
          fc.integer({ min: MAX_JSON_DEPTH - 5, max: MAX_JSON_DEPTH + 5 }),
          fc.integer({ min: 1, max: 120_000 }),
        ),
        async (name, kind, levels) => {
          const reply = await send(PLACES[name], nested(levels, kind as 'object' | 'array' | 'schema'));
          expect([200, 400], `${name} ${kind} ${levels}: ${reply.text.slice(0, 200)}`).toContain(reply.status);
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('path tricks on the dashboard files', () => {
  const OUTSIDE = 'outside the dashboard directory';

  it.each([
    '/%2e%2e/outside.txt',
    '/%2E%2E/outside.txt',
    '/assets/%2e%2e/%2e%2e/outside.txt',
    '/..%2foutside.txt',
    '/assets/..%2f..%2foutside.txt',
    '/%2e%2e%5coutside.txt',
    '/index.html%00',
    '/%00',
    '/assets/app.js%00.png',
    '/%zz',
  ])('%s gets a 400', async (path) => {
    const reply = await rawRequest(h.port, { path });
    expect(reply.status, reply.text.slice(0, 200)).toBe(400);
    expect(reply.json().error?.type).toBe('invalid_request_error');
    expect(reply.text).not.toContain(OUTSIDE);
  });

  it('fuzz: no path reaches a file outside the directory or gets a 5xx', async () => {
    const segment = fc.constantFrom(
      '..',
      '.',
      '%2e%2e',
      '%2E%2e',
      '%2e',
      '%00',
      '%2f',
      '%5c',
      '\\',
      '%',
      '%zz',
      '%252e%252e',
      'assets',
      'app.js',
      'index.html',
      'outside.txt',
      '',
      ';',
      '%20',
    );
    await fc.assert(
      fc.asyncProperty(fc.array(segment, { minLength: 1, maxLength: 6 }), async (segments) => {
        const reply = await rawRequest(h.port, { path: `/${segments.join('/')}` });
        expect(reply.status, `/${segments.join('/')}`).toBeLessThan(500);
        expect(reply.text).not.toContain(OUTSIDE);
      }),
      { numRuns: 200 },
    );
    expect((await rawRequest(h.port, { path: '/assets/app.js' })).status).toBe(200);
  });
});
