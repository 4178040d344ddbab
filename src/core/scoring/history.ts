// Scores relative to the series' own recent past (series layout): each window's score becomes
// (score - mean) / std of the scores of the windows before it, over a history of many window
// lengths. A model that was trained on a short stretch meets many kinds of normal it has not seen,
// and its error rises on all of them; what marks an anomaly is an error that the recent past did
// not have. After a disturbed period the history is wider, so the dips and ripples that follow it
// stand out less than a first disturbance after a calm one. This is the idea of NAB's anomaly
// likelihood (Ahmad et al. 2017) and of the dynamic thresholds of Hundman et al. 2018 (KDD,
// LSTM telemetry): a threshold that moves with the recent spread of the errors. Here it is
// applied to the score, so the threshold stays one number ("5 standard deviations above the
// recent past") and events, labels and the timeline work as for plain scores.

/** Windows in a history of `lengths` window lengths at `stride` (0: no history). */
export function historyWindows(lengths: number, windowLength: number, stride: number): number {
  if (!(lengths > 0) || !(stride > 0)) return 0;
  return Math.max(1, Math.round((lengths * windowLength) / stride));
}

/**
 * With fewer windows of history than this share of the full history (the start of the series, or
 * of a segment), the window is compared with `reference` (the run's own training windows scored
 * alike) instead: a handful of windows gives no spread to speak of.
 */
const MIN_HISTORY_SHARE = 0.1;

/**
 * The spread is never taken below this share of the history's mean score: on a nearly constant
 * error (a flat or exactly periodic series) the standard deviation tends to zero and any wobble
 * would be "many deviations" away. A rise of less than a tenth of the usual error is not an anomaly.
 */
export const MIN_RELATIVE_SPREAD = 0.1;

export interface Spread {
  mean: number;
  std: number;
}

/**
 * Each score standardised against the `history` windows before it (of the same segment when
 * `segment` is given: windows that are not neighbours in time do not describe each other's past).
 * NaN scores stay NaN and are left out of the histories.
 */
export function scoresAgainstHistory(scores: ArrayLike<number>, history: number, reference: Spread, segment?: ArrayLike<number>): Float64Array {
  const n = scores.length;
  const out = new Float64Array(n);
  const minimum = Math.max(2, Math.ceil(history * MIN_HISTORY_SHARE));
  // Running sums over the finite scores of the window [lo, w) kept in step with w.
  let sum = 0;
  let sumSquares = 0;
  let count = 0;
  let lo = 0;
  const add = (i: number, sign: 1 | -1): void => {
    const s = scores[i];
    if (!Number.isFinite(s)) return;
    sum += sign * s;
    sumSquares += sign * s * s;
    count += sign;
  };
  for (let w = 0; w < n; w++) {
    if (w > 0) add(w - 1, 1);
    while (lo < w && (w - lo > history || (segment !== undefined && segment[lo] !== segment[w]))) add(lo++, -1);
    const s = scores[w];
    if (!Number.isFinite(s)) {
      out[w] = Number.NaN;
      continue;
    }
    let { mean, std } = reference;
    if (count >= minimum) {
      mean = sum / count;
      std = Math.sqrt(Math.max(0, sumSquares / count - mean * mean));
    }
    const spread = Math.max(std, MIN_RELATIVE_SPREAD * Math.abs(mean));
    out[w] = spread > 0 ? (s - mean) / spread : 0;
  }
  return out;
}

/**
 * Default history in window lengths: 0 (scores are errors). On the quality bench's generated
 * series, where two anomalies of one kind fall within a month, a history of 64 lengths hid the
 * second behind the first (hits 24/26 -> 17/26; BENCHMARKS.md), so it is a setting for long
 * series learned from a short start (NAB's protocol), not a default.
 */
export const DEFAULT_HISTORY_LENGTHS = 0;
