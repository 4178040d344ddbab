// Facts about latent units across windows: which units are dead (carry no information), and how
// to lay the vectors out as heatmap cells.

export type DeadReason = 'constant' | 'zero';

export interface UnitActivity {
  unit: number;
  mean: number;
  variance: number;
  /** Share of windows in which the unit is (numerically) zero. */
  zeroShare: number;
  /** Why the unit is dead, or null when it varies. */
  dead: DeadReason | null;
}

/** |v| below this counts as zero; a ReLU unit stuck at zero outputs exactly 0. */
export const ZERO_ACTIVATION = 1e-6;
/** A unit that is zero in this share of windows or more is dead even if a few windows wake it. */
export const DEAD_ZERO_SHARE = 0.99;
/** Variance below this (relative to the mean square of the whole latent matrix) is "constant". */
export const DEAD_RELATIVE_VARIANCE = 1e-6;

/**
 * Dead units: (a) zero in nearly every window (dead ReLU), or (b) variance across windows ~0
 * (a saturated or constant unit encodes nothing about the window). The variance threshold is
 * relative to the overall scale so small but healthy latents are not flagged.
 */
export function unitActivity(vectors: readonly number[][]): UnitActivity[] {
  const n = vectors.length;
  const d = n > 0 ? vectors[0].length : 0;
  if (n === 0) return [];
  let meanSquare = 0;
  for (const v of vectors) for (let j = 0; j < d; j++) meanSquare += (v[j] * v[j]) / (n * d);
  const varianceFloor = Math.max(meanSquare * DEAD_RELATIVE_VARIANCE, 1e-12);
  const result: UnitActivity[] = [];
  for (let j = 0; j < d; j++) {
    let mean = 0;
    let zeros = 0;
    for (const v of vectors) {
      mean += v[j] / n;
      if (Math.abs(v[j]) < ZERO_ACTIVATION) zeros++;
    }
    let variance = 0;
    for (const v of vectors) variance += ((v[j] - mean) * (v[j] - mean)) / n;
    const zeroShare = zeros / n;
    const dead: DeadReason | null = zeroShare >= DEAD_ZERO_SHARE ? 'zero' : n > 1 && variance < varianceFloor ? 'constant' : null;
    result.push({ unit: j, mean, variance, zeroShare, dead });
  }
  return result;
}

export function deadUnits(vectors: readonly number[][]): number[] {
  return unitActivity(vectors)
    .filter((u) => u.dead !== null)
    .map((u) => u.unit);
}

/** Evenly spaced row indices so a heatmap of many windows keeps a readable number of rows. */
export function sampleRows(count: number, max: number): number[] {
  if (count <= max) return Array.from({ length: count }, (_, i) => i);
  const step = count / max;
  return Array.from({ length: max }, (_, i) => Math.floor(i * step));
}

/** The largest |value| in the matrix (the colour scale is symmetric around 0); 0 for an empty or all-zero matrix. */
export function maxAbs(vectors: readonly number[][]): number {
  let m = 0;
  for (const v of vectors) for (const x of v) if (Number.isFinite(x)) m = Math.max(m, Math.abs(x));
  return m;
}
