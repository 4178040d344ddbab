// Window errors into anomaly scores over time (series layout): each window's score is the mean
// error of the windows around it, over a span of a few window lengths. An anomaly that lasts
// (a level shift, a drift, a change of frequency or noise) raises every window it touches, while
// the scatter of errors on normal data averages out, so the two separate better; a spike raises
// every window containing it and survives the average. Quantile and mean + k std thresholds are
// calibrated on the run's own training windows scored the same way (score.ts), so the rule keeps
// its meaning.

/**
 * Default span, in window lengths (0: no smoothing). Windows one length apart share no step, so a
 * span of L lengths averages about L independent errors: the scatter of normal scores shrinks by
 * about sqrt(L), an anomaly lasting the span keeps its full score, and a spike keeps 1/L of it.
 * Measured over bench/anomaly/quality.ts (BENCHMARKS.md): from 2 to 4 the window ROC AUC of every
 * generated case rose (e.g. 0.855 -> 0.975) and, on the cases it was chosen on, no labelled window
 * was lost; on the 6 validation cases one short spike on a wandering base faded below the
 * threshold (the price of the 1/L). At 6 and 8 events start before the labelled windows (the
 * centred average reaches 3-4 lengths ahead) and more short anomalies fade.
 */
export const DEFAULT_SMOOTHING_LENGTHS = 4;

/** Windows averaged for a span of `lengths` window lengths at `stride` (1: no smoothing; always odd, centred). */
export function smoothingWindows(lengths: number, windowLength: number, stride: number): number {
  if (!(lengths > 0) || !(stride > 0)) return 1;
  const n = Math.max(1, Math.round((lengths * windowLength) / stride));
  return n % 2 === 1 ? n : n + 1;
}

/**
 * Centred moving average over `windows` neighbours (fewer at the ends). Windows of separate
 * segments (`segment` differs: a gap in a training set) are not averaged together. A NaN error
 * stays NaN for its own window and is left out of its neighbours' averages.
 */
export function smoothScores(errors: ArrayLike<number>, windows: number, segment?: ArrayLike<number>): Float64Array {
  const n = errors.length;
  const out = new Float64Array(n);
  const half = Math.floor(windows / 2);
  for (let w = 0; w < n; w++) {
    if (Number.isNaN(errors[w])) {
      out[w] = Number.NaN;
      continue;
    }
    let sum = 0;
    let count = 0;
    for (let k = Math.max(0, w - half); k <= Math.min(n - 1, w + half); k++) {
      if (Number.isNaN(errors[k]) || (segment && segment[k] !== segment[w])) continue;
      sum += errors[k];
      count++;
    }
    out[w] = sum / count;
  }
  return out;
}
