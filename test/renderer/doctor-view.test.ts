import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import App from '../../renderer/src/App.svelte';
import DoctorView from '../../renderer/src/views/DoctorView.svelte';
import { ApiError } from '../../renderer/src/lib/errors.js';
import { DIAGNOSTICS_VIEW, dashboardUrl } from '../../main/desktop/dashboard-view.js';
import type { DoctorCheck, DoctorReport, DoctorRequest } from '../../shared/api.js';
import { mockApi, NOW } from './support/fixtures.js';

function report(checks: DoctorCheck[], overrides: Partial<DoctorReport> = {}): DoctorReport {
  const counts = { ok: 0, warn: 0, fail: 0, skip: 0 };
  for (const c of checks) counts[c.status]++;
  return {
    version: '0.1.0',
    ran_at: new Date(NOW).toISOString(),
    source: 'server',
    home: '/h',
    upstream: true,
    refresh: false,
    live: false,
    checks,
    counts,
    ...overrides,
  };
}

const readOnly = report(
  [
    { id: 'data_dir', group: 'setup', status: 'ok', summary: 'Data dir /h (writable, owner only).' },
    {
      id: 'account:a:models',
      group: 'account',
      status: 'skip',
      summary: 'a@b: /codex/models not checked (a GET never calls the backend).',
    },
  ],
  { upstream: false },
);

const refused = report([
  { id: 'data_dir', group: 'setup', status: 'ok', summary: 'Data dir /h (writable, owner only).' },
  {
    id: 'identity',
    group: 'identity',
    status: 'fail',
    summary: "The Codex backend refused this client's identity (HTTP 403).",
    fix: 'CODEX_ORIGINATOR=codex_claude_proxy comes from the environment of the proxy: unset it.',
  },
  {
    id: 'lane:opus',
    group: 'lanes',
    status: 'warn',
    summary: 'opus: "gpt-5.3-codex" was retired by OpenAI.',
    fix: '`codex-claude-proxy models set opus gpt-6.2-astra`',
  },
]);

afterEach(() => {
  window.location.hash = '';
});

describe('DoctorView', () => {
  it('opens on the read-only report, then runs the diagnostics with the backend and shows each fix', async () => {
    const doctor = vi.fn(async () => readOnly);
    const runDoctor = vi.fn(async (_request: DoctorRequest) => refused);
    render(DoctorView, { props: { api: mockApi({ doctor, runDoctor }) } });

    await waitFor(() => expect(screen.getAllByTestId('doctor-check')).toHaveLength(2));
    expect(screen.getByTestId('doctor-read-only').textContent).toContain('the backend was not called');
    expect(screen.getByTestId('doctor-summary').textContent).toContain('1 ok, 1 not checked');
    expect(runDoctor).not.toHaveBeenCalled();

    await fireEvent.click(screen.getByTestId('doctor-run'));
    await waitFor(() =>
      expect(screen.getByTestId('doctor-summary').textContent).toContain('1 ok, 1 warning, 1 failed'),
    );
    expect(runDoctor).toHaveBeenCalledWith({});
    expect(screen.queryByTestId('doctor-read-only')).toBeNull();
    const identity = screen.getAllByTestId('doctor-check').find((li) => li.dataset.id === 'identity');
    expect(identity?.dataset.status).toBe('fail');
    expect(identity?.textContent).toContain('✗');
    expect(identity?.textContent).toContain("refused this client's identity (HTTP 403)");
    expect(identity?.textContent).toContain('Fix: CODEX_ORIGINATOR=codex_claude_proxy comes from the environment');
    expect(screen.getAllByTestId('doctor-fix')).toHaveLength(2);
    expect(screen.getByText('Upstream identity')).toBeTruthy();
  });

  it('the live check warns that it spends quota and runs only once confirmed', async () => {
    const runDoctor = vi.fn(async (request: DoctorRequest) =>
      report([{ id: 'live:opus', group: 'live', status: 'ok', summary: 'opus answered "ok".' }], {
        live: request.live ?? false,
      }),
    );
    render(DoctorView, { props: { api: mockApi({ doctor: async () => readOnly, runDoctor }) } });
    await screen.findAllByTestId('doctor-check');

    await fireEvent.click(screen.getByTestId('doctor-live'));
    const warning = screen.getByTestId('doctor-live-warning').textContent?.replace(/\s+/g, ' ');
    expect(warning).toContain('It spends a little of your quota.');
    expect(warning).toContain('one tiny streamed request per lane (opus, sonnet, haiku)');
    await fireEvent.click(screen.getByTestId('doctor-live-cancel'));
    expect(screen.queryByTestId('doctor-live-warning')).toBeNull();
    expect(runDoctor).not.toHaveBeenCalled();

    await fireEvent.click(screen.getByTestId('doctor-live'));
    await fireEvent.click(screen.getByTestId('doctor-live-confirm'));
    await waitFor(() => expect(screen.getByText('opus answered "ok".')).toBeTruthy());
    expect(runDoctor).toHaveBeenCalledExactlyOnceWith({ live: true });
    expect(screen.getByText('Live requests')).toBeTruthy();
  });

  it('shows why the report could not be had and keeps the last one', async () => {
    const runDoctor = async () =>
      Promise.reject(
        new ApiError(
          401,
          'authentication_error',
          'The dashboard session is not valid (was the proxy restarted?): reload the page.',
        ),
      );
    render(DoctorView, { props: { api: mockApi({ doctor: async () => readOnly, runDoctor }) } });
    await screen.findAllByTestId('doctor-check');
    await fireEvent.click(screen.getByTestId('doctor-run'));
    expect((await screen.findByTestId('doctor-error')).textContent).toContain('reload the page');
    expect(screen.getAllByTestId('doctor-check')).toHaveLength(2);
  });

  it('is the view the tray\'s "Run diagnostics" opens (#/doctor)', async () => {
    window.location.hash = new URL(dashboardUrl('http://127.0.0.1:8081', DIAGNOSTICS_VIEW)).hash;
    render(App, { props: { api: mockApi({ doctor: async () => readOnly }) } });
    expect(screen.getByTestId('view-doctor')).toBeTruthy();
    expect(screen.getByTestId('tab-doctor').getAttribute('aria-current')).toBe('page');
    await screen.findAllByTestId('doctor-check');
  });
});
