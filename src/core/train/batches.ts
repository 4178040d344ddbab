// Moving windows between the data pipeline's flat Float32Arrays and tensors, in batches.

import * as tf from '@tensorflow/tfjs';

/** The part of the data pipeline's WindowSet the trainer needs. */
export interface Windows {
  count: number;
  length: number;
  features: number;
  /** [window][time][feature], flat. */
  values: Float32Array;
}

export function gatherWindows(set: Windows, indices: ArrayLike<number>, padTo = indices.length): tf.Tensor3D {
  const size = set.length * set.features;
  const out = new Float32Array(padTo * size);
  for (let i = 0; i < indices.length; i++) out.set(set.values.subarray(indices[i] * size, (indices[i] + 1) * size), i * size);
  return tf.tensor3d(out, [padTo, set.length, set.features]);
}

export function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

/**
 * Runs `fn` on consecutive batches of `indices`. Stateful models have their batch size baked into
 * the graph, so the last short batch is zero-padded to `batchSize` and `fn` is told how many rows
 * are real; the padding rows are ignored by the caller.
 */
export function forEachBatch(set: Windows, indices: number[], batchSize: number, padLastBatch: boolean, fn: (x: tf.Tensor3D, rows: number[], realRows: number) => void): void {
  for (let start = 0; start < indices.length; start += batchSize) {
    const rows = indices.slice(start, start + batchSize);
    const x = gatherWindows(set, rows, padLastBatch ? batchSize : rows.length);
    try {
      fn(x, rows, rows.length);
    } finally {
      x.dispose();
    }
  }
}

/**
 * Model outputs for the given windows, [window][time][feature] flat in `indices` order.
 * `transform` post-processes each output batch inside the same tidy (e.g. un-reversing).
 */
export function predictWindows(
  model: tf.LayersModel,
  set: Windows,
  indices: number[],
  batchSize: number,
  stateful: boolean,
  transform: (y: tf.Tensor3D) => tf.Tensor3D = (y) => y,
): { values: Float32Array; length: number; features: number } {
  const shape = model.outputs[0].shape;
  const length = shape[1] as number;
  const features = shape[2] as number;
  const values = new Float32Array(indices.length * length * features);
  let offset = 0;
  forEachBatch(set, indices, batchSize, stateful, (x, _rows, real) => {
    const y = tf.tidy(() => {
      const out = transform(model.predictOnBatch(x) as tf.Tensor3D);
      return real < out.shape[0] ? out.slice([0, 0, 0], [real, length, features]) : out;
    });
    values.set(y.dataSync(), offset);
    offset += y.size;
    y.dispose();
  });
  return { values, length, features };
}

/** Converts flat window values to [window][time][feature] arrays (for JSON and detectors). */
export function toNested(values: Float32Array, count: number, length: number, features: number): number[][][] {
  const out: number[][][] = [];
  for (let w = 0; w < count; w++) {
    const win: number[][] = [];
    for (let t = 0; t < length; t++) {
      const base = (w * length + t) * features;
      win.push(Array.from(values.subarray(base, base + features)));
    }
    out.push(win);
  }
  return out;
}
