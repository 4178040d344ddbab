// Window statistics shared by the detectors that compare reconstructions with what the model was
// asked to reproduce. Every function tolerates ragged, empty or non-finite input by skipping the
// offending windows, because the sample comes from a model that may be diverging.

import type { DetectorInput } from './types';

/** One window of the target and the model's output, equal shapes, [time][feature], all finite. */
export interface WindowPair {
  target: number[][];
  output: number[][];
}

/** Below this a window's variance counts as flat: ratios against it would only amplify noise. */
const FLAT_VARIANCE = 1e-12;

export function pairedWindows(input: DetectorInput): WindowPair[] {
  const targets = input.targets ?? input.inputs;
  const outputs = input.outputs;
  if (!Array.isArray(targets) || !Array.isArray(outputs)) return [];
  const pairs: WindowPair[] = [];
  const count = Math.min(targets.length, outputs.length);
  for (let w = 0; w < count; w++) {
    const target = targets[w];
    const output = outputs[w];
    if (isFiniteMatrix(target) && isFiniteMatrix(output) && sameShape(target, output)) pairs.push({ target, output });
  }
  return pairs;
}

export function isFiniteMatrix(value: unknown): value is number[][] {
  if (!Array.isArray(value) || value.length === 0) return false;
  const width = Array.isArray(value[0]) ? value[0].length : 0;
  if (width === 0) return false;
  return value.every((row) => Array.isArray(row) && row.length === width && row.every((v) => typeof v === 'number' && Number.isFinite(v)));
}

function sameShape(a: number[][], b: number[][]): boolean {
  return a.length === b.length && a[0].length === b[0].length;
}

function columnMean(window: number[][], feature: number): number {
  let sum = 0;
  for (const row of window) sum += row[feature];
  return sum / window.length;
}

function columnVariance(window: number[][], feature: number): number {
  const mean = columnMean(window, feature);
  let sum = 0;
  for (const row of window) sum += (row[feature] - mean) ** 2;
  return sum / window.length;
}

function columnRange(window: number[][], feature: number): number {
  let lo = Infinity;
  let hi = -Infinity;
  for (const row of window) {
    lo = Math.min(lo, row[feature]);
    hi = Math.max(hi, row[feature]);
  }
  return hi - lo;
}

/**
 * var_t(output) / var_t(target), pooled over windows (sum of variances over sum of variances)
 * per feature, then averaged over features. A model that emits the window mean scores 0, a
 * faithful one about 1. Pooling keeps nearly flat windows, where any wiggle is a huge ratio,
 * from dominating: in a real relu-bottleneck run the mean of per-window ratios was 6.3 while
 * the pooled ratio was 0.39.
 */
export function meanVarianceRatio(pairs: WindowPair[]): number | undefined {
  return pooledRatio(pairs, columnVariance);
}

/** range_t(output) / range_t(target), pooled over windows per feature, averaged over features. */
export function meanRangeRatio(pairs: WindowPair[]): number | undefined {
  return pooledRatio(pairs, columnRange);
}

function pooledRatio(pairs: WindowPair[], statistic: (window: number[][], feature: number) => number): number | undefined {
  if (pairs.length === 0) return undefined;
  const features = pairs[0].target[0].length;
  let sum = 0;
  let used = 0;
  for (let f = 0; f < features; f++) {
    let output = 0;
    let target = 0;
    for (const p of pairs) {
      if (p.target[0].length !== features) continue;
      output += statistic(p.output, f);
      target += statistic(p.target, f);
    }
    const ratio = output / target;
    if (target > FLAT_VARIANCE && Number.isFinite(ratio)) {
      sum += ratio;
      used++;
    }
  }
  return used > 0 ? sum / used : undefined;
}

/**
 * How much of the largest excursions survives reconstruction. Deviations are taken from each
 * window's own target mean (so minmax data, whose peaks sit near 1 rather than far from 0, is
 * treated like standardised data); the `topFraction` largest |deviations| over all windows are
 * the peaks, and the result is sum(output deviation in the peak's direction) / sum(|peak|):
 * 1 when peaks are reproduced, 0 when the output is flat there.
 */
export function peakRecoveryRatio(pairs: WindowPair[], topFraction: number): number | undefined {
  const peaks: Array<{ magnitude: number; recovered: number }> = [];
  for (const p of pairs) {
    for (let f = 0; f < p.target[0].length; f++) {
      const mean = columnMean(p.target, f);
      for (let t = 0; t < p.target.length; t++) {
        const deviation = p.target[t][f] - mean;
        peaks.push({ magnitude: Math.abs(deviation), recovered: (p.output[t][f] - mean) * Math.sign(deviation) });
      }
    }
  }
  if (peaks.length === 0) return undefined;
  peaks.sort((a, b) => b.magnitude - a.magnitude);
  const top = peaks.slice(0, Math.max(1, Math.ceil(peaks.length * topFraction)));
  const magnitude = top.reduce((s, p) => s + p.magnitude, 0);
  if (magnitude * magnitude <= FLAT_VARIANCE) return undefined;
  return top.reduce((s, p) => s + p.recovered, 0) / magnitude;
}

