// Facts about config values that several detectors need to decide what to blame. Kept in one
// place so that, say, "learning rate out of range" means the same thing in TSAE201 and TSAE204.

import type { Activation, ResolvedConfig } from '../config/types';
import { ACTIVATION_RANGE } from '../rules/facts';
import { LEARNING_RATE_RANGES } from '../rules/tsae104-learning-rate-out-of-range';
import type { ConfigChange } from '../types';

/**
 * "Out of range" must mean the same at runtime as in the static rule TSAE104 (the editor shows
 * both on the same line), so the band and the default come from its table; the references are
 * on docs/rules/TSAE104.md.
 */
export function learningRateOutOfRange(config: ResolvedConfig): 'low' | 'high' | undefined {
  const range = LEARNING_RATE_RANGES[config.training?.optimizer] ?? LEARNING_RATE_RANGES.adam;
  const lr = config.training?.learningRate;
  if (typeof lr !== 'number' || !Number.isFinite(lr)) return undefined;
  if (lr < range.min) return 'low';
  if (lr > range.max) return 'high';
  return undefined;
}

/** The optimizer's Keras default, the value a fix proposes. */
export function defaultLearningRate(config: ResolvedConfig): number {
  return (LEARNING_RATE_RANGES[config.training?.optimizer] ?? LEARNING_RATE_RANGES.adam).default;
}

/** Activations whose zero region has zero gradient, so a unit pushed there never comes back. */
export function isReluFamily(activation: Activation | undefined): boolean {
  return activation === 'relu' || activation === 'relu6';
}

/** Activations without a finite range (relu, elu, softplus, linear ...): inside a recurrent cell the state can grow without bound (TSAE106). */
export function isUnboundedActivation(activation: Activation | undefined): boolean {
  const range = activation ? ACTIVATION_RANGE[activation] : undefined;
  return range !== undefined && !(Number.isFinite(range.min) && Number.isFinite(range.max));
}

/** The interval an output activation can emit (the static rules' table); targets outside it can never be reconstructed. */
export function activationRange(activation: Activation | undefined): [number, number] {
  const range = activation ? ACTIVATION_RANGE[activation] : undefined;
  return range ? [range.min, range.max] : [-Infinity, Infinity];
}

export { MAX_COMPRESSION_RATIO, proposedLatentSize } from '../rules/compression';

export function compressionRatioOf(config: ResolvedConfig, features: number): number | undefined {
  const window = config.windowing?.length;
  const size = config.model?.latent?.size;
  if (!(window > 0) || !(size > 0) || !(features > 0)) return undefined;
  return (window * features) / size;
}

/** Whether a fix is the generic "train longer" (only training.epochs), not a property of the config being at fault. */
export function isTrainLonger(changes: readonly ConfigChange[] | undefined): boolean {
  return !!changes && changes.length > 0 && changes.every((c) => c.path === 'training.epochs');
}
