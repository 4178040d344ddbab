// Series derived from metrics.jsonl for the loss section: gradient norms per layer, and whether
// the learning rate changed at all (a constant rate gets a caption, not an axis of its own).

import type { EpochMetrics } from '../../src/core/run/types';

export interface LayerSeries {
  layer: string;
  /** One point per epoch; null where the layer's norm was not measured or is not positive (log axis). */
  points: Array<{ x: number; y: number | null }>;
}

/** Gradient norm per trainable layer across epochs, layers in first-seen order; [] when never measured. */
export function gradNormSeries(metrics: readonly EpochMetrics[]): LayerSeries[] {
  const layers: string[] = [];
  for (const m of metrics) for (const layer of Object.keys(m.gradNorms ?? {})) if (!layers.includes(layer)) layers.push(layer);
  return layers.map((layer) => ({
    layer,
    points: metrics.map((m) => {
      const v = m.gradNorms?.[layer];
      return { x: m.epoch, y: v !== undefined && Number.isFinite(v) && v > 0 ? v : null };
    }),
  }));
}

/** The single learning rate of a run that never changed it, else undefined. */
export function constantLearningRate(metrics: readonly EpochMetrics[]): number | undefined {
  if (metrics.length === 0) return undefined;
  const first = metrics[0].lr;
  return metrics.every((m) => m.lr === first) ? first : undefined;
}

export interface HistogramBin {
  /** Lower and upper edge of the bin. */
  from: number;
  to: number;
  count: number;
}

/**
 * Equal-width bins over [min, max] of the finite values of every group, so groups (validation vs
 * held-out windows) share the bins and can be overlaid. The last bin includes its upper edge.
 */
export function sharedHistogram(groups: ReadonlyArray<readonly number[]>, bins: number): HistogramBin[][] {
  const finite = groups.map((g) => g.filter((v) => Number.isFinite(v)));
  const all = finite.flat();
  if (all.length === 0 || bins < 1) return groups.map(() => []);
  const min = Math.min(...all);
  const max = Math.max(...all);
  const width = max > min ? (max - min) / bins : 1;
  const count = max > min ? bins : 1;
  return finite.map((values) => {
    const result: HistogramBin[] = Array.from({ length: count }, (_, i) => ({ from: min + i * width, to: min + (i + 1) * width, count: 0 }));
    for (const v of values) result[Math.min(Math.floor((v - min) / width), count - 1)].count++;
    return result;
  });
}
