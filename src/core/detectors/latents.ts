// Statistics of latent vectors across windows, for the dead-unit detector. Rows that are not
// finite or not as wide as the first are skipped: the sample may come from a diverging model.

/** A unit whose value is exactly zero in at least this share of windows is stuck at ReLU's floor. */
export const STUCK_AT_ZERO_SHARE = 0.99;
/**
 * A unit whose spread across windows is below this fraction of the median active unit's carries
 * no information about the window (it adds a constant the decoder can get from a bias).
 */
export const RELATIVE_DEAD_STD = 1e-3;
/** Spreads below this are zero whatever the other units do (float32 noise is ~1e-7). */
const ABSOLUTE_DEAD_STD = 1e-6;

export interface LatentUnitStats {
  /** Windows used. */
  windows: number;
  std: number[];
  zeroShare: number[];
  /** Indices of dead units, ascending. */
  dead: number[];
}

export function latentUnitStats(latents: unknown): LatentUnitStats | undefined {
  if (!Array.isArray(latents) || latents.length < 2) return undefined;
  const first = latents.find((row) => Array.isArray(row) && row.length > 0) as number[] | undefined;
  if (!first) return undefined;
  const units = first.length;
  const rows = latents.filter((row): row is number[] => Array.isArray(row) && row.length === units && row.every((v) => typeof v === 'number' && Number.isFinite(v)));
  if (rows.length < 2) return undefined;
  const std: number[] = [];
  const zeroShare: number[] = [];
  for (let u = 0; u < units; u++) {
    let sum = 0;
    let zeros = 0;
    for (const row of rows) {
      sum += row[u];
      if (row[u] === 0) zeros++;
    }
    const mean = sum / rows.length;
    let variance = 0;
    for (const row of rows) variance += (row[u] - mean) ** 2;
    std.push(Math.sqrt(variance / rows.length));
    zeroShare.push(zeros / rows.length);
  }
  const active = std.filter((s) => s >= ABSOLUTE_DEAD_STD).sort((a, b) => a - b);
  const medianActive = active.length > 0 ? active[Math.floor(active.length / 2)] : 0;
  const dead: number[] = [];
  for (let u = 0; u < units; u++) {
    const flat = std[u] < ABSOLUTE_DEAD_STD || std[u] < RELATIVE_DEAD_STD * medianActive;
    if (flat || zeroShare[u] >= STUCK_AT_ZERO_SHARE) dead.push(u);
  }
  return { windows: rows.length, std, zeroShare, dead };
}
