// What the decoder is trained against and how its output is compared with the data. Both
// pitfalls are reproduced faithfully on purpose: they are config options the linter and the
// runtime detectors diagnose.

import * as tf from '@tensorflow/tfjs';
import type { ResolvedConfig } from '../config/types';

/**
 * The loss target for a batch of windows [batch, time, feature]. With `reverseTarget` the
 * decoder learns the window back to front. With `targetReduction: timeMean` the target is the
 * per-window mean over time, shape [batch, 1, feature], which broadcasts against the output in
 * the loss: every step is pulled toward the mean (user report 3).
 */
export function trainingTarget(y: tf.Tensor3D, config: ResolvedConfig): tf.Tensor {
  return tf.tidy(() => {
    let t: tf.Tensor = config.model.reverseTarget ? tf.reverse(y, 1) : y;
    if (config.training.targetReduction === 'timeMean') t = tf.mean(t, 1, true);
    return t === y ? tf.clone(y) : t;
  });
}

/**
 * The model output as it is compared with the data for errors, plots, detectors and scores.
 * A decoder trained on a reversed target emits the window back to front; flipping it back is
 * what `unreverseOutput` does. With `unreverseOutput: false` the reversed output is compared
 * with the unreversed input, the silent mistake of user report 3.
 */
export function comparableOutput(output: tf.Tensor3D, config: ResolvedConfig): tf.Tensor3D {
  return config.model.reverseTarget && config.model.unreverseOutput ? tf.reverse(output, 1) : tf.clone(output);
}
