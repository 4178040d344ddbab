// TSAE101: the bottleneck squashed to non-negative values (setup 2: Keras, 9 sensors -> 3-D latent
// with activation='relu', latent dimensions stuck at zero).

import type { Activation } from '../config/types';
import { findingAt } from './report';
import type { Rule } from './types';

/** Activations whose output is never negative: a unit pushed below zero is dead (ReLU) or saturated. */
const NON_NEGATIVE: ReadonlySet<Activation> = new Set<Activation>(['relu', 'relu6', 'softplus', 'sigmoid', 'hardSigmoid']);

export const nonNegativeLatentActivation: Rule = {
  code: 'TSAE101',
  name: 'non-negative-latent-activation',
  title: 'Non-negative activation on the latent bottleneck',
  severity: 'warning',
  since: '0.1.0',
  fixAvailability: 'always',
  explains: ['TSAE202', 'TSAE208', 'TSAE203', 'TSAE201'],
  summary:
    'The latent vector goes through an activation that cannot output negative values (ReLU family or sigmoid). ' +
    'With only a few latent units, units whose pre-activation goes negative output zero with zero gradient (dead ReLU) ' +
    'or saturate, so the bottleneck silently loses dimensions. Use a linear latent.',
  check(ctx) {
    const activation = ctx.config.model.latent.activation;
    if (!NON_NEGATIVE.has(activation)) return [];
    const size = ctx.config.model.latent.size;
    const kind = activation.startsWith('relu') ? 'units with negative input output 0 and get no gradient (dead ReLU)' : 'units saturate at the ends of its range';
    return [
      findingAt(
        nonNegativeLatentActivation,
        ctx,
        'model.latent.activation',
        `model.latent.activation is ${activation}: the ${size}-unit latent cannot be negative and ${kind}, so latent dimensions get stuck. Set it to linear.`,
        { fix: { path: 'model.latent.activation', value: 'linear', safety: 'unsafe' } },
      ),
    ];
  },
};
