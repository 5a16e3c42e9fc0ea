import { render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import App from '../../renderer/src/App.svelte';
import { tabFromHash } from '../../renderer/src/lib/tabs.js';
import { mockApi } from './support/fixtures.js';

afterEach(() => {
  window.location.hash = '';
});

describe('App', () => {
  it('maps URL hashes to sections, defaulting to the overview', () => {
    expect(tabFromHash('#/logs')).toBe('logs');
    expect(tabFromHash('#claude')).toBe('claude');
    expect(tabFromHash('')).toBe('overview');
    expect(tabFromHash('#/nope')).toBe('overview');
  });

  it('shows the section named by the hash and follows hash changes', async () => {
    window.location.hash = '#/claude';
    const api = mockApi({ subscribeLogs: () => () => undefined });
    render(App, { props: { api } });
    expect(screen.getByTestId('view-claude')).toBeTruthy();
    expect(screen.getByTestId('tab-claude').getAttribute('aria-current')).toBe('page');
    expect(screen.getByTestId('tab-logs').getAttribute('href')).toBe('#/logs');

    window.location.hash = '#/logs';
    await waitFor(() => expect(screen.getByTestId('view-logs')).toBeTruthy());
    expect(screen.queryByTestId('view-claude')).toBeNull();
  });
});
