// Two smaller charts that back the runtime detectors with evidence: gradient norm per layer per
// epoch (vanishing or exploding gradients, TSAE206) and the distribution of per-window
// reconstruction errors, validation windows against held-out (anomalous) ones, with the
// training error quantiles `tsae eval` uses as thresholds.

import type { EpochMetrics, ErrorQuantiles, WindowReconstruction } from '../../src/core/run/types';
import { categoryColour, withAlpha, type Palette } from '../lib/colour';
import { formatNumber } from '../../src/core/format';
import { gradNormSeries, sharedHistogram } from '../lib/metrics';
import { labelRows, logFloor, pointRadius } from '../lib/axes';
import { axis, baseOptions, Chart } from '../shared/charts';
import { byId } from '../shared/dom';

export class GradientChart {
  private chart: Chart<'line', Array<{ x: number; y: number | null }>> | undefined;
  private metrics: readonly EpochMetrics[] = [];
  private layers: string[] = [];
  /** Log by default (norms span decades); linear shows exact zeros where they are. */
  private log = true;

  constructor(private palette: Palette) {
    const toggle = byId<HTMLButtonElement>('grad-scale');
    toggle.addEventListener('click', () => {
      this.log = !this.log;
      toggle.textContent = this.log ? 'Linear axis' : 'Log axis';
      this.draw();
    });
  }

  set(metrics: readonly EpochMetrics[]): void {
    this.metrics = metrics;
    this.draw();
  }

  setPalette(palette: Palette): void {
    this.palette = palette;
    this.draw();
  }

  /** The metrics array grew by an epoch; redraw only when a new layer appeared or a zero needs the floor moved. */
  refresh(): void {
    const series = gradNormSeries(this.metrics);
    if (!this.chart || series.map((s) => s.layer).join('\n') !== this.layers.join('\n')) return this.draw();
    this.draw();
  }

  /** Per layer, each epoch's norm: exact zeros kept (a dead layer's signal), missing epochs null. */
  private layerValues(layer: string): Array<{ x: number; y: number | null }> {
    return this.metrics.map((m) => {
      const v = m.gradNorms?.[layer];
      return { x: m.epoch, y: v !== undefined && Number.isFinite(v) && v >= 0 ? v : null };
    });
  }

  private draw(): void {
    this.chart?.destroy();
    this.chart = undefined;
    const series = gradNormSeries(this.metrics);
    this.layers = series.map((s) => s.layer);
    byId('grad-block').hidden = series.length === 0;
    if (series.length === 0) return;
    const p = this.palette;
    const options = baseOptions<'line'>(p);
    const values = this.layers.map((layer) => this.layerValues(layer));
    // On a log axis zeros sit on a floor a decade below the smallest norm, drawn as triangles.
    const floor = logFloor(values.flat().map((v) => v.y));
    const radius = pointRadius(this.metrics.length);
    this.chart = new Chart(byId<HTMLCanvasElement>('grad-chart'), {
      type: 'line',
      data: {
        datasets: this.layers.map((layer, i) => {
          const points = values[i];
          const zero = points.map((pt) => pt.y === 0);
          return {
            label: layer,
            data: this.log ? points.map((pt) => ({ x: pt.x, y: pt.y === 0 ? floor : pt.y })) : points,
            borderColor: categoryColour(p, i),
            backgroundColor: categoryColour(p, i),
            borderWidth: 1.5,
            pointRadius: zero.map((z) => (z ? 5 : radius)),
            pointStyle: zero.map((z) => (z ? 'triangle' : 'circle')),
          };
        }),
      },
      options: {
        ...options,
        parsing: false,
        spanGaps: true,
        plugins: {
          ...options.plugins,
          tooltip: {
            intersect: false,
            mode: 'nearest',
            callbacks: {
              // A zero drawn on the log floor still reads as 0.
              label: (item) => `${item.dataset.label ?? ''}: ${values[item.datasetIndex]?.[item.dataIndex]?.y === 0 ? '0 (no gradient)' : formatNumber(item.parsed.y)}`,
            },
          },
        },
        scales: {
          x: axis(p, 'epoch', { type: 'linear', ticks: { color: p.foreground, precision: 0 } }),
          y: this.log ? axis(p, 'norm (log, ▲ = 0)', { type: 'logarithmic' }) : axis(p, 'gradient norm', { type: 'linear', beginAtZero: true }),
        },
      },
    });
  }
}

