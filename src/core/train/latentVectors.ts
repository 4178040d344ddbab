// Latent vectors of chosen windows, read through the encoder half of the built model.

import * as tf from '@tensorflow/tfjs';
import type { ResolvedConfig } from '../config/types';
import type { WindowSet } from '../data';
import type { BuiltModel } from '../model/build';
import { forEachBatch } from './batches';

/** [window][unit] in `indices` order. Stateful models are reset before and after (their batch size is fixed). */
export function latentVectors(built: BuiltModel, config: ResolvedConfig, set: WindowSet, indices: number[]): number[][] {
  if (indices.length === 0) return [];
  const stateful = config.model.stateful;
  const batchSize = stateful ? config.training.batchSize : 256;
  if (stateful) built.model.resetStates();
  const out: number[][] = [];
  forEachBatch(set, indices, batchSize, stateful, (x, _rows, real) => {
    const z = tf.tidy(() => built.encoder.predictOnBatch(x) as tf.Tensor2D);
    const rows = z.arraySync();
    z.dispose();
    out.push(...rows.slice(0, real));
  });
  if (stateful) built.model.resetStates();
  return out;
}
