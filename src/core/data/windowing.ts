// Cutting sources into windows. A "source" is a flat [point][feature] array: the whole series in
// series layout, or all rows back to back in rows layout, so a window is always a contiguous
// block of `length` points starting at its base.

import type { WindowSet } from './types';

/** Bases of the windows of `length` points taken every `stride` points from `points` points. */
export function slidingBases(points: number, length: number, stride: number): number[] {
  const bases: number[] = [];
  for (let base = 0; base + length <= points; base += stride) bases.push(base);
  return bases;
}

/** Copies the windows at `bases` out of `source` into one [window][time][feature] array. */
export function extractWindows(source: Float64Array, features: number, bases: number[], length: number): Float32Array {
  const size = length * features;
  const out = new Float32Array(bases.length * size);
  bases.forEach((base, w) => out.set(source.subarray(base * features, base * features + size), w * size));
  return out;
}

/** One window of `set` as [time][feature] numbers, e.g. for plotting or a reconstruction file. */
export function windowToRows(set: WindowSet, index: number): number[][] {
  if (!Number.isInteger(index) || index < 0 || index >= set.count) {
    throw new RangeError(`window ${index} is out of range (the set has ${set.count})`);
  }
  const rows: number[][] = [];
  const offset = index * set.length * set.features;
  for (let t = 0; t < set.length; t++) {
    const at = offset + t * set.features;
    rows.push(Array.from(set.values.subarray(at, at + set.features)));
  }
  return rows;
}
