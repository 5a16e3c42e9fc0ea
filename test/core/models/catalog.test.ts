import { describe, expect, it, vi } from 'vitest';
import { ModelCatalog, factsFromInfo } from '../../../main/core/models/catalog.js';
import type { CodexModelInfo } from '../../../shared/codex.js';

const info = (slug: string, extra: Partial<CodexModelInfo> = {}): CodexModelInfo => ({
  slug,
  display_name: slug.toUpperCase(),
  visibility: 'list',
  context_window: 272_000,
  supported_reasoning_levels: ['low', 'medium', 'high'],
  ...extra,
});

describe('model catalog', () => {
  it('reads both shapes of supported_reasoning_levels and the catalog facts', () => {
    expect(
      factsFromInfo(info('a', { supported_reasoning_levels: [{ effort: 'low' }, { effort: 'xhigh' }] })).efforts,
    ).toEqual(['low', 'xhigh']);
    expect(
      factsFromInfo(info('b', { context_window: 500_000, supports_parallel_tool_calls: false, visibility: 'hide' })),
    ).toMatchObject({
      contextWindow: 500_000,
      parallelToolCalls: false,
      listed: false,
    });
  });

  it('uses the configured model as is until a catalog is loaded, unless it is retired', () => {
    const catalog = new ModelCatalog(async () => null);
    expect(catalog.resolveLane('opus', { model: 'gpt-6.2-astra' })).toMatchObject({
      configured: 'gpt-6.2-astra',
      resolved: 'gpt-6.2-astra',
    });
    expect(catalog.resolveLane('opus', { model: 'gpt-6-custom' }).resolved).toBe('gpt-6-custom');
    // A retired slug is never sent, not even before the catalog loads.
    expect(catalog.resolveLane('opus', { model: 'gpt-5.3-codex' }).resolved).toBe('gpt-6.2-astra');
    expect(catalog.resolveLane('sonnet', { model: 'gpt-5.2-codex' }).resolved).toBe('gpt-6.2-sol');
    expect(catalog.resolveLane('haiku', { model: 'gpt-5.2' }).resolved).toBe('gpt-6-luna');
  });

  it('knows the efforts and windows of the current models offline', () => {
    const catalog = new ModelCatalog(async () => null);
    expect(catalog.facts('gpt-6-luna').efforts).toEqual(['low', 'medium', 'high', 'xhigh', 'max']);
    expect(catalog.facts('gpt-5.5').efforts).toEqual(['low', 'medium', 'high', 'xhigh']);
    expect(catalog.facts('gpt-6.2-sol').contextWindow).toBe(500_000);
    expect(catalog.facts('gpt-6.2-astra').contextWindow).toBe(272_000);
    expect(catalog.slugs().has('gpt-5.2-codex')).toBe(false);
  });

  it('without any fallback offered, picks by the catalog descriptions and priority', async () => {
    const catalog = new ModelCatalog(async () => [
      info('gpt-7-a', { description: 'Our most capable model.', priority: 2 }),
      info('gpt-7-b', { description: 'Default coding model.', priority: 1 }),
      info('gpt-7-c', { description: 'Fast and affordable model.', priority: 3 }),
    ]);
    await catalog.refresh();
    expect(catalog.resolveLane('opus', { model: 'gpt-6.2-astra' }).resolved).toBe('gpt-7-a');
    expect(catalog.resolveLane('sonnet', { model: 'gpt-6.2-sol' }).resolved).toBe('gpt-7-b');
    expect(catalog.resolveLane('haiku', { model: 'gpt-6-luna' }).resolved).toBe('gpt-7-c');
  });

  it('resolves a lane whose model is not offered to the closest offered one, warning once', async () => {
    const warn = vi.fn();
    const catalog = new ModelCatalog(
      async () => [info('gpt-6-sol'), info('gpt-6-luna'), info('gpt-5.6-sol', { visibility: 'hide' })],
      { warn },
    );
    await catalog.refresh();
    expect(catalog.resolveLane('opus', { model: 'gpt-5.3-codex' }).resolved).toBe('gpt-6-sol');
    expect(catalog.resolveLane('haiku', { model: 'gpt-5.2' }).resolved).toBe('gpt-6-luna');
    expect(catalog.resolveLane('sonnet', { model: 'gpt-6-luna', effort: 'high' })).toMatchObject({
      resolved: 'gpt-6-luna',
      effort: 'high',
    });
    catalog.resolveLane('opus', { model: 'gpt-5.3-codex' });
    expect(warn).toHaveBeenCalledTimes(2);
    expect(catalog.slugs().has('gpt-6-luna')).toBe(true);
    expect(catalog.available().map((m) => m.slug)).toEqual(['gpt-6-sol', 'gpt-6-luna']);
  });

  it('falls back to the first listed model when no preferred one is offered', async () => {
    const catalog = new ModelCatalog(async () => [info('some-future-model')]);
    await catalog.refresh();
    expect(catalog.resolveLane('sonnet', { model: 'gpt-5.2-codex' }).resolved).toBe('some-future-model');
  });

  it('keeps the last good catalog when a refresh fails', async () => {
    let fail = false;
    const warn = vi.fn();
    const catalog = new ModelCatalog(
      async () => {
        if (fail) throw new Error('network down');
        return [info('gpt-6-sol')];
      },
      { warn },
    );
    await catalog.refresh();
    fail = true;
    await catalog.refresh();
    expect(catalog.available().map((m) => m.slug)).toEqual(['gpt-6-sol']);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('network down'), undefined);
  });
});

describe('Claude families', () => {
  it('maps fable and mythos to opus, follows a user mapping, and leaves unknown families to the default lane', async () => {
    const { resolveModelTarget, CLAUDE_FAMILIES } = await import('../../../shared/models.js');
    expect(resolveModelTarget('claude-fable-5-2')).toMatchObject({ kind: 'lane', lane: 'opus', family: 'fable' });
    expect(resolveModelTarget('claude-mythos-5-1[1m]')).toMatchObject({ lane: 'opus', known: true });
    expect(resolveModelTarget('claude-haiku-4-5-20251001')).toMatchObject({ lane: 'haiku' });
    expect(resolveModelTarget('claude-fable-5', undefined, { ...CLAUDE_FAMILIES, fable: 'sonnet' })).toMatchObject({
      lane: 'sonnet',
    });
    expect(resolveModelTarget('claude-novella-1')).toMatchObject({ lane: 'sonnet', known: false });
    expect(resolveModelTarget('gpt-5.2-codex')).toBeNull();
  });
});
