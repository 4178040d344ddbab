// Per-feature scaling. Parameters are fitted on training data only (fitting on validation or
// held-out anomalies would leak their statistics into the model) and saved as a ScalerFile so
// `tsae eval` and the panels can map values back to original units.

import type { Scaling } from '../config/types';
import type { ScalerFile } from '../run/types';

/** Keeps constant features (std 0 or max == min) from dividing by zero. */
export const SCALE_FLOOR = 1e-8;

type NumericArray = Float32Array | Float64Array | number[];

export interface ScalerSpec {
  kind: Scaling;
  features: string[];
  /** minmax target range. */
  range: [number, number];
  differencing: 0 | 1;
}

/**
 * Fit per-feature parameters on `values` laid out [row][feature]. With `useRow`, only rows whose
 * flag is 1 count, which is how the training split is selected without copying it.
 */
export function fitScaler(spec: ScalerSpec, values: ArrayLike<number>, useRow?: Uint8Array): ScalerFile {
  const featureCount = spec.features.length;
  const base: ScalerFile = { kind: spec.kind, features: [...spec.features], differencing: spec.differencing };
  if (spec.kind === 'none') return base;
  const rows = Math.floor(values.length / featureCount);
  if (spec.kind === 'standard') {
    // Two passes (mean, then squared deviations) for accuracy on large offsets such as 85 degrees.
    const mean = new Float64Array(featureCount);
    let used = 0;
    for (let r = 0; r < rows; r++) {
      if (useRow && !useRow[r]) continue;
      used++;
      for (let f = 0; f < featureCount; f++) mean[f] += values[r * featureCount + f];
    }
    for (let f = 0; f < featureCount; f++) mean[f] /= Math.max(used, 1);
    const variance = new Float64Array(featureCount);
    for (let r = 0; r < rows; r++) {
      if (useRow && !useRow[r]) continue;
      for (let f = 0; f < featureCount; f++) {
        const d = values[r * featureCount + f] - mean[f];
        variance[f] += d * d;
      }
    }
    const std = Array.from(variance, (v) => Math.max(Math.sqrt(v / Math.max(used, 1)), SCALE_FLOOR));
    return { ...base, mean: Array.from(mean), std };
  }
  const min = new Array<number>(featureCount).fill(Infinity);
  const max = new Array<number>(featureCount).fill(-Infinity);
  for (let r = 0; r < rows; r++) {
    if (useRow && !useRow[r]) continue;
    for (let f = 0; f < featureCount; f++) {
      const v = values[r * featureCount + f];
      if (v < min[f]) min[f] = v;
      if (v > max[f]) max[f] = v;
    }
  }
  return { ...base, min, max, range: [spec.range[0], spec.range[1]] };
}

/** Scale `values` ([row][feature], feature count from the scaler) in place; returns them. */
export function applyScaler<T extends NumericArray>(scaler: ScalerFile, values: T): T {
  const [scale, shift] = affine(scaler);
  const featureCount = scaler.features.length;
  for (let i = 0; i < values.length; i++) {
    const f = i % featureCount;
    values[i] = (values[i] - shift[f]) / scale[f];
  }
  return values;
}

/** Undo `applyScaler` in place; returns `values`. */
export function invertScaler<T extends NumericArray>(scaler: ScalerFile, values: T): T {
  const [scale, shift] = affine(scaler);
  const featureCount = scaler.features.length;
  for (let i = 0; i < values.length; i++) {
    const f = i % featureCount;
    values[i] = values[i] * scale[f] + shift[f];
  }
  return values;
}

/** Both kinds are x' = (x - shift) / scale; this returns [scale, shift] per feature. */
function affine(scaler: ScalerFile): [number[], number[]] {
  const n = scaler.features.length;
  if (scaler.kind === 'standard') {
    if (!scaler.mean || !scaler.std) throw new Error('standard scaler without mean/std');
    return [scaler.std.map((s) => Math.max(s, SCALE_FLOOR)), scaler.mean];
  }
  if (scaler.kind === 'minmax') {
    if (!scaler.min || !scaler.max || !scaler.range) throw new Error('minmax scaler without min/max/range');
    const [lo, hi] = scaler.range;
    const { min, max } = scaler;
    // x' = lo + (x - min) / (max - min) * (hi - lo)  ==  (x - (min - lo * span / width)) / (span / width)
    const scale = min.map((m, f) => Math.max(max[f] - m, SCALE_FLOOR) / (hi - lo));
    const shift = min.map((m, f) => m - lo * scale[f]);
    return [scale, shift];
  }
  return [new Array<number>(n).fill(1), new Array<number>(n).fill(0)];
}
