// Loss functions of the config. Per window, the error is averaged over time and features; the
// reduction then averages (`mean`) or sums (`sum`) the windows of a batch, like Keras's
// SUM_OVER_BATCH_SIZE / SUM reductions.

import * as tf from '@tensorflow/tfjs';
import type { LossName, LossReduction } from '../config/types';

export function elementError(output: tf.Tensor, target: tf.Tensor, loss: LossName): tf.Tensor {
  const diff = tf.sub(output, target);
  return loss === 'mae' ? tf.abs(diff) : tf.square(diff);
}

export function batchLoss(output: tf.Tensor, target: tf.Tensor, loss: LossName, reduction: LossReduction): tf.Scalar {
  return tf.tidy(() => {
    const perWindow = tf.mean(elementError(output, target, loss), [1, 2]);
    return (reduction === 'sum' ? tf.sum(perWindow) : tf.mean(perWindow)) as tf.Scalar;
  });
}

/** Mean squared error per window [batch] and per step [batch, time] (mean over features). */
export function windowErrors(output: tf.Tensor3D, reference: tf.Tensor3D): { perWindow: tf.Tensor1D; perStep: tf.Tensor2D } {
  return tf.tidy(() => {
    const perStep = tf.mean(tf.square(tf.sub(output, reference)), 2) as tf.Tensor2D;
    return { perWindow: tf.mean(perStep, 1) as tf.Tensor1D, perStep };
  });
}
