// Per-window reconstruction errors of a trained model: what thresholds, AUC, reconstructions.json,
// the detectors and `tsae eval` are computed from. Errors are MSE in scaled units between the
// output as the config compares it (un-reversed or not) and the reference (the input windows,
// or the target windows of a seq2seq task).

import * as tf from '@tensorflow/tfjs';
import type { ResolvedConfig } from '../config/types';
import { comparableOutput } from '../model/targets';
import { predictWindows, range, type Windows } from './batches';

export interface WindowScores {
  indices: number[];
  /** Per window, in `indices` order. */
  errors: Float64Array;
  /** [window][time], mean over features. */
  stepErrors: Float64Array;
  /** Comparable outputs, [window][time][feature] flat. */
  outputs: Float32Array;
  length: number;
  features: number;
}

export function scoreWindows(model: tf.LayersModel, config: ResolvedConfig, inputs: Windows, references: Windows, indices: number[] = range(inputs.count)): WindowScores {
  const batchSize = config.model.stateful ? config.training.batchSize : Math.max(config.training.batchSize, 128);
  if (config.model.stateful) model.resetStates();
  const pred = predictWindows(model, inputs, indices, batchSize, config.model.stateful, (y) => comparableOutput(y, config));
  if (config.model.stateful) model.resetStates();
  const { length, features } = pred;
  const errors = new Float64Array(indices.length);
  const stepErrors = new Float64Array(indices.length * length);
  const size = length * features;
  indices.forEach((w, i) => {
    let total = 0;
    for (let t = 0; t < length; t++) {
      let step = 0;
      for (let f = 0; f < features; f++) {
        const d = pred.values[i * size + t * features + f] - references.values[w * size + t * features + f];
        step += d * d;
      }
      stepErrors[i * length + t] = step / features;
      total += step;
    }
    errors[i] = total / size;
  });
  return { indices, errors, stepErrors, outputs: pred.values, length, features };
}

/** `count` indices spread evenly over `n` windows (all of them when n <= count). */
export function evenSample(n: number, count: number): number[] {
  if (n <= count) return range(n);
  return Array.from({ length: count }, (_, i) => Math.floor((i * n) / count));
}

export function windowAt(values: Float32Array, i: number, length: number, features: number): number[][] {
  const rows: number[][] = [];
  for (let t = 0; t < length; t++) {
    const base = (i * length + t) * features;
    rows.push(Array.from(values.subarray(base, base + features)));
  }
  return rows;
}
