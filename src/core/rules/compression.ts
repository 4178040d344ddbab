// How much a latent vector may compress a window: one policy for the static rule TSAE103, the
// runtime detectors' blames and every fix that proposes a latent size, so the editor's warning,
// a runtime blame and a fix agree on the same config.

/**
 * Above this many input values per latent unit we warn. Srivastava et al. (2015) keep about 20
 * values of (highly redundant) video per LSTM state unit; docs/rules/TSAE103.md explains the choice.
 */
export const MAX_COMPRESSION_RATIO = 20;

/**
 * The ratio a proposed latent size aims for: below the warning limit with a margin, so the fixed
 * config is not borderline. The reference setups reproduce their windows at 4:1 to 9:1 (ECG5000
 * 140 x 1 -> 16 units is 8.75:1); the failing ones in DEVELOPERS.md sit at 70:1 and 295:1.
 */
export const TARGET_COMPRESSION_RATIO = 16;

/** The latent size a fix proposes: one unit per feature at least, and TARGET_COMPRESSION_RATIO at most. */
export function proposedLatentSize(valuesPerWindow: number, features: number): number {
  return Math.max(features, Math.ceil(valuesPerWindow / TARGET_COMPRESSION_RATIO));
}
