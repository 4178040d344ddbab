// chart.js set-up shared by every TSAE chart: only the pieces we use are registered (smaller
// bundle), animations are off (live updates must not lag, and the e2e suite reads pixels right
// away), and colours come from the current theme palette.

import {
  CategoryScale,
  Chart,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  LogarithmicScale,
  PointElement,
  ScatterController,
  Title,
  Tooltip,
  type ChartOptions,
  type ChartType,
  type ScaleOptionsByType,
} from 'chart.js';
import { MatrixController, MatrixElement } from 'chartjs-chart-matrix';
import zoomPlugin from 'chartjs-plugin-zoom';
import { logTicks } from '../lib/axes';
import { withAlpha, type Palette } from '../lib/colour';
import { formatNumber } from '../../src/core/format';

Chart.register(
  CategoryScale,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  LogarithmicScale,
  PointElement,
  ScatterController,
  Title,
  Tooltip,
  MatrixController,
  MatrixElement,
  zoomPlugin,
);

/** A double click on any chart undoes its zoom and pan (the way back after exploring). */
Chart.register({
  id: 'tsaeResetZoomOnDoubleClick',
  afterInit(chart: Chart) {
    chart.canvas.addEventListener('dblclick', () => chart.resetZoom());
  },
});

export { Chart };

/** Options every chart starts from. */
export function baseOptions<T extends ChartType>(palette: Palette): ChartOptions<T> {
  Chart.defaults.color = palette.foreground;
  Chart.defaults.borderColor = withAlpha(palette.border, 1);
  Chart.defaults.font.family = getComputedStyle(document.body).getPropertyValue('--vscode-font-family') || Chart.defaults.font.family;
  return {
    animation: false,
    responsive: true,
    maintainAspectRatio: false,
    normalized: true,
    plugins: {
      legend: { labels: { color: palette.foreground, boxWidth: 12 } },
      // Hover values: the nearest point's value on every series at that x.
      tooltip: {
        intersect: false,
        mode: 'nearest',
        callbacks: { label: (item: { dataset: { label?: string }; parsed: { y: number | null } }) => `${item.dataset.label ?? ''}: ${formatNumber(item.parsed.y)}` },
      },
      // Wheel or pinch zooms along x, shift-drag zooms to a range, drag pans; double click resets.
      zoom: {
        zoom: { wheel: { enabled: true }, pinch: { enabled: true }, drag: { enabled: true, modifierKey: 'shift' }, mode: 'x' },
        pan: { enabled: true, mode: 'x' },
      },
    },
  } as ChartOptions<T>;
}

/** A cartesian axis styled for the theme; log axes get 1-2-5 ticks thinned to fit the axis length. */
export function axis(palette: Palette, title: string, extra: Record<string, unknown> = {}): Partial<ScaleOptionsByType<'linear'>> {
  const log = extra.type === 'logarithmic';
  return {
    title: { display: title !== '', text: title, color: palette.muted },
    ticks: { color: palette.foreground, ...(log ? { callback: (value: number | string) => formatNumber(Number(value)) } : {}) },
    grid: { color: withAlpha(palette.border, 0.6) },
    ...(log
      ? {
          afterBuildTicks: (scale: { min: number; max: number; height: number; width: number; isHorizontal(): boolean; ticks: Array<{ value: number }> }) => {
            const ticks = logTicks(scale.min, scale.max, scale.isHorizontal() ? scale.width : scale.height, scale.isHorizontal() ? 48 : 18);
            if (ticks.length >= 2) scale.ticks = ticks.map((value) => ({ value }));
          },
        }
      : {}),
    ...extra,
  } as unknown as Partial<ScaleOptionsByType<'linear'>>;
}

/** Log-scale charts cannot draw values <= 0 or NaN; those become gaps. */
export function positiveOrNull(v: number | null | undefined): number | null {
  return v !== null && v !== undefined && Number.isFinite(v) && v > 0 ? v : null;
}
