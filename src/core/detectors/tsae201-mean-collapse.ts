// TSAE201: the decoder emits (nearly) the window mean instead of the window.

import type { ResolvedConfig } from '../config/types';
import { defaultLearningRate, learningRateOutOfRange } from './configFacts';
import { makeFinding, percent, type Blame } from './finding';
import { lossHasStalled } from './history';
import { blameOvercompression, blameSequenceBridge } from './latentBlames';
import type { Detector, DetectorInput } from './types';
import { meanVarianceRatio, pairedWindows } from './windows';

/**
 * A reconstruction that keeps less than a tenth of the input's variance over time is a flat
 * line with wiggles. Calibration figures are on docs/rules/TSAE201.md.
 */
export const COLLAPSED_VARIANCE_RATIO = 0.1;

export const meanCollapse: Detector = {
  code: 'TSAE201',
  title: 'mean-collapse',
  severity: 'error',
  kind: 'condition',
  summary: 'The reconstruction is (nearly) the window mean: its variance over time is a small fraction of the input\'s.',
  detect(input) {
    // Every model starts out near the mean; only judge once training has settled or ended.
    if (!input.final && !lossHasStalled(input.history)) return [];
    const varianceRatio = meanVarianceRatio(pairedWindows(input));
    if (varianceRatio === undefined || varianceRatio >= COLLAPSED_VARIANCE_RATIO) return [];
    return [
      makeFinding(
        meanCollapse,
        input,
        `Reconstruction variance is ${percent(varianceRatio)} of the input's: the model predicts the window mean`,
        blameMeanCollapse(input),
        { varianceRatio, threshold: COLLAPSED_VARIANCE_RATIO },
      ),
    ];
  },
};

export function blameMeanCollapse(input: Pick<DetectorInput, 'config' | 'inputs'>): Blame {
  const config: ResolvedConfig = input.config;
  if (config.training?.targetReduction === 'timeMean') {
    return {
      configPath: 'training.targetReduction',
      reason: 'The loss compares each output step with the target averaged over time, so the mean is the best answer it can learn.',
      fix: { title: 'Compare every time step with its own target (targetReduction: none)', configPath: 'training.targetReduction', value: 'none' },
    };
  }
  const lrProblem = learningRateOutOfRange(config);
  if (lrProblem !== undefined) {
    const lr = defaultLearningRate(config);
    return {
      configPath: 'training.learningRate',
      reason: `Learning rate ${config.training.learningRate} is too ${lrProblem} for ${config.training.optimizer}: the weights ${lrProblem === 'low' ? 'barely move from their initial values' : 'jump past every minimum'}, and the mean is the cheapest compromise.`,
      fix: { title: `Use the ${config.training.optimizer} default learning rate ${lr}`, configPath: 'training.learningRate', value: lr },
    };
  }
  // Calibration: pitfall 01 (bridge sequence, machine temperature) ended 6 epochs at a pooled
  // variance ratio of 0.03 with a healthy 4:1 compression, so the bridge is the cause there.
  const latentPath =
    blameSequenceBridge(input, 'The decoder reads the latent units as time steps, so it cannot place the window\'s shape in time and settles for its mean.') ??
    blameOvercompression(input, (valuesPerUnit) => `The latent vector squeezes ${valuesPerUnit} input values into each unit; too little survives to shape the window.`);
  if (latentPath !== undefined) return latentPath;
  return {
    configPath: 'model.latent.size',
    reason: 'The bottleneck does not carry the window\'s shape; widen it or train longer.',
  };
}
