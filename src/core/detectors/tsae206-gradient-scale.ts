// TSAE206: exploding or vanishing gradients, from the per-layer gradient norms of every batch
// (GradientStats in metrics.jsonl) and the scale of the loss itself.

import type { EpochMetrics, GradientStats } from '../run/types';
import { blameLearningRate, blameMissingClip, blameUnboundedCell, blameUnscaledInput, configFix, defined } from './blames';
import { finiteLosses } from './history';
import type { Blame, Detector, DetectorInput } from './types';
import { pairedWindows, targetVariance } from './windows';

/** A layer gradient norm above this in any batch (inputs are scaled to unit size) means the update is out of control. */
export const EXPLODING_NORM = 1e3;
/**
 * Growth of an epoch's mean norm above this factor in each of two consecutive epochs is
 * exponential blow-up. One tenfold jump is not: a healthy art_daily run went 0.11 -> 1.2 -> 3.4
 * (epochs 4-6) and then settled.
 */
export const EXPLODING_GROWTH = 10;
/** Growth is only judged from norms at least this large, so noise around zero is not "10x". */
const GROWTH_FLOOR = 1e-2;
/**
 * An epoch whose mean loss is this many times what predicting the mean costs has blown up: a
 * fresh model starts near 1x (its output is near the mean), so 10x only comes from runaway
 * outputs (a relu cell without clipping reached 450 on standardised data).
 */
export const EXPLODING_LOSS_RATIO = 10;
/** The first encoder layer learning with a norm below this is not learning at all. */
export const VANISHING_NORM = 1e-7;
/** "Not converged": the loss is still above this share of its first value. */
const UNCONVERGED_SHARE = 0.5;
/** Layer name of the first encoder layer in the built model (src/core/model/build.ts). */
export const FIRST_ENCODER_LAYER = 'encoder_0';

type Direction = 'exploding' | 'vanishing';

interface GradientEvent {
  direction: Direction;
  what: string;
  epoch: number;
  data: Record<string, number | string>;
}

export const gradientScale: Detector = {
  code: 'TSAE206',
  name: 'gradient-scale',
  title: 'Exploding or vanishing gradients',
  severity: 'warning',
  kind: 'event',
  summary:
    'Gradient norms exploded (above 1e3 in a batch, tenfold growth in two epochs running, or a loss ten times that of predicting the mean) ' +
    'or vanished in the first encoder layer (exactly zero, or below 1e-7 while the loss is high).',
  detect(input) {
    const history = Array.isArray(input.history) ? input.history : [];
    const event = explodingGradient(history) ?? explodingLoss(input, history) ?? vanishingGradient(history);
    if (!event) return undefined;
    return {
      measurement: `${event.what} at epoch ${event.epoch}: gradients are ${event.direction === 'exploding' ? 'exploding' : 'vanishing before reaching the encoder'}`,
      data: { direction: event.direction, epoch: event.epoch, ...event.data },
    };
  },
  blame(input, symptom) {
    return symptom.data.direction === 'vanishing' ? blameVanishing(input) : blameExploding(input);
  },
};

/** Per-layer statistics of an epoch; older runs recorded only one norm per layer (the last batch). */
function statsOf(epoch: EpochMetrics): Record<string, GradientStats> {
  if (epoch?.gradStats && typeof epoch.gradStats === 'object') return epoch.gradStats;
  const out: Record<string, GradientStats> = {};
  for (const [layer, norm] of Object.entries(epoch?.gradNorms ?? {})) {
    if (typeof norm !== 'number') continue;
    const finite = Number.isFinite(norm);
    out[layer] = { mean: norm, max: norm, min: norm, zeroFraction: norm === 0 ? 1 : 0, nonFinite: finite ? 0 : 1, batches: 1 };
  }
  return out;
}

