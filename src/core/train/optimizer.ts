// Optimizers of the config and a learning-rate setter that keeps their state (Adam moments etc.)
// across a decay step, which recreating the optimizer would lose.

import * as tf from '@tensorflow/tfjs';
import type { LearningRateDecay, OptimizerName } from '../config/types';
import { createFusedAdam } from '../model/fused/fusedAdam';

export function createOptimizer(name: OptimizerName, learningRate: number): tf.Optimizer {
  switch (name) {
    case 'adam':
      // With the fused kernel loaded, the same algorithm in one kernel call per variable (fusedAdam.ts).
      return createFusedAdam(learningRate) ?? tf.train.adam(learningRate);
    case 'sgd':
      return tf.train.sgd(learningRate);
    case 'rmsprop':
      return tf.train.rmsprop(learningRate);
    case 'adagrad':
      return tf.train.adagrad(learningRate);
  }
}

export function setLearningRate(optimizer: tf.Optimizer, learningRate: number): void {
  // `instanceof tf.SGDOptimizer` cannot tell them apart: tfjs optimizers override
  // Symbol.hasInstance and every optimizer passes. SGD (and momentum) cache -lr as a kept
  // scalar that only their setter replaces; Adam, RMSProp and Adagrad read the field per step.
  const withSetter = optimizer as unknown as { setLearningRate?: (lr: number) => void; learningRate: number };
  if (typeof withSetter.setLearningRate === 'function') withSetter.setLearningRate(learningRate);
  else withSetter.learningRate = learningRate;
}

/** Step decay: the rate is multiplied by `factor` after every `everyEpochs` epochs (epochs are 1-based). */
export function learningRateAt(epoch: number, base: number, decay: LearningRateDecay | undefined): number {
  if (decay === undefined || decay.everyEpochs <= 0) return base;
  return base * Math.pow(decay.factor, Math.floor((epoch - 1) / decay.everyEpochs));
}
