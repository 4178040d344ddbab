// The latent section: a heatmap of windows x latent units (chartjs-chart-matrix) with dead units
// hatched, outlined and labelled "dead", and the 2-D PCA projection of the vectors by label.

import type { LatentsFile } from '../../src/core/run/types';
import { categoryColour, withAlpha, type Palette } from '../lib/colour';
import { formatNumber } from '../../src/core/format';
import { heatmap, projectLatents, unitLabel, type HeatmapCell } from '../lib/latentPlot';
import { axis, baseOptions, Chart } from '../shared/charts';
import { byId } from '../shared/dom';

export class LatentView {
  private latents: LatentsFile | null = null;
  private heatmapChart: Chart<'matrix'> | undefined;
  private pcaChart: Chart<'scatter'> | undefined;

  constructor(private palette: Palette) {}

  set(latents: LatentsFile | null): void {
    this.latents = latents;
    this.render();
  }

  setPalette(palette: Palette): void {
    this.palette = palette;
    this.render();
  }

  private render(): void {
    this.heatmapChart?.destroy();
    this.pcaChart?.destroy();
    this.heatmapChart = this.pcaChart = undefined;
    const latents = this.latents;
    const empty = !latents || latents.vectors.length === 0 || (latents.vectors[0]?.length ?? 0) === 0;
    byId('latent-empty').hidden = !empty;
    byId('section-latent').classList.toggle('empty', empty);
    if (!latents || empty) {
      byId('dead-units').textContent = '';
      return;
    }
    this.drawHeatmap(latents);
    this.drawPca(latents);
  }

  private drawHeatmap(latents: LatentsFile): void {
    const p = this.palette;
    const map = heatmap(latents.vectors);
    const units = map.units.length;
    const dead = map.units.filter((u) => u.dead);
    byId('dead-units').textContent =
      dead.length === 0
        ? `${units} latent units, none dead.`
        : `${dead.length} of ${units} latent units dead: ${dead.map((u) => `u${u.unit} (${u.dead === 'zero' ? 'always 0' : 'constant'})`).join(', ')}.`;
    // The colour scale: blue for negative, red for positive activations, faint near 0.
    byId('latent-scale-min').textContent = formatNumber(-map.scale);
    byId('latent-scale-max').textContent = formatNumber(map.scale);
    byId('latent-scale-bar').style.background =
      `linear-gradient(to right, ${cellColour(-map.scale, map.scale, p)}, ${cellColour(0, map.scale, p)}, ${cellColour(map.scale, map.scale, p)})`;
    const hatch = hatchPattern(p);
    const isDead = (cell: HeatmapCell): boolean => map.units[cell.x]?.dead != null;
    const options = baseOptions<'matrix'>(p);
    this.heatmapChart = new Chart(byId<HTMLCanvasElement>('latent-heatmap'), {
      type: 'matrix',
      data: {
        datasets: [
          {
            label: 'latent activation',
            data: map.cells,
            backgroundColor: (ctx) => {
              const cell = ctx.raw as HeatmapCell | undefined;
              if (!cell) return 'transparent';
              if (isDead(cell)) return hatch ?? withAlpha(p.muted, 0.3);
              return cellColour(cell.v, map.scale, p);
            },
            borderColor: (ctx) => (ctx.raw && isDead(ctx.raw as HeatmapCell) ? p.red : 'transparent'),
            borderWidth: (ctx) => (ctx.raw && isDead(ctx.raw as HeatmapCell) ? 1 : 0),
            width: ({ chart }) => Math.max((chart.chartArea?.width ?? 0) / Math.max(units, 1) - 1, 1),
            // Half a pixel of overlap: fractional heights would otherwise leave anti-aliased seams between rows.
            height: ({ chart }) => Math.max((chart.chartArea?.height ?? 0) / Math.max(map.rows.length, 1) + 0.5, 1),
          },
        ],
      },
      options: {
        ...options,
        plugins: {
          ...options.plugins,
          legend: { display: false },
          tooltip: {
            callbacks: {
              title: (items) => {
                const cell = items[0]?.raw as HeatmapCell | undefined;
                return cell ? `window #${latents.indices[map.rows[cell.y]] ?? cell.y}, ${unitLabel(map.units[cell.x])}` : '';
              },
              label: (item) => `activation ${formatNumber((item.raw as HeatmapCell).v)}`,
            },
          },
        },
        scales: {
          x: axis(p, 'latent unit', {
            type: 'linear',
            offset: false,
            min: -0.5,
            max: units - 0.5,
            // One tick per unit at the cell centres (the generated "nice" ticks fall between cells).
            afterBuildTicks: (scale: { ticks: Array<{ value: number }> }) => {
              scale.ticks = map.units.map((u) => ({ value: u.unit }));
            },
            ticks: {
              // Every unit is labelled while the labels fit; wide latents fall back to skipping (dead ones stay hatched).
              autoSkip: units > 32,
              color: (ctx: { tick: { value: number } }) => (map.units[ctx.tick.value]?.dead ? p.red : p.foreground),
              callback: (value: number | string) => {
                const unit = map.units[Number(value)];
                return unit && Number.isInteger(Number(value)) ? unitLabel(unit) : '';
              },
            },
            grid: { display: false },
          }),
          y: axis(p, 'window (sampled)', {
            type: 'linear',
            offset: false,
            reverse: true,
            min: -0.5,
            max: map.rows.length - 0.5,
            ticks: { display: false },
            grid: { display: false },
          }),
        },
      },
    });
  }

