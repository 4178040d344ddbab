// TSAE204: the training loss stopped improving while the model is still far from good.

import {
  blameHeavyDropout,
  blameUnboundedCell,
  blameLearningRate,
  blameSequenceBridge,
  blameStatefulShuffle,
  blameTargetReduction,
  blameUnreachableTargets,
  blameUnreversedOutput,
  blameUnscaledInput,
  defined,
} from './blames';
import { percent } from './finding';
import { PLATEAU_EPOCHS, PLATEAU_RELATIVE_IMPROVEMENT, recentRelativeImprovement } from './history';
import type { Detector } from './types';
import { pairedWindows, reconstructionMse, targetVariance } from './windows';

/**
 * A model whose error is still half of what predicting the mean costs (R^2 < 0.5) has learnt
 * little; a stall there is a failure, a stall near zero error is convergence.
 */
export const MIN_EXPLAINED_SHARE = 0.5;

export const lossPlateau: Detector = {
  code: 'TSAE204',
  name: 'loss-plateau',
  title: 'Training stalled far from a good fit',
  severity: 'warning',
  kind: 'condition',
  summary: 'The training loss stopped improving while the reconstruction error is still close to that of predicting the mean.',
  detect(input) {
    const improvement = recentRelativeImprovement(input.history, PLATEAU_EPOCHS);
    if (improvement === undefined || improvement >= PLATEAU_RELATIVE_IMPROVEMENT) return undefined;
    const pairs = pairedWindows(input);
    const mse = reconstructionMse(pairs);
    const baseline = targetVariance(pairs);
    if (mse === undefined || baseline === undefined || !(baseline > 0)) return undefined;
    const errorShare = mse / baseline;
    if (errorShare < 1 - MIN_EXPLAINED_SHARE) return undefined;
    return {
      measurement:
        `The training loss improved by ${percent(Math.max(improvement, 0))} over the last ${PLATEAU_EPOCHS} epochs while the ` +
        `reconstruction error is ${percent(errorShare)} of what predicting the mean would cost: training has stalled`,
      data: { relativeImprovement: improvement, epochsWindow: PLATEAU_EPOCHS, errorShare, reconstructionMse: mse, baselineMse: baseline },
    };
  },
  blame(input) {
    const { config } = input;
    return defined([
      blameUnreachableTargets(config, pairedWindows(input)),
      blameStatefulShuffle(config),
      blameTargetReduction(config),
      blameUnreversedOutput(config),
      blameLearningRate(config, (d) => (d === 'low' ? 'steps are too small to make progress' : 'steps overshoot and the loss oscillates')),
      blameUnscaledInput(config, 'saturated gates pass almost no gradient, so the loss cannot go lower'),
      blameHeavyDropout(config),
      blameUnboundedCell(config),
      blameSequenceBridge(config, 'The decoder reads the latent units as time steps, a task it cannot learn, so the loss stops early.'),
    ]);
  },
};
