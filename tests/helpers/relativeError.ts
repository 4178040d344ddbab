// How far two results of the same computation are apart, for the kernel equivalence tests.
import assert from 'node:assert/strict';
import type * as tf from '@tensorflow/tfjs';

/** Largest |a-b| relative to the largest |b| (elementwise relative error is meaningless near 0). */
export function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  let diff = 0,
    scale = 0;
  for (let k = 0; k < a.length; k++) {
    diff = Math.max(diff, Math.abs(a[k] - b[k]));
    scale = Math.max(scale, Math.abs(b[k]));
  }
  return diff / Math.max(scale, 1e-12);
}

export function tensorRelativeError(a: tf.Tensor, b: tf.Tensor): number {
  return relativeError(a.dataSync(), b.dataSync());
}