/**
 * Variance of the target values around each feature's mean over the whole sample, averaged over
 * features: the MSE of a model that always predicts the mean, the floor any model must beat.
 */
export function targetVariance(pairs: WindowPair[]): number | undefined {
  if (pairs.length === 0) return undefined;
  const features = pairs[0].target[0].length;
  let total = 0;
  let used = 0;
  for (let f = 0; f < features; f++) {
    let sum = 0;
    let sumSq = 0;
    let n = 0;
    for (const p of pairs) {
      if (p.target[0].length !== features) continue;
      for (const row of p.target) {
        sum += row[f];
        sumSq += row[f] * row[f];
        n++;
      }
    }
    if (n === 0) continue;
    const mean = sum / n;
    total += Math.max(0, sumSq / n - mean * mean);
    used++;
  }
  return used > 0 ? total / used : undefined;
}

/** Mean squared error between outputs and targets over the sample. */
export function reconstructionMse(pairs: WindowPair[]): number | undefined {
  let sum = 0;
  let n = 0;
  for (const p of pairs) {
    for (let t = 0; t < p.target.length; t++) {
      for (let f = 0; f < p.target[t].length; f++) {
        sum += (p.output[t][f] - p.target[t][f]) ** 2;
        n++;
      }
    }
  }
  return n > 0 ? sum / n : undefined;
}

/** Fraction of target values outside [lo, hi] (by more than a rounding margin). */
export function fractionOutside(pairs: WindowPair[], lo: number, hi: number): number | undefined {
  const margin = 1e-6;
  let outside = 0;
  let n = 0;
  for (const p of pairs) {
    for (const row of p.target) {
      for (const v of row) {
        if (v < lo - margin || v > hi + margin) outside++;
        n++;
      }
    }
  }
  return n > 0 ? outside / n : undefined;
}

/**
 * Share of the target's variance that lies within windows: mean over windows of var_t divided by
 * the variance over the whole sample, per feature, averaged over features. Near 0 the windows
 * are flat stretches at different levels (short windows of a slow sensor), so what moves inside
 * a window is mostly noise and its "peaks" are not something a model should reproduce.
 */
export function withinWindowShare(pairs: WindowPair[]): number | undefined {
  const total = targetVariance(pairs);
  if (total === undefined || !(total > FLAT_VARIANCE) || pairs.length === 0) return undefined;
  const features = pairs[0].target[0].length;
  let within = 0;
  let n = 0;
  for (const p of pairs) {
    if (p.target[0].length !== features) continue;
    for (let f = 0; f < features; f++) within += columnVariance(p.target, f);
    n++;
  }
  return n > 0 ? within / n / features / total : undefined;
}

/**
 * Windows whose inner movement is under a tenth of the signal's variance are flat stretches at
 * different levels: a flat reconstruction of them keeps the level, which is most of the signal,
 * and their peaks are noise. Calibration: art_daily 48-step windows 0.22; pitfall 04 (5 steps)
 * 0.015 and pitfall 05 (10 steps) 0.066, where even cured models "missed" the peaks.
 */
export const MIN_WITHIN_WINDOW_SHARE = 0.1;

/** True when what moves inside the windows is a material share of the signal (see MIN_WITHIN_WINDOW_SHARE). */
export function windowsMoveMaterially(pairs: WindowPair[]): boolean {
  const share = withinWindowShare(pairs);
  return share !== undefined && share >= MIN_WITHIN_WINDOW_SHARE;
}

/**
 * The share of the target's variance that is step-to-step noise, estimated from first differences:
 * white noise of variance s^2 gives differences of variance 2 s^2, while a signal that moves slowly
 * against the sampling adds little to them. Half the mean squared difference over the variance of
 * the whole sample, per feature, averaged over features. A signal's own fast movement counts as
 * noise here, so the estimate errs high: a floor that a model cannot be blamed for missing.
 */
export function noiseShare(pairs: WindowPair[]): number | undefined {
  if (pairs.length === 0) return undefined;
  const features = pairs[0].target[0].length;
  let sum = 0;
  let used = 0;
  for (let f = 0; f < features; f++) {
    let diffs = 0;
    let steps = 0;
    let total = 0;
    let squares = 0;
    let values = 0;
    for (const p of pairs) {
      if (p.target[0].length !== features) continue;
      for (let t = 0; t < p.target.length; t++) {
        const v = p.target[t][f];
        total += v;
        squares += v * v;
        values++;
        if (t > 0) {
          diffs += (v - p.target[t - 1][f]) ** 2;
          steps++;
        }
      }
    }
    if (steps === 0 || values === 0) continue;
    const variance = squares / values - (total / values) ** 2;
    if (!(variance > FLAT_VARIANCE)) continue;
    sum += Math.min(1, diffs / steps / 2 / variance);
    used++;
  }
  return used > 0 ? sum / used : undefined;
}
