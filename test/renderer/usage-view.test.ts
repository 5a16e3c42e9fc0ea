import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import UsageView from '../../renderer/src/views/UsageView.svelte';
import type { UsageBucket, UsageRange, UsageSummary } from '../../shared/api.js';
import { mockApi, NOW, usageSummary } from './support/fixtures.js';

/** Every chart the view made, with what it was given (jsdom has no canvas for the real uPlot). */
interface FakeChart {
  opts: { series: Array<{ label?: string }> };
  data: unknown[][];
  el: HTMLElement;
  destroyed: boolean;
}
const charts = vi.hoisted(() => [] as FakeChart[]);

vi.mock('uplot', () => {
  const noPath = () => () => null;
  class FakePlot {
    static paths = { bars: noPath, stepped: noPath, linear: noPath };
    opts: FakeChart['opts'];
    data: unknown[][];
    el: HTMLElement;
    destroyed = false;
    constructor(opts: FakeChart['opts'], data: unknown[][], el: HTMLElement) {
      this.opts = opts;
      this.data = data;
      this.el = el;
      charts.push(this);
    }
    setData(data: unknown[][]): void {
      this.data = data;
    }
    setSize(): void {}
    destroy(): void {
      this.destroyed = true;
    }
  }
  return { default: FakePlot };
});

function chartIn(testid: string): FakeChart | undefined {
  const el = screen.getByTestId(testid);
  return charts.filter((c) => !c.destroyed).find((c) => el.contains(c.el));
}

function setup(answer: (range: UsageRange, bucket?: UsageBucket) => UsageSummary = () => usageSummary()) {
  const calls: Array<[UsageRange, UsageBucket | undefined]> = [];
  const api = mockApi({
    usage: async (range, bucket) => {
      calls.push([range, bucket]);
      return answer(range, bucket);
    },
  });
  render(UsageView, { props: { api, now: NOW, refreshMs: 60_000 } });
  return { calls };
}

beforeEach(() => {
  charts.length = 0;
});

