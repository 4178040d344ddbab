// TSAE102: the loss target averaged over time (setup 3: a target of the wrong shape broadcast
// against the prediction, so the model learns to predict the mean).

import { findingAt } from './report';
import type { Rule } from './types';

export const targetReducedOverTime: Rule = {
  code: 'TSAE102',
  name: 'target-reduced-over-time',
  title: 'Loss target reduced over time',
  severity: 'error',
  since: '0.1.0',
  fixAvailability: 'always',
  explains: ['TSAE201', 'TSAE204'],
  summary:
    'training.targetReduction is timeMean: the target window is averaged over its time steps before the loss, so every ' +
    'step is compared with the same mean value. This is the shape bug where a (batch, features) target broadcasts against a ' +
    '(batch, steps, features) prediction; the best the model can do is output the window mean at every step.',
  check(ctx) {
    if (ctx.config.training.targetReduction !== 'timeMean') return [];
    const steps = ctx.config.windowing.length;
    return [
      findingAt(
        targetReducedOverTime,
        ctx,
        'training.targetReduction',
        `training.targetReduction is timeMean: each of the ${steps} predicted steps is compared with the window's mean, so the model learns to output a flat line. Set it to none.`,
        { fix: { path: 'training.targetReduction', value: 'none', safety: 'safe' } },
      ),
    ];
  },
};
