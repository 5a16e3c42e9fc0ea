import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import ModelsView from '../../renderer/src/views/ModelsView.svelte';
import type { ModelsConfig, ModelsUpdate } from '../../shared/api.js';
import { mockApi, modelsConfig } from './support/fixtures.js';

const OPENROUTER_OFF = { enabled: false, model: 'minimax/minimax-m2.5', has_key: false, choices: [{ id: 'minimax/minimax-m2.5', display_name: 'MiniMax M2.5' }] };

describe('ModelsView', () => {
  it('shows each lane, notes a lane resolved to another model, and saves only the changed lane', async () => {
    const saveModels = vi.fn(async (update: ModelsUpdate): Promise<ModelsConfig> => {
      const base = modelsConfig();
      return { ...base, lanes: { ...base.lanes, ...update.lanes }, resolved: { ...base.resolved, haiku: { configured: 'gpt-5.4-mini', resolved: 'gpt-5.4-mini', context_window: 272_000 } } };
    });
    render(ModelsView, { props: { api: mockApi({ models: async () => modelsConfig(), saveModels, openRouter: async () => OPENROUTER_OFF }) } });

    const opus = await screen.findByTestId<HTMLSelectElement>('models-opus-model');
    expect(opus.value).toBe('gpt-5.3-codex');
    expect(screen.getByTestId<HTMLSelectElement>('models-opus-effort').value).toBe('high');
    expect(screen.getByTestId('models-opus-resolved').textContent).toContain('uses gpt-5.3-codex · 400k context');
    // gpt-5.2 is not in this account's catalog: shown as a custom slug, and resolved elsewhere
    expect(screen.getByTestId<HTMLInputElement>('models-haiku-custom').value).toBe('gpt-5.2');
    expect(screen.getByTestId('models-haiku-resolved').textContent).toContain('gpt-5.2 → gpt-5.4-mini');
    expect(screen.getByTestId('models-save')).toHaveProperty('disabled', true);

    await fireEvent.change(screen.getByTestId('models-haiku-model'), { target: { value: 'gpt-5.4-mini' } });
    expect(screen.queryByTestId('models-haiku-custom')).toBeNull();
    await fireEvent.change(screen.getByTestId('models-haiku-effort'), { target: { value: 'low' } });
    await fireEvent.click(screen.getByTestId('models-save'));

    await waitFor(() => expect(saveModels).toHaveBeenCalledWith({ lanes: { haiku: { model: 'gpt-5.4-mini', effort: 'low' } } }));
    await screen.findByTestId('models-saved');
    expect(screen.getByTestId('models-haiku-resolved').textContent).toContain('uses gpt-5.4-mini');
    expect(screen.getByTestId('models-save')).toHaveProperty('disabled', true);
  });

  it('accepts a free-text model and refuses to save an empty one', async () => {
    const saveModels = vi.fn(async () => modelsConfig());
    render(ModelsView, { props: { api: mockApi({ models: async () => modelsConfig(), saveModels, openRouter: async () => OPENROUTER_OFF }) } });
    await fireEvent.change(await screen.findByTestId('models-sonnet-model'), { target: { value: '__custom__' } });
    const input = screen.getByTestId('models-sonnet-custom');
    await fireEvent.input(input, { target: { value: '' } });
    expect(screen.getByTestId('models-save')).toHaveProperty('disabled', true);
    await fireEvent.input(input, { target: { value: 'gpt-6-sol' } });
    await fireEvent.click(screen.getByTestId('models-save'));
    await waitFor(() => expect(saveModels).toHaveBeenCalledWith({ lanes: { sonnet: { model: 'gpt-6-sol' } } }));
  });
});