/** Bins in the error histogram: enough to see two modes, few enough that 200 windows fill them. */
const ERROR_BINS = 30;
/** Threshold quantiles drawn as vertical lines, when the run recorded them. */
const THRESHOLD_QUANTILES = ['0.95', '0.99'];

export class ErrorHistogram {
  private chart: Chart<'line'> | undefined;
  private windows: readonly Pick<WindowReconstruction, 'error' | 'heldOut'>[] = [];
  private thresholds: ErrorQuantiles | undefined;

  constructor(private palette: Palette) {}

  /** Every ranked window's error (reconstructions.json's ranking, else its windows). */
  set(windows: readonly Pick<WindowReconstruction, 'error' | 'heldOut'>[], thresholds: ErrorQuantiles | undefined): void {
    this.windows = windows;
    this.thresholds = thresholds;
    this.draw();
  }

  setPalette(palette: Palette): void {
    this.palette = palette;
    this.draw();
  }

  private draw(): void {
    this.chart?.destroy();
    this.chart = undefined;
    const validation = this.windows.filter((w) => !w.heldOut).map((w) => w.error);
    const heldOut = this.windows.filter((w) => w.heldOut).map((w) => w.error);
    byId('error-block').hidden = this.windows.length === 0;
    if (this.windows.length === 0) return;
    const [validationBins, heldOutBins] = sharedHistogram([validation, heldOut], ERROR_BINS);
    const p = this.palette;
    const options = baseOptions<'line'>(p);
    // A filled step line per group: overlaid histograms stay readable where bars would hide each other.
    const steps = (bins: typeof validationBins) => bins.map((b) => ({ x: (b.from + b.to) / 2, y: b.count }));
    const lines = THRESHOLD_QUANTILES.flatMap((q) => {
      const value = this.thresholds?.quantiles[q];
      return value !== undefined && Number.isFinite(value) ? [{ q, value }] : [];
    });
    const group = (label: string, bins: typeof validationBins, colour: string) => ({
      label,
      data: steps(bins),
      stepped: 'middle' as const,
      fill: 'origin' as const,
      backgroundColor: withAlpha(colour, 0.35),
      borderColor: colour,
      borderWidth: 1.5,
      pointRadius: 0,
    });
    this.chart = new Chart(byId<HTMLCanvasElement>('error-chart'), {
      type: 'line',
      data: {
        datasets: [
          group(`validation windows (${validation.length})`, validationBins, p.blue),
          ...(heldOut.length > 0 ? [group(`held-out windows (${heldOut.length})`, heldOutBins, p.red)] : []),
        ],
      },
      options: {
        ...options,
        parsing: false,
        plugins: {
          ...options.plugins,
          tooltip: { callbacks: { title: (items) => (items[0] ? `error ≈ ${formatNumber((items[0].raw as { x: number }).x)}` : '') } },
        },
        scales: {
          x: axis(
            p,
            lines.length > 0 ? `reconstruction error (MSE, scaled); dashed: training quantiles ${lines.map((l) => l.q).join(', ')}` : 'reconstruction error (MSE, scaled)',
            { type: 'linear' },
          ),
          y: axis(p, 'windows', { beginAtZero: true, ticks: { color: p.foreground, precision: 0 } }),
        },
      },
      plugins: [
        {
          id: 'tsaeThresholds',
          afterDatasetsDraw(chart) {
            const { ctx, chartArea, scales } = chart;
            ctx.save();
            ctx.strokeStyle = p.yellow;
            ctx.fillStyle = p.yellow;
            ctx.setLineDash([4, 3]);
            const shown = lines
              .map((line) => ({ ...line, x: scales.x.getPixelForValue(line.value), text: `q${line.q} = ${formatNumber(line.value)}` }))
              .filter((l) => l.x >= chartArea.left && l.x <= chartArea.right);
            // Close quantiles get their labels on separate rows instead of printing over each other.
            const rows = labelRows(
              shown.map((l) => l.x + 3),
              shown.map((l) => ctx.measureText(l.text).width),
            );
            shown.forEach((line, i) => {
              ctx.beginPath();
              ctx.moveTo(line.x, chartArea.top);
              ctx.lineTo(line.x, chartArea.bottom);
              ctx.stroke();
              ctx.fillText(line.text, line.x + 3, chartArea.top + 10 + 12 * rows[i]);
            });
            ctx.restore();
          },
        },
      ],
    });
  }
}
