import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { ToolDefinition } from '../../../shared/anthropic.js';
import {
  buildToolNameMap,
  cleanSchema,
  translateToolChoice,
  translateTools,
} from '../../../main/core/translate/tools.js';

const LEGAL = /^[A-Za-z0-9_-]{1,64}$/;

// Shaped like Claude Code 2.1.331's tool list: draft 2020-12 schemas, additionalProperties:false.
const bashTool = {
  name: 'Bash',
  description: 'Runs a shell command.',
  input_schema: {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    type: 'object',
    properties: {
      command: { description: 'Command to run', type: 'string' },
      timeout: { description: 'Milliseconds', type: 'number' },
    },
    required: ['command'],
    additionalProperties: false,
  },
};

describe('buildToolNameMap', () => {
  it('leaves legal names alone', () => {
    const map = buildToolNameMap(['Bash', 'mcp__github__create_issue', 'web-fetch']);
    expect(map.toUpstream('Bash')).toBe('Bash');
    expect(map.toUpstream('mcp__github__create_issue')).toBe('mcp__github__create_issue');
    expect(map.fromUpstream('Bash')).toBe('Bash');
  });

  it('shortens MCP names with illegal characters or over 64 chars, reversibly', () => {
    const long = `mcp__${'very_long_server_name_'.repeat(4)}__list_all_open_pull_requests`;
    const dotted = 'mcp__my.server__search:code';
    const map = buildToolNameMap(['Bash', long, dotted]);
    for (const name of [long, dotted]) {
      const up = map.toUpstream(name);
      expect(up).toMatch(LEGAL);
      expect(up).not.toBe(name);
      expect(map.fromUpstream(up)).toBe(name);
    }
    // The tool part at the end stays readable for the model.
    expect(map.toUpstream(long)).toContain('pull_requests');
    expect(map.toUpstream(dotted)).toMatch(/^mcp__my_server__search_code_[0-9a-f]{8}$/);
  });

  it('is stable across requests and tool order', () => {
    const names = ['mcp__a.b__c', 'x:y', `t${'z'.repeat(80)}`];
    const first = buildToolNameMap(names);
    const second = buildToolNameMap([...names].reverse().concat('Read'));
    for (const name of names) expect(second.toUpstream(name)).toBe(first.toUpstream(name));
  });

  it('keeps names that sanitize alike distinct', () => {
    const names = ['a.b', 'a:b', 'a b', 'a_b'];
    const map = buildToolNameMap(names);
    const upstream = names.map((n) => map.toUpstream(n));
    expect(new Set(upstream).size).toBe(names.length);
    expect(map.toUpstream('a_b')).toBe('a_b');
  });

  it('passes unknown upstream names through and still legalizes names it was not given', () => {
    const map = buildToolNameMap(['Bash']);
    expect(map.fromUpstream('SomethingElse')).toBe('SomethingElse');
    expect(map.toUpstream('not.listed')).toMatch(LEGAL);
  });

  it('round-trips any set of names', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.string({ minLength: 1, maxLength: 120 }), { maxLength: 12 }), (names) => {
        const map = buildToolNameMap(names);
        const upstream = names.map((n) => map.toUpstream(n));
        expect(new Set(upstream).size).toBe(names.length);
        for (const [i, up] of upstream.entries()) {
          expect(up).toMatch(LEGAL);
          expect(map.fromUpstream(up)).toBe(names[i]);
        }
      }),
    );
  });
});

describe('cleanSchema', () => {
  it('strips $schema but keeps the rest of a Claude Code schema', () => {
    const cleaned = cleanSchema(bashTool.input_schema);
    expect(cleaned).toEqual({
      type: 'object',
      properties: bashTool.input_schema.properties,
      required: ['command'],
      additionalProperties: false,
    });
  });

  it('strips nested metadata keys without touching property names', () => {
    const cleaned = cleanSchema({
      type: 'object',
      properties: {
        cache_control: { type: 'string', cache_control: { type: 'ephemeral' } },
        list: {
          type: 'array',
          items: { $schema: 'x', type: 'object', properties: { defer_loading: { type: 'boolean' } } },
        },
        choice: { anyOf: [{ $schema: 'x', type: 'string' }, { type: 'null' }] },
      },
      $defs: { thing: { $schema: 'x', type: 'string' } },
      defer_loading: true,
    });
    expect(cleaned).toEqual({
      type: 'object',
      properties: {
        cache_control: { type: 'string' },
        list: { type: 'array', items: { type: 'object', properties: { defer_loading: { type: 'boolean' } } } },
        choice: { anyOf: [{ type: 'string' }, { type: 'null' }] },
      },
      $defs: { thing: { type: 'string' } },
    });
  });

  it('leaves enum, const and default values alone', () => {
    const schema = {
      type: 'object',
      properties: { mode: { type: 'string', enum: ['$schema'], default: { $schema: 1 } } },
    };
    expect(cleanSchema(schema)).toEqual(schema);
  });

  it('always returns an object schema', () => {
    expect(cleanSchema(undefined)).toEqual({ type: 'object', properties: {} });
    expect(cleanSchema('nope')).toEqual({ type: 'object', properties: {} });
    expect(cleanSchema({ type: 'string' })).toEqual({ type: 'object', properties: {} });
    expect(cleanSchema({ properties: { a: { type: 'string' } } })).toEqual({
      type: 'object',
      properties: { a: { type: 'string' } },
    });
    expect(cleanSchema({ type: 'object' })).toEqual({ type: 'object', properties: {} });
  });

  it('does not mutate its input', () => {
    const schema = structuredClone(bashTool.input_schema);
    cleanSchema(schema);
    expect(schema).toEqual(bashTool.input_schema);
  });
});

