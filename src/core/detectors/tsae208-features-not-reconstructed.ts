// TSAE208: some input features are not reconstructed at all (a bottleneck too narrow for the
// number of sensors carries a few of them and lets the decoder guess the rest).

import type { ResolvedConfig } from '../config/types';
import { quantile } from '../train/metrics';
import { compressionRatioOf, defaultLearningRate, healthyLatentSize, learningRateOutOfRange, MAX_HEALTHY_COMPRESSION } from './configFacts';
import { featureCount, makeFinding, percent, type Blame } from './finding';
import { readyToJudge } from './history';
import { COLLAPSED_VARIANCE_RATIO } from './tsae201-mean-collapse';
import type { Detector, DetectorInput } from './types';
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
  const median = quantile(stats.map((s) => s.targetVariance), 0.5);
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
  title: 'features-not-reconstructed',
  severity: 'error',
  kind: 'condition',
  summary: 'Some input features are not reconstructed: the output follows under a tenth of their variance, so their normal movement counts as error in every window.',
  detect(input) {
    if (!readyToJudge(input)) return [];
    const pairs = pairedWindows(input);
    // An output collapsed to the window mean misses every feature; TSAE201 names that failure.
    const varianceRatio = meanVarianceRatio(pairs);
    if (varianceRatio !== undefined && varianceRatio < COLLAPSED_VARIANCE_RATIO) return [];
    const stats = featureReconstructions(pairs);
    // One feature has nothing to be traded against; TSAE201/203 judge its shape.
    if (stats.length < 2) return [];
    const missed = stats.filter((s) => s.judged && s.followedShare < MIN_FOLLOWED_SHARE);
    if (missed.length === 0) return [];
    const names = featureNames(input.config, stats.length, input.targets !== undefined);
    const judged = stats.filter((s) => s.judged).length;
    const list = missed.map((s) => `${names[s.feature]} ${percent(s.followedShare)}`).join(', ');
    const measurement = `${missed.length} of ${judged} features ${missed.length === 1 ? 'is' : 'are'} not reconstructed: the output follows ${list} of ${missed.length === 1 ? 'its' : 'their'} variance`;
    return [
      makeFinding(featuresNotReconstructed, input, measurement, blameFeaturesNotReconstructed(input), {
        features: missed.map((s) => names[s.feature]).join(', '),
        missed: missed.length,
        judged,
        lowestFollowedShare: Math.min(...missed.map((s) => s.followedShare)),
        threshold: MIN_FOLLOWED_SHARE,
      }),
    ];
  },
};

/**
 * A latent vector with fewer units than features, or one that squeezes more than
 * MAX_HEALTHY_COMPRESSION values into each unit, is the first suspect; the size proposed gives
 * every feature a unit and stays within the healthy ratio.
 */
export function blameFeaturesNotReconstructed(input: Pick<DetectorInput, 'config' | 'inputs'>): Blame {
  const config: ResolvedConfig = input.config;
  const features = featureCount(input as DetectorInput) ?? 1;
  const size = config.model?.latent?.size;
  const ratio = compressionRatioOf(config, features);
  if (typeof size === 'number' && (size < features || (ratio !== undefined && ratio > MAX_HEALTHY_COMPRESSION))) {
    const proposed = Math.max(features, healthyLatentSize(config, features));
    const why =
      size < features
        ? `The latent vector has ${size} unit${size === 1 ? '' : 's'} for ${features} features: it carries the directions that explain most of the error and the decoder guesses the rest.`
        : `The latent vector squeezes ${Math.round(ratio ?? 0)} input values into each unit; the features that matter least to the loss are dropped.`;
    return {
      configPath: 'model.latent.size',
      reason: why,
      fix: { title: `Widen the latent vector to ${proposed} units (one per feature, at most ${MAX_HEALTHY_COMPRESSION}:1)`, configPath: 'model.latent.size', value: proposed },
    };
  }
  const lrProblem = learningRateOutOfRange(config);
  if (lrProblem !== undefined) {
    const lr = defaultLearningRate(config);
    return {
      configPath: 'training.learningRate',
      reason: `Learning rate ${config.training.learningRate} is too ${lrProblem} for ${config.training.optimizer}; the model has not learnt to use its latent units.`,
      fix: { title: `Use the ${config.training.optimizer} default learning rate ${lr}`, configPath: 'training.learningRate', value: lr },
    };
  }
  const epochs = config.training?.epochs;
  return {
    configPath: 'training.epochs',
    reason: 'The bottleneck has room for every feature; the model learns the features that dominate the loss first and may need more epochs for the rest.',
    ...(typeof epochs === 'number' && epochs > 0
      ? { fix: { title: `Train for ${epochs * 2} epochs`, configPath: 'training.epochs', value: epochs * 2 } }
      : {}),
  };
}
