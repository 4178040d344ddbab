// Scores for anomaly detection from reconstruction errors.

/**
 * Area under the ROC curve: the probability that a randomly chosen positive scores higher than
 * a randomly chosen negative, ties counting one half (the Mann-Whitney U statistic divided by
 * the number of pairs). Returns NaN when either class is empty.
 */
export function rocAuc(scores: ArrayLike<number>, positives: ArrayLike<boolean>): number {
  if (scores.length !== positives.length) throw new Error(`rocAuc: ${scores.length} scores but ${positives.length} labels`);
  const order = Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[a] - scores[b]);
  let positiveRankSum = 0;
  let nPos = 0;
  let i = 0;
  while (i < order.length) {
    // Tied scores share the mean of their ranks (1-based).
    let j = i;
    while (j + 1 < order.length && scores[order[j + 1]] === scores[order[i]]) j++;
    const meanRank = (i + j + 2) / 2;
    for (let k = i; k <= j; k++) {
      if (positives[order[k]]) {
        positiveRankSum += meanRank;
        nPos++;
      }
    }
    i = j + 1;
  }
  const nNeg = order.length - nPos;
  if (nPos === 0 || nNeg === 0) return Number.NaN;
  return (positiveRankSum - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
}

/** Linear-interpolated quantile (type 7, numpy's default) of unsorted values. */
export function quantile(values: ArrayLike<number>, q: number): number {
  const sorted = Float64Array.from(values).sort();
  return quantileSorted(sorted, q);
}

export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const pos = Math.min(1, Math.max(0, q)) * (sorted.length - 1);
  const lo = Math.floor(pos);
  // At an exact rank the element itself: interpolating would turn an infinite neighbour into NaN.
  if (pos === lo) return sorted[lo];
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}
