// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { draftsFrom, effortChoices, invalidLanes, modelChoices, modelsUpdate } from '../../renderer/src/lib/models.js';
import { REASONING_EFFORTS } from '../../shared/codex.js';
import { KNOWN_CODEX_SLUGS } from '../../shared/models.js';
import { modelsConfig } from './support/fixtures.js';

describe('models view logic', () => {
  it('drafts lanes from the server config, with "" for a client-decided effort', () => {
    expect(draftsFrom(modelsConfig())).toEqual({
      opus: { model: 'gpt-5.3-codex', effort: 'high' },
      sonnet: { model: 'gpt-5.2-codex', effort: '' },
      haiku: { model: 'gpt-5.2', effort: '' },
    });
  });

  it('offers the live catalog, or the built-in list when it is unknown', () => {
    expect(modelChoices(modelsConfig()).map((c) => c.label)).toEqual(['GPT-5.3 Codex (gpt-5.3-codex)', 'GPT-5.2 Codex (gpt-5.2-codex)', 'GPT-5.4 mini (gpt-5.4-mini)']);
    expect(modelChoices(modelsConfig({ available: [] })).map((c) => c.slug)).toEqual(KNOWN_CODEX_SLUGS);
  });

  it('offers the efforts a model supports, keeping the current one visible', () => {
    const config = modelsConfig();
    expect(effortChoices(config, 'gpt-5.4-mini')).toEqual(['low', 'medium']);
    expect(effortChoices(config, 'gpt-5.4-mini', 'high')).toEqual(['low', 'medium', 'high']);
    expect(effortChoices(config, 'some-custom-model')).toEqual(REASONING_EFFORTS);
  });

  it('sends only the lanes that changed, and nothing when nothing did', () => {
    const config = modelsConfig();
    const drafts = draftsFrom(config);
    expect(modelsUpdate(config, drafts)).toBeNull();
    drafts.haiku = { model: ' gpt-5.4-mini ', effort: 'low' };
    drafts.opus.effort = '';
    expect(modelsUpdate(config, drafts)).toEqual({ lanes: { opus: { model: 'gpt-5.3-codex' }, haiku: { model: 'gpt-5.4-mini', effort: 'low' } } });
  });

  it('flags lanes without a model', () => {
    const drafts = draftsFrom(modelsConfig());
    drafts.sonnet.model = '  ';
    expect(invalidLanes(drafts)).toEqual(['sonnet']);
  });
});
