// TSAE104: a learning rate far outside what the optimizer is designed for (setup 3: Adam at 1e-6,
// the loss barely moves and the model stays at the mean).

import type { OptimizerName } from '../config/types';
import { formatNumber } from './facts';
import { findingAt } from './report';
import type { Rule } from './types';

interface LearningRateRange {
  min: number;
  max: number;
  /** The optimizer's default in Keras (tf.keras.optimizers), offered as the fix. */
  default: number;
}

/** Ranges and defaults are justified in docs/rules/TSAE104.md. */
export const LEARNING_RATE_RANGES: Record<OptimizerName, LearningRateRange> = {
  adam: { min: 1e-5, max: 1e-2, default: 1e-3 },
  rmsprop: { min: 1e-5, max: 1e-2, default: 1e-3 },
  sgd: { min: 1e-4, max: 1, default: 1e-2 },
  adagrad: { min: 1e-5, max: 1e-1, default: 1e-3 },
};

export const learningRateOutOfRange: Rule = {
  code: 'TSAE104',
  name: 'learning-rate-out-of-range',
  title: 'Learning rate out of range for the optimizer',
  severity: 'warning',
  since: '0.1.0',
  fixAvailability: 'always',
  explains: ['TSAE201', 'TSAE204', 'TSAE205', 'TSAE206', 'TSAE203', 'TSAE208', 'TSAE202'],
  summary:
    'The learning rate is outside the range the optimizer is normally used in (Adam and RMSprop: 1e-5 to 1e-2; ' +
    'Adagrad: 1e-5 to 1e-1; SGD: 1e-4 to 1). Too low and the loss barely moves, so the autoencoder settles on the ' +
    'mean; too high and the loss diverges or oscillates.',
  check(ctx) {
    const { optimizer, learningRate } = ctx.config.training;
    const range = LEARNING_RATE_RANGES[optimizer];
    if (!range || (learningRate >= range.min && learningRate <= range.max)) return [];
    const effect =
      learningRate < range.min ? 'updates are so small that the loss barely moves and the model stays near the mean' : 'updates overshoot, so the loss oscillates or diverges';
    return [
      findingAt(
        learningRateOutOfRange,
        ctx,
        'training.learningRate',
        `training.learningRate ${formatNumber(learningRate)} is outside [${formatNumber(range.min)}, ${formatNumber(range.max)}] for ${optimizer}: ${effect}. ` +
          `Use ${optimizer}'s default ${formatNumber(range.default)}.`,
        { fix: { path: 'training.learningRate', value: range.default, safety: 'unsafe' } },
      ),
    ];
  },
};
