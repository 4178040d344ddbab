// TSAE206: exploding or vanishing gradients, from the per-layer global gradient norms.

import type { ResolvedConfig } from '../config/types';
import type { EpochMetrics } from '../run/types';
import { defaultLearningRate, isReluFamily, learningRateOutOfRange } from './configFacts';
import { makeFinding, type Blame } from './finding';
import { finiteLosses } from './history';
import { SUGGESTED_CLIP_NORM } from './tsae205-non-finite-loss';
import type { Detector } from './types';

/** A layer gradient norm above this (inputs are scaled to unit size) means the update is out of control. */
export const EXPLODING_NORM = 1e3;
/**
 * Growth above this factor in each of two consecutive epochs is exponential blow-up. One tenfold
 * jump is not: a healthy art_daily run went 0.11 -> 1.2 -> 3.4 (epochs 4-6) and then settled.
 */
export const EXPLODING_GROWTH = 10;
/** Growth is only judged from norms at least this large, so noise around zero is not "10x". */
const GROWTH_FLOOR = 1e-2;
/** The first encoder layer learning with a norm below this is not learning at all. */
export const VANISHING_NORM = 1e-7;
/** "Not converged": the loss is still above this share of its first value. */
const UNCONVERGED_SHARE = 0.5;
/** Layer name of the first encoder layer in the built model (src/core/model/build.ts). */
export const FIRST_ENCODER_LAYER = 'encoder_0';

type Direction = 'exploding' | 'vanishing';

interface GradientEvent {
  direction: Direction;
  layer: string;
  epoch: number;
  norm: number;
  growth?: number;
}

export const gradientScale: Detector = {
  code: 'TSAE206',
  title: 'gradient-scale',
  severity: 'warning',
  kind: 'event',
  summary: 'Gradient norms exploded (above 1e3, or tenfold growth in two epochs running) or vanished in the first encoder layer.',
  detect(input) {
    const event = findGradientEvent(Array.isArray(input.history) ? input.history : []);
    if (!event) return [];
    const measurement =
      event.direction === 'exploding'
        ? `The gradient norm of layer ${event.layer} reached ${event.norm.toExponential(1)} at epoch ${event.epoch}${event.growth ? ` (${Math.round(event.growth)}x in two epochs)` : ''}: gradients are exploding`
        : `The gradient norm of layer ${event.layer} is ${event.norm.toExponential(1)} at epoch ${event.epoch} while the loss is still high: gradients vanish before reaching the encoder`;
    return [
      makeFinding(gradientScale, input, measurement, blameGradients(input.config, event.direction), {
        direction: event.direction,
        layer: event.layer,
        norm: event.norm,
        ...(event.growth !== undefined ? { growth: event.growth } : {}),
      }),
    ];
  },
};

function findGradientEvent(history: readonly EpochMetrics[]): GradientEvent | undefined {
  const losses = finiteLosses(history);
  const firstLoss = losses[0];
  let previous: Record<string, number> | undefined;
  // Per layer: the growth factor of the epoch before, to require two tenfold jumps in a row.
  const lastGrowth = new Map<string, number>();
  for (const epoch of history) {
    const norms = epoch?.gradNorms;
    if (!norms || typeof norms !== 'object') continue;
    for (const [layer, norm] of Object.entries(norms)) {
      if (typeof norm !== 'number') continue;
      if (!Number.isFinite(norm) || norm > EXPLODING_NORM) return { direction: 'exploding', layer, epoch: epoch.epoch, norm };
      const before = previous?.[layer];
      const growth = typeof before === 'number' && before >= GROWTH_FLOOR ? norm / before : 0;
      if (growth > EXPLODING_GROWTH && (lastGrowth.get(layer) ?? 0) > EXPLODING_GROWTH) {
        return { direction: 'exploding', layer, epoch: epoch.epoch, norm, growth: growth * (lastGrowth.get(layer) ?? 1) };
      }
      lastGrowth.set(layer, growth);
    }
    const first = norms[FIRST_ENCODER_LAYER];
    const unconverged = firstLoss !== undefined && typeof epoch.loss === 'number' && epoch.loss > UNCONVERGED_SHARE * firstLoss;
    if (typeof first === 'number' && Number.isFinite(first) && first < VANISHING_NORM && unconverged) {
      return { direction: 'vanishing', layer: FIRST_ENCODER_LAYER, epoch: epoch.epoch, norm: first };
    }
    previous = norms;
  }
  return undefined;
}

export function blameGradients(config: ResolvedConfig, direction: Direction): Blame {
  const encoder = Array.isArray(config.model?.encoder) ? config.model.encoder : [];
  const decoder = Array.isArray(config.model?.decoder) ? config.model.decoder : [];
  const reluCell = [...encoder.map((l, i) => [`model.encoder[${i}].activation`, l] as const), ...decoder.map((l, i) => [`model.decoder[${i}].activation`, l] as const)]
    .find(([, layer]) => isReluFamily(layer?.activation));
  if (direction === 'exploding') {
    if (reluCell) {
      return {
        configPath: reluCell[0],
        reason: 'An unbounded activation inside a recurrent cell lets the state grow at every step.',
        fix: { title: 'Use tanh inside the cell', configPath: reluCell[0], value: 'tanh' },
      };
    }
    if (!(config.training?.clipNorm > 0)) {
      return {
        configPath: 'training.clipNorm',
        reason: 'Recurrent nets multiply gradients through time; clipping the global norm is the standard remedy (Pascanu et al. 2013).',
        fix: { title: `Clip the gradient norm at ${SUGGESTED_CLIP_NORM}`, configPath: 'training.clipNorm', value: SUGGESTED_CLIP_NORM },
      };
    }
    if (learningRateOutOfRange(config) === 'high') {
      const lr = defaultLearningRate(config);
      return {
        configPath: 'training.learningRate',
        reason: `Learning rate ${config.training.learningRate} is above the usual range for ${config.training.optimizer}.`,
        fix: { title: `Use the ${config.training.optimizer} default learning rate ${lr}`, configPath: 'training.learningRate', value: lr },
      };
    }
    return { configPath: 'training.clipNorm', reason: 'Gradients grew despite clipping; lower training.clipNorm or the learning rate.' };
  }
  const sigmoidCell = encoder.findIndex((l) => l?.activation === 'sigmoid' || l?.activation === 'hardSigmoid');
  if (sigmoidCell >= 0) {
    const path = `model.encoder[${sigmoidCell}].activation`;
    return {
      configPath: path,
      reason: 'A sigmoid cell activation has a slope of at most 0.25, so the gradient shrinks at every step back through time.',
      fix: { title: 'Use tanh inside the cell', configPath: path, value: 'tanh' },
    };
  }
  if (learningRateOutOfRange(config) === 'low') {
    const lr = defaultLearningRate(config);
    return {
      configPath: 'training.learningRate',
      reason: `Learning rate ${config.training.learningRate} is below the usual range; the encoder does not move.`,
      fix: { title: `Use the ${config.training.optimizer} default learning rate ${lr}`, configPath: 'training.learningRate', value: lr },
    };
  }
  return { configPath: 'windowing.length', reason: 'Long windows make the gradient travel many steps back to the first encoder layer; shorter windows or fewer layers help.' };
}