describe('translateTools', () => {
  const map = buildToolNameMap([]);

  it('turns custom tools into non-strict functions', () => {
    expect(translateTools([bashTool], map)).toEqual([
      {
        type: 'function',
        name: 'Bash',
        description: 'Runs a shell command.',
        parameters: cleanSchema(bashTool.input_schema),
        strict: false,
      },
    ]);
  });

  it('drops the deferred-tool placeholder, keeps deferred tools without defer_loading or cache_control', () => {
    const tools: ToolDefinition[] = [
      {
        name: 'DeferredToolPlaceholder',
        description: 'placeholder',
        input_schema: { type: 'object', properties: {} },
        defer_loading: true,
      },
      {
        name: 'WebFetch',
        description: 'Fetch a URL',
        input_schema: { type: 'object', properties: { url: { type: 'string' } } },
        defer_loading: true,
        cache_control: { type: 'ephemeral' },
      },
      { type: 'custom', name: 'Edit', input_schema: { type: 'object', properties: {} } },
    ];
    const out = translateTools(tools, map);
    expect(out.map((t) => t.type === 'function' && t.name)).toEqual(['WebFetch', 'Edit']);
    for (const tool of out) {
      expect(tool).not.toHaveProperty('defer_loading');
      expect(tool).not.toHaveProperty('cache_control');
    }
    expect(out[1]).not.toHaveProperty('description');
  });

  it('maps Anthropic web search to Codex web_search and drops server tools without an equivalent', () => {
    const tools: ToolDefinition[] = [
      {
        type: 'web_search_20250305',
        name: 'web_search',
        max_uses: 8,
        allowed_domains: ['example.com'],
        blocked_domains: ['bad.example'],
        user_location: { type: 'approximate', country: 'DE' },
      },
      { type: 'code_execution_20250522', name: 'code_execution' },
      { type: 'bash_20250124', name: 'bash' },
      { type: 'text_editor_20250429', name: 'str_replace_based_edit_tool' },
    ];
    expect(translateTools(tools, map)).toEqual([
      {
        type: 'web_search',
        external_web_access: true,
        filters: { allowed_domains: ['example.com'] },
        user_location: { type: 'approximate', country: 'DE' },
      },
    ]);
    expect(translateTools([{ type: 'web_search_20260101', name: 'web_search' }], map)).toEqual([
      { type: 'web_search', external_web_access: true },
    ]);
  });

  it('keeps the first of duplicate names', () => {
    const out = translateTools([bashTool, { ...bashTool, description: 'second' }], map);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ description: 'Runs a shell command.' });
  });

  it('uses the name map for illegal names', () => {
    const name = 'mcp__srv.v2__do:thing';
    const names = buildToolNameMap([name]);
    const [tool] = translateTools([{ name, input_schema: { type: 'object' } }], names);
    expect(tool).toMatchObject({ type: 'function', name: names.toUpstream(name) });
  });

  it('handles no tools', () => {
    expect(translateTools(undefined, map)).toEqual([]);
  });

  it('ignores a tools value that is not a list, and entries that are not tools', () => {
    for (const malformed of [{}, 'Bash', 0, true, null]) expect(translateTools(malformed as never, map)).toEqual([]);
    expect(translateTools([null, 'Bash', { name: 7 }, bashTool] as never, map)).toHaveLength(1);
  });
});

describe('translateToolChoice', () => {
  const tools: ToolDefinition[] = [
    bashTool,
    { name: 'mcp__x.y__z', input_schema: {} },
    { type: 'web_search_20250305', name: 'web_search' },
  ];
  const map = buildToolNameMap(tools.map((t) => t.name));
  const sent = translateTools(tools, map);

  it('maps each Anthropic choice', () => {
    expect(translateToolChoice(undefined, tools, sent, map)).toBe('auto');
    expect(translateToolChoice({ type: 'auto' }, tools, sent, map)).toBe('auto');
    expect(translateToolChoice({ type: 'any' }, tools, sent, map)).toBe('required');
    expect(translateToolChoice({ type: 'none' }, tools, sent, map)).toBe('none');
    expect(translateToolChoice({ type: 'tool', name: 'Bash' }, tools, sent, map)).toEqual({
      type: 'function',
      name: 'Bash',
    });
    expect(translateToolChoice({ type: 'tool', name: 'mcp__x.y__z' }, tools, sent, map)).toEqual({
      type: 'function',
      name: map.toUpstream('mcp__x.y__z'),
    });
    expect(translateToolChoice({ type: 'tool', name: 'web_search' }, tools, sent, map)).toEqual({ type: 'web_search' });
  });

  it('degrades choices that cannot be honoured to auto', () => {
    expect(translateToolChoice({ type: 'tool', name: 'Missing' }, tools, sent, map)).toBe('auto');
    expect(translateToolChoice({ type: 'any' }, [], [], map)).toBe('auto');
  });

  it('degrades a malformed choice or tool list to auto', () => {
    const named = (name: unknown) => ({ type: 'tool', name }) as never;
    for (const name of [{ not: 'a string' }, 7, null, undefined]) {
      expect(translateToolChoice(named(name), tools, sent, map)).toBe('auto');
    }
    expect(translateToolChoice({ type: 'tool', name: 'web_search' }, 'tools' as never, sent, map)).toBe('auto');
  });
});
