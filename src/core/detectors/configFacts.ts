// Facts about config values that several detectors need to decide what to blame. Kept in one
// place so that, say, "learning rate out of range" means the same thing in TSAE201 and TSAE204.

import type { Activation, ResolvedConfig } from '../config/types';
import { LEARNING_RATE_RANGES } from '../rules/tsae104-learning-rate-out-of-range';

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

/** The interval an output activation can emit; targets outside it can never be reconstructed. */
export function activationRange(activation: Activation | undefined): [number, number] {
  switch (activation) {
    case 'sigmoid':
    case 'hardSigmoid':
      return [0, 1];
    case 'tanh':
    case 'softsign':
      return [-1, 1];
    case 'relu':
    case 'softplus':
      return [0, Infinity];
    case 'relu6':
      return [0, 6];
    case 'elu':
      return [-1, Infinity];
    case 'selu':
      // selu(x) -> -scale * alpha as x -> -inf (Klambauer et al. 2017).
      return [-1.0507 * 1.67326, Infinity];
    default:
      return [-Infinity, Infinity];
  }
}

/**
 * Above this many input values per latent unit we call the bottleneck tiny. 16:1 is where the
 * reference setups still reproduce their windows (ECG5000 140 x 1 -> 16 units is 8.75:1; the
 * Keras NAB example keeps 288 steps as 72 x 16 feature maps, 4:1); the failing setups in
 * DEVELOPERS.md sit at 70:1 and 295:1.
 */
export const MAX_HEALTHY_COMPRESSION = 16;

export function compressionRatioOf(config: ResolvedConfig, features: number): number | undefined {
  const window = config.windowing?.length;
  const size = config.model?.latent?.size;
  if (!(window > 0) || !(size > 0) || !(features > 0)) return undefined;
  return (window * features) / size;
}

/** The smallest latent size that brings the ratio down to MAX_HEALTHY_COMPRESSION. */
export function healthyLatentSize(config: ResolvedConfig, features: number): number {
  return Math.ceil((config.windowing.length * features) / MAX_HEALTHY_COMPRESSION);
}
