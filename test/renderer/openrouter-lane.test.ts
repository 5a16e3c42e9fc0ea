import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import OpenRouterLane from '../../renderer/src/components/OpenRouterLane.svelte';
import ModelsView from '../../renderer/src/views/ModelsView.svelte';
import { createHttpApi } from '../../renderer/src/lib/api.js';
import { ApiError } from '../../renderer/src/lib/errors.js';
import type { OpenRouterConfig, OpenRouterUpdate } from '../../shared/api.js';
import { mockApi, modelsConfig } from './support/fixtures.js';

function openRouterConfig(overrides: Partial<OpenRouterConfig> = {}): OpenRouterConfig {
  return {
    enabled: false,
    model: 'minimax/minimax-m2.5',
    has_key: false,
    choices: [
      { id: 'minimax/minimax-m2.5', display_name: 'MiniMax M2.5' },
      { id: 'z-ai/glm-5', display_name: 'GLM-5' },
    ],
    ...overrides,
  };
}

/** A server stand-in: applies updates like PUT /api/openrouter and never echoes the key. */
function fakeServer(initial: OpenRouterConfig) {
  let state = initial;
  const saveOpenRouter = vi.fn(async (update: OpenRouterUpdate): Promise<OpenRouterConfig> => {
    state = {
      ...state,
      ...(update.enabled !== undefined ? { enabled: update.enabled } : {}),
      ...(update.model !== undefined ? { model: update.model } : {}),
      ...(update.key !== undefined ? { has_key: update.key !== null } : {}),
    };
    return state;
  });
  return { api: mockApi({ openRouter: async () => state, saveOpenRouter }), saveOpenRouter };
}

const input = (id: string) => screen.getByTestId<HTMLInputElement>(id);

describe('OpenRouterLane', () => {
  it('enables the lane with a key in one save, then shows the key only as "stored"', async () => {
    const { api, saveOpenRouter } = fakeServer(openRouterConfig());
    render(OpenRouterLane, { props: { api } });

    const model = await screen.findByTestId<HTMLSelectElement>('openrouter-model');
    expect(model.value).toBe('minimax/minimax-m2.5');
    expect(screen.getByTestId('openrouter-key-state').textContent).toBe('not set');
    expect(input('openrouter-key').type).toBe('password');
    expect(screen.queryByTestId('openrouter-key-remove')).toBeNull();
    expect(screen.getByTestId('openrouter-save')).toHaveProperty('disabled', true);
    expect(screen.getByTestId('openrouter-lane').textContent).toMatch(/fall(s)? back/);

    await fireEvent.click(input('openrouter-enabled'));
    await fireEvent.change(model, { target: { value: 'z-ai/glm-5' } });
    await fireEvent.input(input('openrouter-key'), { target: { value: '  sk-or-secret  ' } });
    await fireEvent.click(screen.getByTestId('openrouter-save'));

    await waitFor(() =>
      expect(saveOpenRouter).toHaveBeenCalledWith({ enabled: true, model: 'z-ai/glm-5', key: 'sk-or-secret' }),
    );
    await screen.findByTestId('openrouter-saved');
    expect(screen.getByTestId('openrouter-key-state').textContent).toBe('stored');
    expect(input('openrouter-key').value).toBe('');
    expect(input('openrouter-key').placeholder).toMatch(/stored/);
    expect(document.body.innerHTML).not.toContain('sk-or-secret');
    expect(screen.getByTestId('openrouter-save')).toHaveProperty('disabled', true);
  });

  it('takes a free-text slug, refuses one without a vendor, and removes the stored key', async () => {
    const { api, saveOpenRouter } = fakeServer(
      openRouterConfig({ enabled: true, has_key: true, model: 'qwen/qwen3-coder' }),
    );
    render(OpenRouterLane, { props: { api } });

    // A saved slug that is not among the choices opens as "Other…".
    const custom = await screen.findByTestId<HTMLInputElement>('openrouter-custom');
    expect(custom.value).toBe('qwen/qwen3-coder');
    expect(screen.getByTestId<HTMLSelectElement>('openrouter-model').value).toBe('__custom__');

    await fireEvent.input(custom, { target: { value: 'no-vendor' } });
    expect(screen.getByTestId('openrouter-save')).toHaveProperty('disabled', true);
    await fireEvent.input(custom, { target: { value: 'moonshotai/kimi-k2' } });
    await fireEvent.click(screen.getByTestId('openrouter-save'));
    await waitFor(() => expect(saveOpenRouter).toHaveBeenLastCalledWith({ model: 'moonshotai/kimi-k2' }));

    await fireEvent.click(await screen.findByTestId('openrouter-key-remove'));
    await waitFor(() => expect(saveOpenRouter).toHaveBeenLastCalledWith({ key: null }));
    expect((await screen.findByTestId('openrouter-saved')).textContent).toBe('Key removed');
    expect(screen.getByTestId('openrouter-key-state').textContent).toBe('not set');
    expect(screen.queryByTestId('openrouter-key-remove')).toBeNull();
    expect(screen.getByTestId('openrouter-no-key')).toBeTruthy();
  });

  it('shows the server refusal and keeps the typed values', async () => {
    const saveOpenRouter = vi.fn(async (): Promise<OpenRouterConfig> => {
      throw new ApiError(400, 'invalid_request_error', 'openrouter.model must be an OpenRouter model slug');
    });
    render(OpenRouterLane, { props: { api: mockApi({ openRouter: async () => openRouterConfig(), saveOpenRouter }) } });
    await fireEvent.click(await screen.findByTestId('openrouter-enabled'));
    await fireEvent.click(screen.getByTestId('openrouter-save'));
    expect((await screen.findByTestId('openrouter-error')).textContent).toContain('model slug');
    expect(input('openrouter-enabled').checked).toBe(true);
    expect(screen.queryByTestId('openrouter-saved')).toBeNull();
  });

  it('is part of the Models view', async () => {
    render(ModelsView, {
      props: { api: mockApi({ models: async () => modelsConfig(), openRouter: async () => openRouterConfig() }) },
    });
    await screen.findByTestId('models-opus-model');
    expect(within(await screen.findByTestId('view-models')).getByTestId('openrouter-model')).toBeTruthy();
  });
});

describe('createHttpApi OpenRouter routes', () => {
  it('GETs and PUTs /api/openrouter with a JSON body', async () => {
    const calls: string[] = [];
    const fetchMock = (async (url: RequestInfo | URL, init?: RequestInit) => {
      calls.push(`${init?.method} ${String(url)} ${init?.body ?? ''}`.trim());
      return new Response(JSON.stringify(openRouterConfig()));
    }) as typeof fetch;
    const api = createHttpApi({ fetch: fetchMock });
    expect(await api.openRouter()).toEqual(openRouterConfig());
    await api.saveOpenRouter({ enabled: true, key: null });
    expect(calls).toEqual(['GET /api/openrouter', 'PUT /api/openrouter {"enabled":true,"key":null}']);
  });
});
