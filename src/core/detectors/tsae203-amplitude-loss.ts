// TSAE203: the reconstruction follows the shape but loses the peaks.

import type { ResolvedConfig } from '../config/types';
import { makeFinding, percent, type Blame } from './finding';
import { readyToJudge } from './history';
import { blameOvercompression, blameSequenceBridge } from './latentBlames';
import { COLLAPSED_VARIANCE_RATIO } from './tsae201-mean-collapse';
import { blameUnreachableTargets } from './tsae204-loss-plateau';
import type { Detector, DetectorInput } from './types';
import { meanRangeRatio, meanVarianceRatio, pairedWindows, peakRecoveryRatio, withinWindowShare } from './windows';

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
 * Windows whose inner movement is under a tenth of the signal's variance are flat stretches at
 * different levels; their peaks are noise. Calibration: art_daily 48-step windows 0.22; pitfall
 * 04 (5 steps) 0.015 and pitfall 05 (10 steps) 0.066, where even cured models "missed" the peaks.
 */
export const MIN_WITHIN_WINDOW_SHARE = 0.1;

export const amplitudeLoss: Detector = {
  code: 'TSAE203',
  title: 'amplitude-loss',
  severity: 'warning',
  kind: 'condition',
  summary: 'Peaks are under-reconstructed: the output\'s range is well below the input\'s, so anomalies in amplitude go unnoticed.',
  detect(input) {
    if (!readyToJudge(input)) return [];
    const pairs = pairedWindows(input);
    const varianceRatio = meanVarianceRatio(pairs);
    // A collapsed output also has no amplitude; TSAE201 names that failure more precisely.
    if (varianceRatio === undefined || varianceRatio < COLLAPSED_VARIANCE_RATIO) return [];
    const rangeRatio = meanRangeRatio(pairs);
    const peakRecovery = peakRecoveryRatio(pairs, PEAK_FRACTION);
    const withinShare = withinWindowShare(pairs);
    if (rangeRatio === undefined || peakRecovery === undefined || withinShare === undefined) return [];
    if (rangeRatio >= MIN_RANGE_RATIO && peakRecovery >= MIN_PEAK_RECOVERY) return [];
    // Targets the output activation cannot reach are a cause on their own, whatever the windows look like.
    const unreachable = blameUnreachableTargets(input.config, pairs);
    if (!unreachable && withinShare < MIN_WITHIN_WINDOW_SHARE) return [];
    // Say first what failed: a flattened output (range) or peaks the output does not follow.
    const measurement =
      rangeRatio < MIN_RANGE_RATIO
        ? `The reconstruction spans ${percent(rangeRatio)} of the input's range per window and reaches ${percent(Math.max(peakRecovery, 0))} of the top ${PEAK_FRACTION * 100}% peaks: amplitude is lost`
        : `The top ${PEAK_FRACTION * 100}% peaks (largest deviations from each window's mean) are reconstructed at ${percent(Math.max(peakRecovery, 0))} of their height: amplitude is lost where it matters`;
    return [
      makeFinding(amplitudeLoss, input, measurement, unreachable ?? blameAmplitudeLoss(input), {
        rangeRatio,
        peakRecovery,
        varianceRatio,
        withinWindowShare: withinShare,
        minRangeRatio: MIN_RANGE_RATIO,
        minPeakRecovery: MIN_PEAK_RECOVERY,
      }),
    ];
  },
};

export function blameAmplitudeLoss(input: Pick<DetectorInput, 'config' | 'inputs'>): Blame {
  const config: ResolvedConfig = input.config;
  const latentPath =
    blameSequenceBridge(input, 'The decoder reads the latent units as if they were time steps, so its output over time is stretched from a handful of latent values.') ??
    blameOvercompression(input, (valuesPerUnit) => `The latent vector holds ${valuesPerUnit} input values per unit; the extremes are the first detail to go.`);
  if (latentPath !== undefined) return latentPath;
  const epochs = config.training?.epochs;
  return {
    configPath: 'training.epochs',
    reason: 'Autoencoders learn the smooth shape before the extremes; the model may need more epochs.',
    ...(typeof epochs === 'number' && epochs > 0
      ? { fix: { title: `Train for ${epochs * 2} epochs`, configPath: 'training.epochs', value: epochs * 2 } }
      : {}),
  };
}