describe('UsageView', () => {
  it('shows the totals, including the cache-hit rate, for the last 24 hours by default', async () => {
    const { calls } = setup();
    await waitFor(() => expect(screen.getByTestId('usage-requests').textContent).toBe('7'));
    expect(calls[0]).toEqual(['24h', '1h']);
    expect(screen.getByTestId('usage-errors').textContent).toBe('2');
    expect(screen.getByTestId('usage-input').textContent).toBe('4,080');
    expect(screen.getByTestId('usage-hit-rate').textContent).toBe('57.6%');
    expect(screen.getByTestId('usage-reasoning').textContent).toBe('60');
    expect(screen.getByTestId('usage-failovers').textContent).toBe('1');
  });

  it('hands each chart the numbers of the summary', async () => {
    setup();
    await screen.findByTestId('usage-chart-tokens');
    await waitFor(() => expect(chartIn('usage-chart-tokens')).toBeDefined());
    const tokens = chartIn('usage-chart-tokens')!;
    expect(tokens.opts.series.map((s) => s.label)).toEqual(['time', 'gpt-6-luna', 'gpt-6.2-sol']);
    expect(tokens.data).toEqual([usageSummary().buckets, [1100, 200, 3000], [1000, 0, 3000]]);
    expect(chartIn('usage-chart-cache')!.data[1]).toEqual([90, 0, 50]);
    expect(chartIn('usage-chart-accounts')!.data.slice(1)).toEqual([
      [5, 2],
      [1, 1],
    ]);
    expect(chartIn('usage-chart-quota-5h')!.data[1]).toEqual([10, 25, 25]);
    expect(chartIn('usage-chart-quota-weekly')!.data[1]).toEqual([40, 42, 42]);
  });

  it('lists the costliest sessions and the accounts in tables', async () => {
    setup();
    const row = await screen.findByTestId('usage-session-row');
    expect(row.dataset.session).toBe('0f2c9a7e-session-one');
    expect(screen.getByTestId('usage-session-cost').textContent).toBe('2,000');
    expect(row.textContent).toContain('1m 00s ago');
    const accounts = screen.getAllByTestId('usage-account-row').map((r) => r.textContent);
    expect(accounts[0]).toContain('one@example.com');
    expect(accounts[1]).toContain('two@example.com');
  });

  it('reloads on a range or bucket change', async () => {
    const { calls } = setup((range) => usageSummary({ range, totals: { ...usageSummary().totals, requests: range === '7d' ? 70 : 7 } }));
    await waitFor(() => expect(screen.getByTestId('usage-requests').textContent).toBe('7'));
    await fireEvent.click(screen.getByTestId('usage-range-7d'));
    await waitFor(() => expect(screen.getByTestId('usage-requests').textContent).toBe('70'));
    expect(calls.at(-1)).toEqual(['7d', '1d']);
    expect(screen.getByTestId('usage-range-7d').getAttribute('aria-pressed')).toBe('true');
    await fireEvent.change(screen.getByTestId('usage-bucket'), { target: { value: '1h' } });
    await waitFor(() => expect(calls.at(-1)).toEqual(['7d', '1h']));
    await fireEvent.click(screen.getByTestId('usage-range-1h'));
    await waitFor(() => expect(calls.at(-1)).toEqual(['1h', '5m']));
    expect(screen.queryByTestId('usage-bucket')).toBeNull();
  });

  it('ignores a late answer for a range the user has already left', async () => {
    let release: () => void = () => undefined;
    const late = new Promise<void>((resolve) => (release = resolve));
    const api = mockApi({
      usage: async (range) => {
        if (range === '24h') await late;
        return usageSummary({ range, totals: { ...usageSummary().totals, requests: range === '7d' ? 70 : 7 } });
      },
    });
    render(UsageView, { props: { api, now: NOW, refreshMs: 60_000 } });
    await fireEvent.click(screen.getByTestId('usage-range-7d'));
    await waitFor(() => expect(screen.getByTestId('usage-requests').textContent).toBe('70'));
    release();
    await new Promise((r) => setTimeout(r, 0));
    expect(screen.getByTestId('usage-requests').textContent).toBe('70');
  });

  it('says when there is nothing to draw instead of drawing an empty chart', async () => {
    setup(() =>
      usageSummary({
        tokens_by_model: [],
        input_tokens: [0, 0, 0],
        cached_tokens: [0, 0, 0],
        accounts: [],
        sessions: [],
        quota: { times: [], accounts: [] },
      }),
    );
    await waitFor(() => expect(screen.getByTestId('usage-chart-tokens').dataset.empty).toBe('true'));
    expect(screen.getByTestId('usage-chart-quota-5h').textContent).toContain('No quota reading in this range.');
    expect(screen.getByTestId('usage-sessions-empty')).toBeTruthy();
    expect(charts.filter((c) => !c.destroyed)).toEqual([]);
  });

  it('draws a quota of 0 % (a reading), but not tokens that are all 0', async () => {
    setup(() =>
      usageSummary({
        tokens_by_model: [{ model: 'gpt-6.2-sol', tokens: [0, 0, 0], total: 0 }],
        quota: { times: [NOW - 1000, NOW], accounts: [{ account: 'one@example.com', five_hour: [0, 0], weekly: [null, null] }] },
      }),
    );
    await waitFor(() => expect(chartIn('usage-chart-quota-5h')).toBeDefined());
    expect(screen.getByTestId('usage-chart-tokens').dataset.empty).toBe('true');
    expect(screen.getByTestId('usage-chart-quota-weekly').dataset.empty).toBe('true');
  });

  it('shows the server’s error', async () => {
    render(UsageView, { props: { api: mockApi({ usage: () => Promise.reject(new Error('range must be 1h, 24h or 7d.')) }), now: NOW } });
    await waitFor(() => expect(screen.getByTestId('usage-error').textContent).toContain('range must be'));
  });
});
