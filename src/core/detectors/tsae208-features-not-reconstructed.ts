// TSAE208: some input features are not reconstructed at all (a bottleneck too narrow for the
// number of sensors carries a few of them and lets the decoder guess the rest).

import type { ResolvedConfig } from '../config/types';
import { quantile } from '../train/metrics';
import {
  blameHeavyDropout,
  blameUnboundedCell,
  blameLearningRate,
  blameOvercompression,
  blameReluLatent,
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
import { meanVarianceRatio, pairedWindows, type WindowPair } from './windows';

/**
 * A feature whose reconstruction follows under a tenth of its variance is not reconstructed:
 * 90% of its movement is left to the error. Calibration figures are on docs/rules/TSAE208.md.
 */
export const MIN_FOLLOWED_SHARE = 0.1;
/**
 * Features that barely move in the sample (variance under this fraction of the median
 * feature's) are not judged: what they do there is noise or a constant level, nothing a model
 * could be blamed for missing.
 */
export const MIN_RELATIVE_FEATURE_VARIANCE = 0.1;

export interface FeatureReconstruction {
  feature: number;
  /** Variance of the target over every value of the sample (windows and steps). */
  targetVariance: number;
  /** var(output) / var(target) over the same values. */
  varianceRatio: number;
  /**
   * Share of the target's variance that the output follows: the squared correlation of output
   * and target over every value, i.e. the variance a linear read-out of the output explains.
   * 0 for an output that is constant or moves with something else, 1 for a faithful one.
   */
  followedShare: number;
  /** Whether the feature moves enough in the sample to be judged. */
  judged: boolean;
}

/** Per-feature statistics over every value of every window, pooled (not window by window). */
export function featureReconstructions(pairs: readonly WindowPair[]): FeatureReconstruction[] {
  if (pairs.length === 0) return [];
  const features = pairs[0].target[0].length;
  const stats: FeatureReconstruction[] = [];
  for (let f = 0; f < features; f++) {
    let n = 0;
    let sumT = 0;
    let sumO = 0;
    for (const p of pairs) {
      if (p.target[0].length !== features) continue;
      for (let t = 0; t < p.target.length; t++) {
        sumT += p.target[t][f];
        sumO += p.output[t][f];
        n++;
      }
    }
    if (n < 2) return [];
    const meanT = sumT / n;
    const meanO = sumO / n;
    let varT = 0;
    let varO = 0;
    let cov = 0;
    for (const p of pairs) {
      if (p.target[0].length !== features) continue;
      for (let t = 0; t < p.target.length; t++) {
        const dt = p.target[t][f] - meanT;
        const dout = p.output[t][f] - meanO;
        varT += dt * dt;
        varO += dout * dout;
        cov += dt * dout;
      }
    }
    varT /= n;
    varO /= n;
    cov /= n;
    const followedShare = varT > 0 && varO > 0 ? (cov * cov) / (varT * varO) : 0;
    stats.push({ feature: f, targetVariance: varT, varianceRatio: varT > 0 ? varO / varT : 0, followedShare, judged: true });
  }
  const median = quantile(
    stats.map((s) => s.targetVariance),
    0.5,
  );
  for (const s of stats) s.judged = median > 0 && s.targetVariance >= MIN_RELATIVE_FEATURE_VARIANCE * median;
  return stats;
}

/** The names of the features, from the task's target columns or the data columns. */
function featureNames(config: ResolvedConfig, count: number, seq2seq: boolean): string[] {
  const columns = seq2seq ? config?.task?.targetColumns : config?.data?.columns;
  return Array.from({ length: count }, (_, f) => (Array.isArray(columns) && typeof columns[f] === 'string' ? columns[f] : `feature ${f + 1}`));
}

export const featuresNotReconstructed: Detector = {
  code: 'TSAE208',
  name: 'features-not-reconstructed',
  title: 'Features not reconstructed',
  severity: 'error',
  kind: 'condition',
  summary: 'Some input features are not reconstructed: the output follows under a tenth of their variance, so their normal movement counts as error in every window.',
  detect(input) {
    if (!readyToJudge(input)) return undefined;
    const pairs = pairedWindows(input);
    // An output collapsed to the window mean misses every feature; TSAE201 names that failure.
    const varianceRatio = meanVarianceRatio(pairs);
    if (varianceRatio !== undefined && varianceRatio < COLLAPSED_VARIANCE_RATIO) return undefined;
    const stats = featureReconstructions(pairs);
    // One feature has nothing to be traded against; TSAE201/203 judge its shape.
    if (stats.length < 2) return undefined;
    const missed = stats.filter((s) => s.judged && s.followedShare < MIN_FOLLOWED_SHARE);
    if (missed.length === 0) return undefined;
    const names = featureNames(input.config, stats.length, input.targets !== undefined);
    const judged = stats.filter((s) => s.judged).length;
    const list = missed.map((s) => `${names[s.feature]} ${percent(s.followedShare)}`).join(', ');
    const measurement = `${missed.length} of ${judged} features ${missed.length === 1 ? 'is' : 'are'} not reconstructed: the output follows ${list} of ${missed.length === 1 ? 'its' : 'their'} variance`;
    return {
      measurement,
      data: {
        features: missed.map((s) => names[s.feature]).join(', '),
        missed: missed.length,
        judged,
        lowestFollowedShare: Math.min(...missed.map((s) => s.followedShare)),
        threshold: MIN_FOLLOWED_SHARE,
      },
    };
  },
  blame(input) {
    const { config } = input;
    const features = featureCount(input) ?? 1;
    return defined([
      blameUnreachableTargets(config, pairedWindows(input)),
      blameUnreversedOutput(config),
      blameOvercompression(config, features, (v) =>
        (config.model?.latent?.size ?? 0) < features
          ? `The latent vector has ${config.model.latent.size} unit${config.model.latent.size === 1 ? '' : 's'} for ${features} features: it carries the directions that explain most of the error and the decoder guesses the rest.`
          : `The latent vector squeezes ${v} input values into each unit; the features that matter least to the loss are dropped.`,
      ),
      blameReluLatent(config),
      blameHeavyDropout(config),
      blameUnboundedCell(config),
      blameUnscaledInput(config, 'features with small values are invisible next to large ones in the loss'),
      blameLearningRate(config, () => 'the model has not learnt to use its latent units'),
      blameTooFewEpochs(config, input.history, 'the features that matter least to the loss'),
    ]);
  },
};
