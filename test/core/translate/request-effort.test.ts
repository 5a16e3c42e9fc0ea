import { describe, expect, it } from 'vitest';
import type { MessagesRequest } from '../../../shared/anthropic.js';
import { clampEffort, pickEffort } from '../../../main/core/translate/effort.js';
import { toCodexRequest } from '../../../main/core/translate/request.js';

const base: MessagesRequest = { model: 'claude-opus-5-5', messages: [{ role: 'user', content: 'hi' }] };
const req = (extra: Partial<MessagesRequest>): MessagesRequest => ({ ...base, ...extra });
const CLASSIC = ['low', 'medium', 'high'];
const CATALOG_0169 = ['low', 'medium', 'high', 'xhigh', 'max', 'ultra'];

describe('pickEffort', () => {
  it('takes output_config.effort first', () => {
    expect(
      pickEffort(req({ output_config: { effort: 'high' }, thinking: { type: 'enabled', budget_tokens: 1000 } }), {}),
    ).toBe('high');
    expect(pickEffort(req({ output_config: { effort: 'low' }, thinking: { type: 'adaptive' } }), {})).toBe('low');
  });

  it('maps thinking budgets to effort bands', () => {
    const budget = (budget_tokens: number) => pickEffort(req({ thinking: { type: 'enabled', budget_tokens } }), {});
    expect(budget(1024)).toBe('low');
    expect(budget(3999)).toBe('low');
    expect(budget(4000)).toBe('medium');
    expect(budget(15999)).toBe('medium');
    expect(budget(16000)).toBe('high');
    expect(budget(31999)).toBe('high');
    expect(budget(32000)).toBe('xhigh');
    expect(budget(100000)).toBe('xhigh');
  });

  it('uses medium for adaptive thinking without an effort', () => {
    expect(pickEffort(req({ thinking: { type: 'adaptive', display: 'omitted' } }), {})).toBe('medium');
    expect(pickEffort(req({ thinking: { type: 'enabled' } }), {})).toBe('medium');
  });

  it('falls back to the model default when thinking is disabled or absent', () => {
    expect(pickEffort(req({ thinking: { type: 'disabled' } }), { defaultEffort: 'low' })).toBe('low');
    expect(pickEffort(req({}), { defaultEffort: 'medium' })).toBe('medium');
    expect(pickEffort(req({}), {})).toBeUndefined();
    expect(pickEffort(req({ thinking: { type: 'disabled' }, output_config: { effort: 'high' } }), {})).toBe('high');
  });

  it('lets a lane effort override the client', () => {
    expect(pickEffort(req({ output_config: { effort: 'low' } }), { laneEffort: 'high' })).toBe('high');
    expect(pickEffort(req({ output_config: { effort: 'low' } }), { laneEffort: 'xhigh', supported: CLASSIC })).toBe(
      'high',
    );
  });

  it('clamps to the supported levels, never above the model maximum', () => {
    expect(pickEffort(req({ output_config: { effort: 'xhigh' } }), { supported: CLASSIC })).toBe('high');
    expect(pickEffort(req({ thinking: { type: 'enabled', budget_tokens: 64000 } }), { supported: CLASSIC })).toBe(
      'high',
    );
    expect(pickEffort(req({ output_config: { effort: 'medium' } }), { supported: ['low', 'high'] })).toBe('low');
  });

  it('maps Claude max to Codex max (never ultra), clamped to what the model has', () => {
    expect(pickEffort(req({ output_config: { effort: 'max' } }), { supported: CATALOG_0169 })).toBe('max');
    expect(
      pickEffort(req({ output_config: { effort: 'max' } }), { supported: ['low', 'medium', 'high', 'xhigh'] }),
    ).toBe('xhigh');
    expect(pickEffort(req({ output_config: { effort: 'max' } }), { supported: CLASSIC })).toBe('high');
    expect(pickEffort(req({ output_config: { effort: 'max' } }), {})).toBe('max');
  });

  it('ignores effort strings it does not know', () => {
    expect(pickEffort(req({ output_config: { effort: 'turbo' }, thinking: { type: 'adaptive' } }), {})).toBe('medium');
    expect(pickEffort(req({}), { defaultEffort: 'whatever' })).toBeUndefined();
  });
});

describe('clampEffort', () => {
  it('keeps supported levels, steps down to the nearest, or up to the weakest', () => {
    expect(clampEffort('medium', CLASSIC)).toBe('medium');
    expect(clampEffort('ultra', ['low', 'medium', 'high', 'xhigh', 'max'])).toBe('max');
    expect(clampEffort('minimal', CLASSIC)).toBe('low');
    expect(clampEffort('none', ['medium', 'low'])).toBe('low');
    expect(clampEffort('high', [])).toBe('high');
    expect(clampEffort('high', undefined)).toBe('high');
    expect(clampEffort('xhigh', ['low', 'bogus', 'high'])).toBe('high');
  });
});

describe('toCodexRequest: reasoning and thinking display', () => {
  const translate = (
    extra: Partial<MessagesRequest>,
    opts: { supportedEfforts?: string[]; defaultEffort?: string } = {},
  ) => toCodexRequest(req(extra), { model: 'gpt-5.5', ...opts });

  it('sends the picked effort with auto summaries', () => {
    expect(
      translate({ output_config: { effort: 'xhigh' }, thinking: { type: 'adaptive' } }, { supportedEfforts: CLASSIC })
        .body.reasoning,
    ).toEqual({ effort: 'high', summary: 'auto' });
  });

  it('leaves reasoning to the backend when nothing asks for an effort', () => {
    expect(translate({}).body).not.toHaveProperty('reasoning');
    expect(translate({ thinking: { type: 'disabled' } }, { defaultEffort: 'medium' }).body.reasoning).toEqual({
      effort: 'medium',
      summary: 'auto',
    });
  });

  it('reports how thinking should be shown', () => {
    expect(translate({ thinking: { type: 'adaptive', display: 'omitted' } }).thinkingDisplay).toBe('omitted');
    expect(translate({ thinking: { type: 'adaptive', display: 'updates' } }).thinkingDisplay).toBe('summarized');
    expect(translate({ thinking: { type: 'adaptive' } }).thinkingDisplay).toBe('summarized');
    expect(translate({ thinking: { type: 'enabled', budget_tokens: 2048 } }).thinkingDisplay).toBe('summarized');
    expect(translate({ thinking: { type: 'disabled' } }).thinkingDisplay).toBe('none');
    expect(translate({}).thinkingDisplay).toBe('none');
  });
});
