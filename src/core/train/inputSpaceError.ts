// The reconstruction error a run reports next to its loss, in the data's own space: the loss is
// measured against what the model was trained on (a time-averaged or reversed target), so a
// mean-collapsed run can report a better loss than a healthy one. This error compares the output
// with the full target window in original units, and its normalised form (nmse) is unit-free, so
// runs of different configs (scalings, window lengths, targets) can be compared and a fix verified.

import * as tf from '@tensorflow/tfjs';
import type { ResolvedConfig } from '../config/types';
import type { Dataset, WindowSetName } from '../data';
import type { InputSpaceError } from '../diagnosis/types';
import { comparableOutput } from '../model/targets';
import { predictWindows } from './batches';
import { evenSample, windowAt } from './evaluate';
import { referenceKind, referenceSets } from './referenceSets';

/** Enough windows for a stable mean; beyond this the estimate only costs time. */
const MAX_WINDOWS = 2000;

export type OutputView =
  /** The decoder output flipped back when it was trained on a reversed target: the model's true quality. */
  | 'input-space'
  /** The output as the config compares it (un-reversed only when unreverseOutput is set): what plots and scores see. */
  | 'as-compared';

/**
 * Error of `set` (validation, or train when there is no validation window); undefined when the
 * set is empty or the model's outputs are not finite.
 */
export function reconstructionError(model: tf.LayersModel, config: ResolvedConfig, dataset: Dataset, view: OutputView = 'input-space'): InputSpaceError | undefined {
  const setName: WindowSetName = dataset.validation.count > 0 ? 'validation' : 'train';
  const inputs = dataset[setName];
  const reference = referenceSets(dataset)[setName];
  if (inputs.count === 0) return undefined;
  const indices = evenSample(inputs.count, MAX_WINDOWS);
  const stateful = config.model.stateful;
  const batchSize = stateful ? config.training.batchSize : Math.max(config.training.batchSize, 128);
  const flip = (y: tf.Tensor3D): tf.Tensor3D => (view === 'input-space' ? (config.model.reverseTarget ? tf.reverse(y, 1) : tf.clone(y)) : comparableOutput(y, config));
  if (stateful) model.resetStates();
  const pred = predictWindows(model, inputs, indices, batchSize, stateful, flip);
  if (stateful) model.resetStates();
  if (!pred.values.every(Number.isFinite)) return undefined;

  const { length, features } = pred;
  const which = referenceKind(dataset);
  let scaledSum = 0;
  const errSum = new Float64Array(features);
  const sum = new Float64Array(features);
  const sumSq = new Float64Array(features);
  let n = 0;
  indices.forEach((w, i) => {
    const output = windowAt(pred.values, i, length, features);
    const target = windowAt(reference.values, w, length, features);
    const outputOriginal = dataset.toOriginal(setName, w, output, which);
    const targetOriginal = dataset.toOriginal(setName, w, target, which);
    for (let t = 0; t < length; t++) {
      for (let f = 0; f < features; f++) {
        scaledSum += (output[t][f] - target[t][f]) ** 2;
        const y = targetOriginal[t][f];
        errSum[f] += (outputOriginal[t][f] - y) ** 2;
        sum[f] += y;
        sumSq[f] += y * y;
      }
      n++;
    }
  });
  let originalSum = 0;
  let nmseSum = 0;
  let judged = 0;
  for (let f = 0; f < features; f++) {
    originalSum += errSum[f];
    const variance = sumSq[f] / n - (sum[f] / n) ** 2;
    // A feature that does not move in this set has no scale to normalise by; it is left out.
    if (variance > 1e-12 * Math.max(1, (sum[f] / n) ** 2)) {
      nmseSum += errSum[f] / n / variance;
      judged++;
    }
  }
  const values = n * features;
  const error: InputSpaceError = {
    set: setName,
    windows: indices.length,
    scaledMse: scaledSum / values,
    originalMse: originalSum / values,
    nmse: judged > 0 ? nmseSum / judged : 0,
  };
  // Outputs far out of range overflow in original units; JSON would turn that into null.
  return [error.scaledMse, error.originalMse, error.nmse].every(Number.isFinite) ? error : undefined;
}
