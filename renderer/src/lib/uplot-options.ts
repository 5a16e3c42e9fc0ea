// uPlot options for a chart spec (usage-charts.ts): paths, axes, legend values and colours. The
// colours come from the page's CSS variables, read when the chart is made, so light and dark
// mode both work on a canvas that cannot use CSS itself.
import uPlot from 'uplot';
import { formatClock } from './format.js';
import { formatTick, formatValue, shorten, type ChartSpec } from './usage-charts.js';

/** Distinct in light and dark mode; red is kept for errors. */
export const PALETTE = ['#3b7ddd', '#e07b39', '#2f9e6e', '#9a5fd0', '#c9a227', '#1fa5b8', '#d0587e', '#6b7a8f'];
const ERROR_COLOR = '#d64545';

export interface ChartTheme {
  text: string;
  muted: string;
  grid: string;
}

export function themeOf(el: Element): ChartTheme {
  const css = getComputedStyle(el);
  const v = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
  return { text: v('--text', '#1b1f24'), muted: v('--muted', '#5c6570'), grid: v('--border', '#d8dce2') };
}

export function colorOf(index: number): string {
  return index < 0 ? ERROR_COLOR : PALETTE[index % PALETTE.length];
}

/** The aligned data uPlot draws. */
export function alignedData(spec: ChartSpec): uPlot.AlignedData {
  return [spec.x, ...spec.drawn] as uPlot.AlignedData;
}

function xAxis(spec: ChartSpec, theme: ChartTheme): uPlot.Axis {
  const base = { stroke: theme.muted, grid: { stroke: theme.grid, width: 1 }, ticks: { stroke: theme.grid } };
  if (spec.kind !== 'category-bars') return base;
  const labels = spec.categories ?? [];
  return {
    ...base,
    grid: { show: false },
    splits: () => labels.map((_, i) => i),
    // About 7 px a character: each label gets its share of the plot's width.
    values: (u, splits) => {
      const room = Math.floor(u.bbox.width / (window.devicePixelRatio || 1) / Math.max(1, labels.length) / 7);
      return splits.map((i) => shorten(labels[i] ?? '', Math.max(4, room)));
    },
  };
}

function seriesPaths(spec: ChartSpec, index: number): uPlot.Series.PathBuilder | undefined {
  const { bars, stepped, linear } = uPlot.paths;
  if (spec.kind === 'stacked-bars') return bars!({ size: [0.85, 80], align: 1 });
  if (spec.kind === 'category-bars') return bars!({ size: [index === 0 ? 0.6 : 0.3, 80] });
  if (spec.kind === 'steps') return stepped!({ align: 1 });
  return linear!();
}

/**
 * Options for a chart of `spec`'s shape. `current` gives the spec of the data shown now: a chart
 * keeps its options when new data of the same shape arrives (setData), so the x range and the
 * legend's values are read from the newest spec, not from the one the chart was made with.
 */
export function chartOptions(
  spec: ChartSpec,
  theme: ChartTheme,
  size: { width: number; height: number },
  current: () => ChartSpec = () => spec,
): uPlot.Options {
  const time = spec.kind !== 'category-bars';
  const filled = spec.kind === 'stacked-bars' || spec.kind === 'category-bars';
  return {
    ...size,
    ms: 1,
    legend: { live: true },
    cursor: { points: { show: !filled }, drag: { x: false, y: false } },
    scales: {
      x: time
        ? { time: true, range: (_u, min, max) => current().xRange ?? [min, max] }
        : { time: false, range: () => [-0.5, Math.max(0.5, current().x.length - 0.5)] },
      y: spec.yMax ? { range: [0, spec.yMax] } : { range: (_u, _min, max) => [0, Math.max(1, max) * 1.05] },
    },
    axes: [
      xAxis(spec, theme),
      {
        stroke: theme.muted,
        grid: { stroke: theme.grid, width: 1 },
        ticks: { stroke: theme.grid },
        size: 56,
        values: (_u, splits) => splits.map((v) => formatTick(v, spec.format)),
      },
    ],
    series: [
      {
        label: time ? 'time' : 'account',
        value: (_u, v) =>
          v === null || v === undefined ? '—' : time ? formatClock(v, Date.now()) : (current().categories?.[v] ?? ''),
      },
      ...spec.series.map((s, i): uPlot.Series => ({
        label: s.label,
        stroke: colorOf(s.color),
        fill: filled ? colorOf(s.color) : undefined,
        width: filled ? 0 : 2,
        paths: seriesPaths(spec, i),
        points: { show: spec.kind === 'line' || spec.kind === 'steps', size: 4 },
        value: (_u, _v, _si, idx) => formatValue(idx === null ? null : (current().raw[i]?.[idx] ?? null), spec.format),
      })),
    ],
  };
}
