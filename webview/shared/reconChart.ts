// Input vs reconstruction of one window and one feature, with each time step's error shaded
// behind the lines (darker = worse). Used by the dashboard and by the side panel's preview.

import type { Plugin } from 'chart.js';
import type { WindowReconstruction } from '../../src/core/run/types';
import { withAlpha, type Palette } from '../lib/colour';
import { lttbSeries } from '../lib/decimate';
import { bucketMax } from '../lib/series';
import { featureSeries } from '../../src/core/run/windows';
import { axis, baseOptions, Chart } from './charts';

/** More shaded bands than this are merged (max per band): thinner than a pixel they only cost time. */
const MAX_ERROR_BANDS = 600;

export function drawReconstruction(canvas: HTMLCanvasElement, recon: WindowReconstruction, feature: number, featureName: string, palette: Palette, compact = false): Chart<'line'> {
  const steps = recon.input.length;
  const bands = bucketMax(recon.stepError, MAX_ERROR_BANDS);
  const options = baseOptions<'line'>(palette);
  return new Chart(canvas, {
    type: 'line',
    data: {
      datasets: [
        {
          label: `input (${featureName})`,
          data: lttbSeries(featureSeries(recon.input, feature)),
          borderColor: palette.blue,
          backgroundColor: palette.blue,
          borderWidth: 1.5,
          pointRadius: 0,
        },
        {
          label: 'reconstruction',
          data: lttbSeries(featureSeries(recon.output, feature)),
          borderColor: palette.orange,
          backgroundColor: palette.orange,
          borderWidth: 1.5,
          borderDash: [5, 3],
          pointRadius: 0,
        },
      ],
    },
    options: {
      ...options,
      parsing: false,
      plugins: { ...options.plugins, legend: { ...options.plugins?.legend, display: !compact } },
      scales: {
        x: axis(palette, compact ? '' : 'time step', { type: 'linear', min: 0, max: Math.max(steps - 1, 1) }),
        y: axis(palette, compact ? '' : featureName),
      },
    },
    plugins: [errorShading(bands, steps, palette)],
  });
}

/** Draws one band per bucket of steps, its opacity proportional to the bucket's worst step error. */
function errorShading(bands: { start: number; end: number; value: number }[], steps: number, palette: Palette): Plugin<'line'> {
  const worst = Math.max(0, ...bands.map((b) => (Number.isFinite(b.value) ? b.value : 0)));
  return {
    id: 'tsaeErrorShading',
    beforeDatasetsDraw(chart) {
      if (!(worst > 0) || steps === 0) return;
      const { ctx, chartArea, scales } = chart;
      const x = scales.x;
      ctx.save();
      for (const band of bands) {
        const share = Number.isFinite(band.value) ? band.value / worst : 1;
        if (share <= 0.02) continue;
        const left = x.getPixelForValue(band.start - 0.5);
        const right = x.getPixelForValue(band.end + 0.5);
        ctx.fillStyle = withAlpha(palette.red, 0.45 * share);
        ctx.fillRect(Math.max(left, chartArea.left), chartArea.top, Math.min(right, chartArea.right) - Math.max(left, chartArea.left), chartArea.height);
      }
      ctx.restore();
    },
  };
}
