// TSAE204: the training loss stopped improving while the model is still far from good.

import type { ResolvedConfig } from '../config/types';
import { activationRange, defaultLearningRate, learningRateOutOfRange } from './configFacts';
import { makeFinding, percent, type Blame } from './finding';
import { PLATEAU_EPOCHS, PLATEAU_RELATIVE_IMPROVEMENT, recentRelativeImprovement } from './history';
import type { Detector, DetectorInput } from './types';
import { fractionOutside, pairedWindows, reconstructionMse, targetVariance, type WindowPair } from './windows';

/**
 * A model whose error is still half of what predicting the mean costs (R^2 < 0.5) has learnt
 * little; a stall there is a failure, a stall near zero error is convergence.
 */
export const MIN_EXPLAINED_SHARE = 0.5;
/** More than this share of targets outside the output activation's range is a cause on its own. */
const UNREACHABLE_SHARE = 0.05;

export const lossPlateau: Detector = {
  code: 'TSAE204',
  title: 'loss-plateau',
  severity: 'warning',
  kind: 'condition',
  summary: 'The training loss stopped improving while the reconstruction error is still close to that of predicting the mean.',
  detect(input) {
    const improvement = recentRelativeImprovement(input.history, PLATEAU_EPOCHS);
    if (improvement === undefined || improvement >= PLATEAU_RELATIVE_IMPROVEMENT) return [];
    const pairs = pairedWindows(input);
    const mse = reconstructionMse(pairs);
    const baseline = targetVariance(pairs);
    if (mse === undefined || baseline === undefined || !(baseline > 0)) return [];
    const errorShare = mse / baseline;
    if (errorShare < 1 - MIN_EXPLAINED_SHARE) return [];
    const measurement =
      `The training loss improved by ${percent(Math.max(improvement, 0))} over the last ${PLATEAU_EPOCHS} epochs while the ` +
      `reconstruction error is ${percent(errorShare)} of what predicting the mean would cost: training has stalled`;
    return [
      makeFinding(lossPlateau, input, measurement, blamePlateau(input.config, pairs), {
        relativeImprovement: improvement,
        epochsWindow: PLATEAU_EPOCHS,
        errorShare,
        reconstructionMse: mse,
        baselineMse: baseline,
      }),
    ];
  },
};

/**
 * Blames `model.outputActivation` when more than 5% of the targets lie outside what it can emit:
 * no weights reach them, so the loss has a floor and the peaks on that side are lost.
 */
export function blameUnreachableTargets(config: ResolvedConfig, pairs: WindowPair[]): Blame | undefined {
  const activation = config.model?.outputActivation;
  const [lo, hi] = activationRange(activation);
  const outside = fractionOutside(pairs, lo, hi);
  if (outside === undefined || outside <= UNREACHABLE_SHARE) return undefined;
  return {
    configPath: 'model.outputActivation',
    reason: `${percent(outside)} of the targets lie outside [${lo}, ${hi}], the range of outputActivation ${activation}; no weights can reach them.`,
    fix: { title: 'Use a linear output activation', configPath: 'model.outputActivation', value: 'linear' },
  };
}

export function blamePlateau(config: ResolvedConfig, pairs: WindowPair[] = []): Blame {
  const unreachable = blameUnreachableTargets(config, pairs);
  if (unreachable) return unreachable;
  if (config.model?.stateful && config.training?.shuffle) {
    return {
      configPath: 'training.shuffle',
      reason: 'Stateful layers carry the state from one batch to the next, but shuffled batches are not consecutive, so the carried state is noise.',
      fix: { title: 'Keep batches in order (shuffle: false)', configPath: 'training.shuffle', value: false },
    };
  }
  const lrProblem = learningRateOutOfRange(config);
  if (lrProblem !== undefined) {
    const lr = defaultLearningRate(config);
    return {
      configPath: 'training.learningRate',
      reason: `Learning rate ${config.training.learningRate} is too ${lrProblem} for ${config.training.optimizer}: ${lrProblem === 'low' ? 'steps are too small to make progress' : 'steps overshoot and the loss oscillates'}.`,
      fix: { title: `Use the ${config.training.optimizer} default learning rate ${lr}`, configPath: 'training.learningRate', value: lr },
    };
  }
  return {
    configPath: 'training.learningRate',
    reason: 'Try a learning rate a decade lower if the loss oscillates, or check that the model is wide enough for the data.',
  };
}
