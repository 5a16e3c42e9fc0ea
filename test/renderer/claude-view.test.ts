import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import ClaudeView from '../../renderer/src/views/ClaudeView.svelte';
import { ApiError } from '../../renderer/src/lib/errors.js';
import type { ClaudeConfigState } from '../../shared/api.js';
import { mockApi } from './support/fixtures.js';

const unconfigured: ClaudeConfigState = {
  settings_path: '/home/me/.claude/settings.json',
  configured: false,
  base_url: null,
  backup_exists: false,
  default_mode: null,
  env: {},
};

const configured: ClaudeConfigState = {
  ...unconfigured,
  configured: true,
  base_url: 'http://127.0.0.1:8081',
  backup_exists: true,
  backup_path: '/home/me/.claude/settings.json.codex-claude-proxy.bak',
  default_mode: 'default',
  onboarding_completed: true,
  global_config_path: '/home/me/.claude.json',
  notes: ['Permission mode set to "default": auto mode cannot work through a proxy.'],
  env: { ANTHROPIC_BASE_URL: 'http://127.0.0.1:8081', ANTHROPIC_AUTH_TOKEN: 'ccp-local-0123456789abcdef', ANTHROPIC_DEFAULT_OPUS_MODEL: 'claude-opus-5-5' },
};

describe('ClaudeView', () => {
  it('configures and restores, showing the state the server returns', async () => {
    const configureClaude = vi.fn(async () => configured);
    const restoreClaude = vi.fn(async () => ({ ...unconfigured, backup_exists: false }));
    render(ClaudeView, { props: { api: mockApi({ claudeConfig: async () => unconfigured, configureClaude, restoreClaude }) } });

    await waitFor(() => expect(screen.getByTestId('claude-configured').textContent).toBe('no'));
    expect(screen.getByTestId('claude-default-mode').textContent).toBe('not set (auto)');
    expect(screen.getByTestId('claude-restore')).toHaveProperty('disabled', true);
    expect(screen.getByTestId('claude-auto-mode-note').textContent).toContain('permissions.defaultMode');

    await fireEvent.click(screen.getByTestId('claude-configure'));
    await waitFor(() => expect(screen.getByTestId('claude-configured').textContent).toBe('yes'));
    expect(configureClaude).toHaveBeenCalledExactlyOnceWith('auto');
    expect(screen.getByTestId('claude-base-url').textContent).toBe('http://127.0.0.1:8081');
    expect(screen.getByTestId('claude-default-mode').textContent).toBe('default');
    expect(screen.getByTestId('claude-backup').textContent).toContain('settings.json.codex-claude-proxy.bak');
    expect(screen.getByTestId('claude-onboarding').textContent).toContain('done');
    expect(screen.getByTestId('claude-notes').textContent).toContain('auto mode cannot work through a proxy');
    const env = screen.getByTestId('claude-env').textContent ?? '';
    expect(env).toContain('claude-opus-5-5');
    expect(env).not.toContain('0123456789abcdef');
    expect(screen.getByTestId('claude-notice').textContent).toContain('now uses this proxy');

    await fireEvent.click(screen.getByTestId('claude-restore'));
    await waitFor(() => expect(screen.getByTestId('claude-configured').textContent).toBe('no'));
    expect(restoreClaude).toHaveBeenCalledOnce();
    expect(screen.getByTestId('claude-notice').textContent).toBe('Previous settings restored.');
  });

  it('keeps a status line of the user\'s own unless asked to replace it', async () => {
    const configureClaude = vi.fn(async () => configured);
    render(ClaudeView, {
      props: { api: mockApi({ claudeConfig: async () => ({ ...unconfigured, status_line: 'own' }), configureClaude }) },
    });
    await waitFor(() => expect(screen.getByTestId('claude-statusline').textContent).toContain('keep mine'));
    await fireEvent.change(screen.getByTestId('claude-statusline'), { target: { value: 'install' } });
    await fireEvent.click(screen.getByTestId('claude-configure'));
    await waitFor(() => expect(configureClaude).toHaveBeenCalledExactlyOnceWith('install'));
  });

  it('shows why configuring failed and keeps the last known state', async () => {
    const configureClaude = async () => Promise.reject(new ApiError(409, 'invalid_request_error', 'settings.json is not valid JSON (line 3); it was left untouched.'));
    render(ClaudeView, { props: { api: mockApi({ claudeConfig: async () => unconfigured, configureClaude }) } });
    await screen.findByTestId('claude-state');
    await fireEvent.click(screen.getByTestId('claude-configure'));
    expect((await screen.findByTestId('claude-error')).textContent).toBe('settings.json is not valid JSON (line 3); it was left untouched.');
    expect(screen.getByTestId('claude-configured').textContent).toBe('no');
  });
});
