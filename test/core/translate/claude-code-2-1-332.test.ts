// What Claude Code 2.1.332 sends that needs translating beyond the basics: structured outputs
// (hooks, session titles), fast mode, and the effort scale against every current model.
import { describe, expect, it } from 'vitest';
import type { MessagesRequest } from '../../../shared/anthropic.js';
import { pickEffort } from '../../../main/core/translate/effort.js';
import { toCodexRequest } from '../../../main/core/translate/request.js';
import { factsFromInfo } from '../../../main/core/models/catalog.js';
import { validateResponsesRequest } from '../../fakes/codex-validate.js';
import { CATALOG_0_171 } from '../../fakes/codex-catalog.js';

const base: MessagesRequest = { model: 'claude-sonnet-5-5', messages: [{ role: 'user', content: 'hi' }] };
const req = (extra: Partial<MessagesRequest>): MessagesRequest => ({ ...base, ...extra });

const HOOK_SCHEMA = {
  type: 'object',
  properties: { ok: { type: 'boolean' }, reason: { type: 'string' } },
  required: ['ok'],
  additionalProperties: false,
};

describe('structured outputs', () => {
  it('turns output_config.format into text.format with a stable valid name the backend accepts', () => {
    const one = toCodexRequest(req({ output_config: { format: { type: 'json_schema', schema: HOOK_SCHEMA } } }), {
      model: 'gpt-6.2-sol',
    }).body;
    const two = toCodexRequest(req({ output_config: { format: { type: 'json_schema', schema: HOOK_SCHEMA } } }), {
      model: 'gpt-6.2-sol',
    }).body;
    expect(one.text?.format).toMatchObject({ type: 'json_schema', schema: HOOK_SCHEMA, strict: false });
    expect(one.text?.format).toEqual(two.text?.format);
    const name = one.text?.format?.type === 'json_schema' ? one.text.format.name : '';
    expect(name).toMatch(/^[a-zA-Z0-9_-]{1,64}$/);
    expect(validateResponsesRequest(one, {}, CATALOG_0_171)).toBeNull();
  });

  it('asks for strict mode only when the schema is closed and fully required', () => {
    const closed = { ...HOOK_SCHEMA, required: ['ok', 'reason'], title: 'Hook verdict' };
    const body = toCodexRequest(req({ output_config: { format: { type: 'json_schema', schema: closed } } }), {
      model: 'gpt-6.2-sol',
    }).body;
    expect(body.text?.format).toMatchObject({ name: 'Hook_verdict', strict: true });
    expect(validateResponsesRequest(body, {}, CATALOG_0_171)).toBeNull();
  });

  it('cleans the schema the way tool schemas are cleaned', () => {
    const body = toCodexRequest(
      req({ output_config: { format: { type: 'json_schema', schema: { $schema: 'x', ...HOOK_SCHEMA } } } }),
      { model: 'gpt-6.2-sol' },
    ).body;
    expect(body.text?.format?.type === 'json_schema' && body.text.format.schema).not.toHaveProperty('$schema');
  });

  it('sends no text.format without a schema, and empty instructions without a system prompt', () => {
    const body = toCodexRequest(req({ output_config: { effort: 'low' } }), { model: 'gpt-6.2-sol' }).body;
    expect(body.text).toBeUndefined();
    expect(body.instructions).toBe('');
  });
});

describe('fast mode', () => {
  it('sends speed "fast" as the priority tier when the model lists it', () => {
    const fast = req({ speed: 'fast' });
    expect(toCodexRequest(fast, { model: 'gpt-6.2-sol', serviceTiers: ['priority'] }).body.service_tier).toBe(
      'priority',
    );
    expect(toCodexRequest(fast, { model: 'gpt-x', serviceTiers: [] }).body).not.toHaveProperty('service_tier');
    expect(toCodexRequest(req({}), { model: 'gpt-6.2-sol', serviceTiers: ['priority'] }).body).not.toHaveProperty(
      'service_tier',
    );
  });
});

describe('the effort table over every catalog model', () => {
  const CLIENT = ['low', 'medium', 'high', 'xhigh', 'max'] as const;
  for (const info of CATALOG_0_171) {
    const facts = factsFromInfo(info);
    it(`${info.slug}: every Claude effort maps into the model's own levels, max to max, never ultra`, () => {
      for (const effort of CLIENT) {
        const picked = pickEffort(req({ output_config: { effort } }), { supported: facts.efforts });
        expect(facts.efforts).toContain(picked);
        expect(picked).not.toBe('ultra');
        if (effort === 'max') expect(picked).toBe(facts.efforts.includes('max') ? 'max' : 'xhigh');
        else expect(picked).toBe(effort);
        const body = toCodexRequest(req({ output_config: { effort } }), {
          model: info.slug,
          supportedEfforts: facts.efforts,
        }).body;
        expect(validateResponsesRequest(body, { version: '0.171.0' }, CATALOG_0_171)).toBeNull();
      }
      // ultra only from a lane set to it, and only where the model has it.
      const lane = pickEffort(req({}), { laneEffort: 'ultra', supported: facts.efforts });
      expect(lane).toBe(facts.efforts.includes('ultra') ? 'ultra' : facts.efforts.at(-1));
      expect(pickEffort(req({ output_config: { effort: 'ultra' } }), { supported: facts.efforts })).toBeUndefined();
    });
  }
});
