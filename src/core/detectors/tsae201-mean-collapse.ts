// TSAE201: the decoder emits (nearly) the window mean instead of the window.

import {
  blameHeavyDropout,
  blameUnboundedCell,
  blameLearningRate,
  blameOvercompression,
  blameReluLatent,
  blameSequenceBridge,
  blameStatefulShuffle,
  blameTargetReduction,
  blameTooFewEpochs,
  blameUnreachableTargets,
  blameUnreversedOutput,
  blameUnscaledInput,
  defined,
} from './blames';
import { featureCount, percent } from './finding';
import { readyToJudge } from './history';
import type { Detector } from './types';
import { meanVarianceRatio, pairedWindows, reconstructionMse, targetVariance, windowsMoveMaterially, type WindowPair } from './windows';
import { MIN_EXPLAINED_SHARE } from './tsae204-loss-plateau';

/**
 * A reconstruction that keeps less than a tenth of the input's variance over time is a flat
 * line with wiggles. Calibration figures are on docs/rules/TSAE201.md.
 */
export const COLLAPSED_VARIANCE_RATIO = 0.1;

export const meanCollapse: Detector = {
  code: 'TSAE201',
  name: 'mean-collapse',
  title: 'Reconstruction collapsed to the window mean',
  severity: 'error',
  kind: 'condition',
  summary: "The reconstruction is (nearly) the window mean: its variance over time is a small fraction of the input's.",
  detect(input) {
    // Every model starts out near the mean; only judge once training has settled or ended.
    if (!readyToJudge(input)) return undefined;
    const pairs = pairedWindows(input);
    const varianceRatio = meanVarianceRatio(pairs);
    if (varianceRatio === undefined || varianceRatio >= COLLAPSED_VARIANCE_RATIO) return undefined;
    // Windows of a slow signal are nearly flat: their mean is most of the signal, and a flat
    // reconstruction at the right level is not a failure (a good 8-epoch run at 3:1 fired here
    // before). A flat output that also misses the levels (R^2 under 0.5) is a collapse whatever
    // the windows look like.
    if (!windowsMoveMaterially(pairs) && !missesTheLevels(pairs)) return undefined;
    return {
      measurement: `Reconstruction variance is ${percent(varianceRatio)} of the input's: the model predicts the window mean`,
      data: { varianceRatio, threshold: COLLAPSED_VARIANCE_RATIO },
    };
  },
  blame(input) {
    const { config } = input;
    const pairs = pairedWindows(input);
    return defined([
      blameTargetReduction(config),
      blameUnreversedOutput(config),
      blameUnreachableTargets(config, pairs),
      blameUnscaledInput(config, 'saturated gates pass the same state whatever the window, and the mean is the cheapest compromise'),
      blameLearningRate(config, (d) =>
        d === 'low' ? 'the weights barely move from their initial values, which emit the mean' : 'steps jump past every minimum and the mean is the cheapest compromise',
      ),
      blameSequenceBridge(config, "The decoder reads the latent units as time steps, so it cannot place the window's shape in time and settles for its mean."),
      blameHeavyDropout(config),
      blameUnboundedCell(config),
      blameOvercompression(config, featureCount(input) ?? 1, (v) => `The latent vector squeezes ${v} input values into each unit; too little survives to shape the window.`),
      blameReluLatent(config),
      blameStatefulShuffle(config),
      blameTooFewEpochs(config, input.history, "the window's shape"),
    ]);
  },
};

/** The output explains under MIN_EXPLAINED_SHARE of the target's variance over the whole sample. */
function missesTheLevels(pairs: WindowPair[]): boolean {
  const mse = reconstructionMse(pairs);
  const variance = targetVariance(pairs);
  return mse !== undefined && variance !== undefined && variance > 0 && mse / variance > 1 - MIN_EXPLAINED_SHARE;
}
