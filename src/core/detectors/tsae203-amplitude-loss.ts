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
import { formatNumber } from '../format';
import { featureCount, percent } from './finding';
import { readyToJudge } from './history';
import { COLLAPSED_VARIANCE_RATIO } from './tsae201-mean-collapse';
import type { Detector } from './types';
import {
  meanRangeRatio,
  meanVarianceRatio,
  noiseShare,
  pairedWindows,
  peakRecoveryRatio,
  reconstructionMse,
  targetVariance,
  withinWindowShare,
  MIN_WITHIN_WINDOW_SHARE,
} from './windows';

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
/**
 * A reconstruction that leaves over 40 % of the variance to the error is poor whatever its range
 * and peaks say (a blurred copy at 60 % of the amplitude passes both bars): zoo models that fail
 * sit at 0.4 and above, cured ones at 0.07-0.3 (zoo/README.md, the health bar). It only counts when
 * the error is also well above the data's step-to-step noise (NOISE_FACTOR times): noisy data
 * leaves error no model can remove.
 */
export const POOR_ERROR_SHARE = 0.4;
export const NOISE_FACTOR = 3;

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
    const mse = reconstructionMse(pairs);
    const variance = targetVariance(pairs);
    const errorShare = mse !== undefined && variance !== undefined && variance > 0 ? mse / variance : undefined;
    const noise = noiseShare(pairs);
    const blurred = errorShare !== undefined && noise !== undefined && errorShare > POOR_ERROR_SHARE && errorShare > NOISE_FACTOR * noise;
    if (rangeRatio >= MIN_RANGE_RATIO && peakRecovery >= MIN_PEAK_RECOVERY && !blurred) return undefined;
    // Targets the output activation cannot reach are a cause on their own, whatever the windows look like.
    if (!blameUnreachableTargets(input.config, pairs) && withinShare < MIN_WITHIN_WINDOW_SHARE) return undefined;
    // Say first what failed: a flattened output (range), peaks the output does not follow, or a blurred copy.
    const peaks = `${percent(Math.max(peakRecovery, 0))} of the top ${PEAK_FRACTION * 100}% peaks`;
    const measurement =
      rangeRatio < MIN_RANGE_RATIO
        ? `The reconstruction spans ${percent(rangeRatio)} of the input's range per window and reaches ${peaks}: amplitude is lost`
        : peakRecovery < MIN_PEAK_RECOVERY
          ? `The top ${PEAK_FRACTION * 100}% peaks (largest deviations from each window's mean) are reconstructed at ${percent(Math.max(peakRecovery, 0))} of their height: amplitude is lost where it matters`
          : `The reconstruction leaves ${percent(errorShare!)} of the input's variance to the error, ${formatNumber(Number((errorShare! / Math.max(noise!, 1e-12)).toPrecision(2)))} times its step-to-step noise (${percent(noise!)}), spanning ${percent(rangeRatio)} of its range and reaching ${peaks}: a poor copy of the window`;
    return {
      measurement,
      data: {
        rangeRatio,
        peakRecovery,
        varianceRatio,
        withinWindowShare: withinShare,
        minRangeRatio: MIN_RANGE_RATIO,
        minPeakRecovery: MIN_PEAK_RECOVERY,
        ...(errorShare !== undefined ? { errorShare } : {}),
        ...(noise !== undefined ? { noiseShare: noise } : {}),
      },
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
