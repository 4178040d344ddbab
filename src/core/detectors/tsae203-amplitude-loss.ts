// TSAE203: the reconstruction follows the shape but loses the peaks.

import {
  blameHeavyDropout,
  blameUnboundedCell,
  blameLearningRate,
  blameOvercompression,
  blameSequenceBridge,
  blameTooFewEpochs,
  blameUnreachableTargets,
  blameUnreversedOutput,
  blameUnscaledInput,
  defined,
} from './blames';
import { featureCount, percent } from './finding';
import { readyToJudge } from './history';
import { COLLAPSED_VARIANCE_RATIO } from './tsae201-mean-collapse';
import type { Detector } from './types';
import { meanRangeRatio, meanVarianceRatio, pairedWindows, peakRecoveryRatio, withinWindowShare, MIN_WITHIN_WINDOW_SHARE } from './windows';

/** Below half of the input's peak-to-peak range the reconstruction is visibly flattened. */
export const MIN_RANGE_RATIO = 0.5;
/** The top 5% of excursions from the window mean are "the peaks". */
export const PEAK_FRACTION = 0.05;
/**
 * Peaks reproduced at under 30% of their height count as lost. Calibration (docs/rules/TSAE203.md):
 * failing pitfalls measured 0.02-0.16, a healthy art_daily model after 8 epochs 0.54 (the top
 * deviations of its near-flat windows are noise no autoencoder should reproduce).
 */
export const MIN_PEAK_RECOVERY = 0.3;

export const amplitudeLoss: Detector = {
  code: 'TSAE203',
  name: 'amplitude-loss',
  title: 'Peaks under-reconstructed',
  severity: 'warning',
  kind: 'condition',
  summary: "Peaks are under-reconstructed: the output's range is well below the input's, so anomalies in amplitude go unnoticed.",
  detect(input) {
    if (!readyToJudge(input)) return undefined;
    const pairs = pairedWindows(input);
    const varianceRatio = meanVarianceRatio(pairs);
    // A collapsed output also has no amplitude; TSAE201 names that failure more precisely.
    if (varianceRatio === undefined || varianceRatio < COLLAPSED_VARIANCE_RATIO) return undefined;
    const rangeRatio = meanRangeRatio(pairs);
    const peakRecovery = peakRecoveryRatio(pairs, PEAK_FRACTION);
    const withinShare = withinWindowShare(pairs);
    if (rangeRatio === undefined || peakRecovery === undefined || withinShare === undefined) return undefined;
    if (rangeRatio >= MIN_RANGE_RATIO && peakRecovery >= MIN_PEAK_RECOVERY) return undefined;
    // Targets the output activation cannot reach are a cause on their own, whatever the windows look like.
    if (!blameUnreachableTargets(input.config, pairs) && withinShare < MIN_WITHIN_WINDOW_SHARE) return undefined;
    // Say first what failed: a flattened output (range) or peaks the output does not follow.
    const measurement =
      rangeRatio < MIN_RANGE_RATIO
        ? `The reconstruction spans ${percent(rangeRatio)} of the input's range per window and reaches ${percent(Math.max(peakRecovery, 0))} of the top ${PEAK_FRACTION * 100}% peaks: amplitude is lost`
        : `The top ${PEAK_FRACTION * 100}% peaks (largest deviations from each window's mean) are reconstructed at ${percent(Math.max(peakRecovery, 0))} of their height: amplitude is lost where it matters`;
    return {
      measurement,
      data: { rangeRatio, peakRecovery, varianceRatio, withinWindowShare: withinShare, minRangeRatio: MIN_RANGE_RATIO, minPeakRecovery: MIN_PEAK_RECOVERY },
    };
  },
  blame(input) {
    const { config } = input;
    return defined([
      blameUnreachableTargets(config, pairedWindows(input)),
      blameUnreversedOutput(config),
      blameSequenceBridge(config, 'The decoder reads the latent units as if they were time steps, so its output over time is stretched from a handful of latent values.'),
      blameUnscaledInput(config, 'saturated gates clip the large values, and the peaks are the largest'),
      blameHeavyDropout(config),
      blameUnboundedCell(config),
      blameOvercompression(config, featureCount(input) ?? 1, (v) => `The latent vector holds ${v} input values per unit; the extremes are the first detail to go.`),
      blameLearningRate(config, (d) => (d === 'low' ? 'the model has only learnt the smooth outline so far' : 'steps too large average the extremes away')),
      blameTooFewEpochs(config, input.history, 'the extremes, which autoencoders learn after the smooth shape,'),
    ]);
  },
};
