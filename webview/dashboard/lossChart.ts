// Train and validation loss per epoch on a log axis, the learning rate on a second axis. Updated
// in place on every epoch (no re-creation), re-created on theme change.

import type { EpochMetrics } from '../../src/core/run/types';
import { pointRadius } from '../lib/axes';
import type { Palette } from '../lib/colour';
import { lttb, type Point } from '../lib/decimate';
import { formatNumber } from '../../src/core/format';
import { constantLearningRate } from '../lib/metrics';
import { axis, baseOptions, Chart, positiveOrNull } from '../shared/charts';

export interface LossSeries {
  label: string;
  metrics: readonly EpochMetrics[];
  /** Dashed lines: the run being compared against. */
  dashed?: boolean;
}

/** Loss points for a log axis: non-positive and NaN losses become gaps; long runs are decimated. */
export function lossPoints(metrics: readonly EpochMetrics[], pick: (m: EpochMetrics) => number | null): Array<{ x: number; y: number | null }> {
  const all = metrics.map((m) => ({ x: m.epoch, y: positiveOrNull(pick(m)) }));
  // LTTB needs numbers; gaps are decimated as 0 and restored as null (a gap stays a gap).
  const kept = lttb(all.map((p): Point => ({ x: p.x, y: p.y ?? 0 })));
  return kept.length === all.length ? all : kept.map((p) => ({ x: p.x, y: p.y > 0 ? p.y : null }));
}

export class LossChart {
  private chart: Chart<'line', Array<{ x: number; y: number | null }>> | undefined;

  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly container: HTMLElement,
    private palette: Palette,
    private readonly showLearningRate: boolean,
    /** Where to say that the learning rate was constant. */
    private readonly captionElement?: HTMLElement,
  ) {}

  private series: LossSeries[] = [];
  private drawnWithLr = false;

  set(series: LossSeries[]): void {
    this.series = series;
    this.draw();
  }

  /** A learning rate that never changed gets a caption instead of an axis (a flat line on a log axis reads badly). */
  private lrVaries(): boolean {
    return this.showLearningRate && this.series[0] !== undefined && constantLearningRate(this.series[0].metrics) === undefined;
  }

  setPalette(palette: Palette): void {
    this.palette = palette;
    this.draw();
  }

  /** The first series grew by an epoch (it is the live run's metrics array). */
  refresh(): void {
    // The learning-rate axis appears once the rate first changes; that needs new scales.
    if (!this.chart || this.lrVaries() !== this.drawnWithLr) return this.draw();
    this.chart.data.datasets = this.datasets();
    this.chart.update('none');
    this.markEpochs();
  }

  private draw(): void {
    this.chart?.destroy();
    this.drawnWithLr = this.lrVaries();
    const p = this.palette;
    const options = baseOptions<'line'>(p);
    this.chart = new Chart(this.canvas, {
      type: 'line',
      data: { datasets: this.datasets() },
      options: {
        ...options,
        parsing: false,
        spanGaps: false,
        interaction: { mode: 'nearest', axis: 'x', intersect: false },
        scales: {
          x: axis(p, 'epoch', { type: 'linear', ticks: { color: p.foreground, precision: 0 } }),
          y: axis(p, 'loss (log)', { type: 'logarithmic', position: 'left' }),
          ...(this.drawnWithLr ? { lr: axis(p, 'learning rate', { type: 'logarithmic', position: 'right', grid: { drawOnChartArea: false } }) } : {}),
        },
      },
    });
    this.markEpochs();
  }

  private datasets() {
    const p = this.palette;
    const sets = [];
    for (const s of this.series) {
      const dash = s.dashed ? [6, 4] : [];
      const prefix = this.series.length > 1 ? `${s.label} ` : '';
      sets.push(
        // The first epochs are points: one epoch alone is no line.
        {
          label: `${prefix}train loss`,
          data: lossPoints(s.metrics, (m) => m.loss),
          borderColor: p.blue,
          backgroundColor: p.blue,
          borderDash: dash,
          borderWidth: 1.5,
          pointRadius: pointRadius(s.metrics.length),
          yAxisID: 'y',
        },
        {
          label: `${prefix}validation loss`,
          data: lossPoints(s.metrics, (m) => m.valLoss),
          borderColor: p.orange,
          backgroundColor: p.orange,
          borderDash: dash,
          borderWidth: 1.5,
          pointRadius: pointRadius(s.metrics.length),
          yAxisID: 'y',
        },
      );
    }
    if (this.drawnWithLr && this.series[0]) {
      sets.push({
        label: 'learning rate',
        data: lossPoints(this.series[0].metrics, (m) => m.lr),
        borderColor: this.palette.purple,
        backgroundColor: this.palette.purple,
        borderDash: [2, 2],
        borderWidth: 1,
        pointRadius: 0,
        yAxisID: 'lr',
      });
    }
    return sets;
  }

  /** The e2e suite waits on this attribute to know how many epochs the chart holds. */
  private markEpochs(): void {
    this.container.dataset.epochs = String(this.series[0]?.metrics.length ?? 0);
    const constant = this.series[0] ? constantLearningRate(this.series[0].metrics) : undefined;
    if (this.captionElement) this.captionElement.textContent = constant !== undefined ? `Learning rate ${formatNumber(constant)} throughout.` : '';
  }
}
