// Per-layer gradient norms over every batch of an epoch, summarised for metrics.jsonl: the mean
// (what the charts draw), the extremes and how often a norm was exactly zero or not finite. A
// single batch hides both an explosion in the middle of an epoch and a layer that never gets a
// gradient at all, which are what TSAE206 and the diagnosis look for.

import type { EpochMetrics, GradientStats } from '../run/types';

interface Running {
  sum: number;
  finite: number;
  max: number;
  min: number;
  zeros: number;
  nonFinite: number;
  batches: number;
}

export class GradientStatsCollector {
  private readonly layers = new Map<string, Running>();

  add(norms: Record<string, number>): void {
    for (const [layer, norm] of Object.entries(norms)) {
      let r = this.layers.get(layer);
      if (!r) this.layers.set(layer, (r = { sum: 0, finite: 0, max: -Infinity, min: Infinity, zeros: 0, nonFinite: 0, batches: 0 }));
      r.batches++;
      if (!Number.isFinite(norm)) {
        r.nonFinite++;
        continue;
      }
      r.sum += norm;
      r.finite++;
      r.max = Math.max(r.max, norm);
      r.min = Math.min(r.min, norm);
      if (norm === 0) r.zeros++;
    }
  }

  /** `gradNorms` (means) and `gradStats` for the epoch's metrics; empty when nothing was measured. */
  summary(): Pick<EpochMetrics, 'gradNorms' | 'gradStats'> {
    if (this.layers.size === 0) return {};
    const gradNorms: Record<string, number> = {};
    const gradStats: Record<string, GradientStats> = {};
    for (const [layer, r] of this.layers) {
      // JSON has no NaN or Infinity: a layer without a finite norm has its statistics over the
      // finite batches (none: 0) and says how many were not finite.
      const mean = r.finite > 0 ? r.sum / r.finite : 0;
      if (r.finite > 0) gradNorms[layer] = mean;
      gradStats[layer] = {
        mean,
        max: r.finite > 0 ? r.max : 0,
        min: r.finite > 0 ? r.min : 0,
        zeroFraction: r.zeros / r.batches,
        nonFinite: r.nonFinite,
        batches: r.batches,
      };
    }
    return { gradNorms, gradStats };
  }
}
