// TSAE111: a decoder trained to emit the window back to front, compared front to back
// (setup 3: reversed target with an LSTMCell decoder).

import { findingAt } from './report';
import type { Rule } from './types';

export const reversedTargetNotUnreversed: Rule = {
  code: 'TSAE111',
  name: 'reversed-target-not-unreversed',
  title: 'Reversed target compared without reversing it back',
  severity: 'warning',
  since: '0.1.0',
  fixAvailability: 'always',
  explains: ['TSAE201', 'TSAE203', 'TSAE204', 'TSAE208'],
  summary:
    'model.reverseTarget trains the decoder to emit the window back to front (Srivastava et al. 2015), but ' +
    'model.unreverseOutput is false, so reconstructions are compared with the input in the wrong order: errors, plots and ' +
    'anomaly scores mix step t with step T-1-t.',
  check(ctx) {
    const { model, windowing } = ctx.config;
    if (!model.reverseTarget || model.unreverseOutput) return [];
    return [
      findingAt(
        reversedTargetNotUnreversed,
        ctx,
        'model.unreverseOutput',
        `model.reverseTarget is true but model.unreverseOutput is false: step t of each ${windowing.length}-step reconstruction is compared with step ${windowing.length - 1}-t of the input. Set model.unreverseOutput to true.`,
        { fix: { path: 'model.unreverseOutput', value: true, safety: 'safe' } },
      ),
    ];
  },
};
