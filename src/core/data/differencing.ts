// First-order differencing turns a trending series into its steps, which LSTMs model more easily.
// It loses the level, so every window keeps an anchor (the original value just before its first
// step) and `integrate` rebuilds original units from it.

/** d[r] = x[r + 1] - x[r] per feature, for `values` laid out [row][feature]. One row shorter. */
export function difference(values: ArrayLike<number>, features: number): Float64Array {
  const rows = Math.floor(values.length / features);
  const out = new Float64Array(Math.max(rows - 1, 0) * features);
  for (let i = 0; i < out.length; i++) out[i] = values[i + features] - values[i];
  return out;
}

/** Inverse of `difference` for one window: x[t] = anchor + d[0] + ... + d[t], per feature. */
export function integrate(diffs: number[][], anchor: ArrayLike<number>): number[][] {
  const level = Array.from(anchor);
  return diffs.map((step) => step.map((d, f) => (level[f] += d)));
}