function explodingGradient(history: readonly EpochMetrics[]): GradientEvent | undefined {
  let previous: Record<string, GradientStats> | undefined;
  // Per layer: the growth factor of the epoch before, to require two tenfold jumps in a row.
  const lastGrowth = new Map<string, number>();
  for (const epoch of history) {
    const stats = statsOf(epoch);
    for (const [layer, s] of Object.entries(stats)) {
      if (s.nonFinite > 0 || !Number.isFinite(s.max)) {
        return {
          direction: 'exploding',
          what: `The gradient of layer ${layer} was not finite in ${s.nonFinite} batch${s.nonFinite === 1 ? '' : 'es'}`,
          epoch: epoch.epoch,
          data: { layer, nonFiniteBatches: s.nonFinite },
        };
      }
      if (s.max > EXPLODING_NORM) {
        return {
          direction: 'exploding',
          what: `The gradient norm of layer ${layer} reached ${s.max.toExponential(1)} in a batch`,
          epoch: epoch.epoch,
          data: { layer, norm: s.max },
        };
      }
      const before = previous?.[layer]?.mean;
      const growth = typeof before === 'number' && before >= GROWTH_FLOOR ? s.mean / before : 0;
      const earlier = lastGrowth.get(layer) ?? 0;
      if (growth > EXPLODING_GROWTH && earlier > EXPLODING_GROWTH) {
        return {
          direction: 'exploding',
          what: `The gradient norm of layer ${layer} grew ${Math.round(growth * earlier)}x in two epochs to ${s.mean.toExponential(1)}`,
          epoch: epoch.epoch,
          data: { layer, norm: s.mean, growth: growth * earlier },
        };
      }
      lastGrowth.set(layer, growth);
    }
    previous = stats;
  }
  return undefined;
}

/** An epoch's mean loss far above what predicting the mean costs: outputs ran away, whatever the norms say. */
function explodingLoss(input: DetectorInput, history: readonly EpochMetrics[]): GradientEvent | undefined {
  const baseline = targetVariance(pairedWindows(input));
  if (baseline === undefined || !(baseline > 0)) return undefined;
  for (const epoch of history) {
    if (typeof epoch?.loss !== 'number' || !Number.isFinite(epoch.loss)) continue;
    // A mean absolute error compares with the standard deviation, a squared one with the variance.
    const reference = input.config.training?.loss === 'mae' ? Math.sqrt(baseline) : baseline;
    const ratio = epoch.loss / reference;
    if (ratio > EXPLODING_LOSS_RATIO) {
      return {
        direction: 'exploding',
        what: `The mean training loss was ${epoch.loss.toPrecision(3)}, ${Math.round(ratio)}x what predicting the mean costs`,
        epoch: epoch.epoch,
        data: { loss: epoch.loss, lossRatio: ratio },
      };
    }
  }
  return undefined;
}

function vanishingGradient(history: readonly EpochMetrics[]): GradientEvent | undefined {
  const losses = finiteLosses(history);
  const firstLoss = losses[0];
  for (const epoch of history) {
    const first = statsOf(epoch)[FIRST_ENCODER_LAYER];
    if (!first || !Number.isFinite(first.mean)) continue;
    // Exactly zero in every batch is not "small": no gradient reaches the layer at all (saturated or dead units).
    if (first.zeroFraction >= 1) {
      return {
        direction: 'vanishing',
        what: `The gradient of layer ${FIRST_ENCODER_LAYER} was exactly 0 in all ${first.batches} batches`,
        epoch: epoch.epoch,
        data: { layer: FIRST_ENCODER_LAYER, norm: 0, zeroFraction: 1 },
      };
    }
    const unconverged = firstLoss !== undefined && typeof epoch.loss === 'number' && epoch.loss > UNCONVERGED_SHARE * firstLoss;
    if (first.mean < VANISHING_NORM && unconverged) {
      return {
        direction: 'vanishing',
        what: `The gradient norm of layer ${FIRST_ENCODER_LAYER} is ${first.mean.toExponential(1)} while the loss is still high`,
        epoch: epoch.epoch,
        data: { layer: FIRST_ENCODER_LAYER, norm: first.mean },
      };
    }
  }
  return undefined;
}

function blameExploding({ config }: DetectorInput): Blame[] {
  return defined([
    blameUnboundedCell(config),
    blameLearningRate(config, () => 'steps that large amplify every gradient through time', 'high'),
    blameUnscaledInput(config, 'large values multiply every gradient that flows back through the cells'),
    blameMissingClip(config, 'Recurrent nets multiply gradients through time; clipping the global norm is the standard remedy (Pascanu et al. 2013).'),
  ]);
}

function blameVanishing({ config }: DetectorInput): Blame[] {
  const encoder = Array.isArray(config.model?.encoder) ? config.model.encoder : [];
  const sigmoidCell = encoder.findIndex((l) => l?.activation === 'sigmoid' || l?.activation === 'hardSigmoid');
  const path = `model.encoder.${sigmoidCell}.activation`;
  return defined([
    blameUnscaledInput(config, 'values far outside [-1, 1] saturate tanh and the gates, whose slope there is 0, so no gradient flows back'),
    sigmoidCell >= 0
      ? {
          configPath: path,
          reason: 'A sigmoid cell activation has a slope of at most 0.25, so the gradient shrinks at every step back through time.',
          fix: configFix('Use tanh inside the cell', path, 'tanh'),
        }
      : undefined,
    blameLearningRate(config, () => 'the encoder does not move', 'low'),
  ]);
}
