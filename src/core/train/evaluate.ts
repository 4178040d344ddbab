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

/**
 * Values in one layer's activations per inference batch (16 MB of float32): large batches make the
 * fused LSTM kernel's matrix products efficient (scoring 100k windows of 64 steps with a 32-unit
 * LSTM: 11.1 s at 128 windows per batch, 8.0 s at 512), and this bound keeps wide or long models
 * from holding hundreds of MB of gates at once.
 */
const INFERENCE_BATCH_VALUES = 1 << 22;

/** Windows per inference batch: as many as INFERENCE_BATCH_VALUES allows (at most 512), never fewer than training's. */
export function inferenceBatchSize(config: ResolvedConfig, length: number): number {
  const widest = Math.max(1, ...[...config.model.encoder, ...config.model.decoder].map((l) => 4 * l.units));
  const fits = Math.floor(INFERENCE_BATCH_VALUES / (Math.max(1, length) * widest));
  return Math.max(config.training.batchSize, Math.min(512, fits));
}

export function scoreWindows(model: tf.LayersModel, config: ResolvedConfig, inputs: Windows, references: Windows, indices: number[] = range(inputs.count)): WindowScores {
  const batchSize = config.model.stateful ? config.training.batchSize : inferenceBatchSize(config, inputs.length);
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