  private drawPca(latents: LatentsFile): void {
    const p = this.palette;
    const projection = projectLatents(latents.vectors, latents.indices, latents.labels, latents.sets);
    const options = baseOptions<'scatter'>(p);
    const pct = (v: number): string => `${(v * 100).toFixed(1)}%`;
    this.pcaChart = new Chart(byId<HTMLCanvasElement>('pca-chart'), {
      type: 'scatter',
      data: {
        datasets: projection.groups.map((g, i) => ({
          label: g.label,
          data: g.points,
          backgroundColor: withAlpha(categoryColour(p, i), 0.75),
          borderColor: categoryColour(p, i),
          pointRadius: 3,
        })),
      },
      options: {
        ...options,
        parsing: false,
        plugins: {
          ...options.plugins,
          tooltip: {
            callbacks: { label: (item) => `window #${(item.raw as { window: number }).window} (${item.dataset.label ?? ''})` },
          },
        },
        scales: {
          // Grace keeps the outermost points whole instead of half-clipped at the border.
          x: axis(p, `PC1 (${pct(projection.explained[0])} of variance)`, { type: 'linear', grace: '5%' }),
          y: axis(p, `PC2 (${pct(projection.explained[1])} of variance)`, { type: 'linear', grace: '5%' }),
        },
      },
    });
  }
}

/** Diverging scale: negative activations blue, positive red, the strength by |v| / scale. */
export function cellColour(v: number, scale: number, p: Palette): string {
  if (!Number.isFinite(v)) return p.yellow;
  if (!(scale > 0)) return withAlpha(p.muted, 0.15);
  const strength = Math.min(Math.abs(v) / scale, 1);
  return withAlpha(v < 0 ? p.blue : p.red, 0.08 + 0.92 * strength);
}

/** Diagonal stripes for dead units; undefined where canvas patterns are unavailable. */
function hatchPattern(p: Palette): CanvasPattern | undefined {
  const tile = document.createElement('canvas');
  tile.width = tile.height = 8;
  const c = tile.getContext('2d');
  if (!c) return undefined;
  c.fillStyle = withAlpha(p.muted, 0.15);
  c.fillRect(0, 0, 8, 8);
  c.strokeStyle = withAlpha(p.red, 0.8);
  c.lineWidth = 1.5;
  c.beginPath();
  c.moveTo(-2, 10);
  c.lineTo(10, -2);
  c.moveTo(6, 10);
  c.lineTo(10, 6);
  c.moveTo(-2, 2);
  c.lineTo(2, -2);
  c.stroke();
  return c.createPattern(tile, 'repeat') ?? undefined;
}
