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
import { withAlpha, type Palette } from '../lib/colour';

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
);

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
      tooltip: { intersect: false },
    },
  } as ChartOptions<T>;
}

/** A cartesian axis styled for the theme. */
export function axis(palette: Palette, title: string, extra: Record<string, unknown> = {}): Partial<ScaleOptionsByType<'linear'>> {
  return {
    title: { display: title !== '', text: title, color: palette.muted },
    ticks: { color: palette.foreground },
    grid: { color: withAlpha(palette.border, 0.6) },
    ...extra,
  } as Partial<ScaleOptionsByType<'linear'>>;
}

/** Log-scale charts cannot draw values <= 0 or NaN; those become gaps. */
export function positiveOrNull(v: number | null | undefined): number | null {
  return v !== null && v !== undefined && Number.isFinite(v) && v > 0 ? v : null;
}
