// Largest-Triangle-Three-Buckets (Steinarsson 2013): keeps the visual shape of a long series
// (peaks, dips) with a fixed number of points, so a 100k-point series draws as fast as a short one.
// Pure: also compiled for node tests.

export interface Point {
  x: number;
  y: number;
}

/** Points a chart can draw without slowing down; more than the pixels across a panel. */
export const DEFAULT_MAX_POINTS = 2000;

/**
 * Indices of the points LTTB keeps, ascending, always including the first and the last.
 * Series no longer than `threshold` (or thresholds below 3) come back whole. Non-finite y values
 * count as 0 for the area but may still be kept, so a gap stays visible.
 */
export function lttbIndices(points: readonly Point[], threshold: number): number[] {
  const n = points.length;
  if (threshold >= n || threshold < 3) return points.map((_, i) => i);
  const kept: number[] = [0];
  // The first and last points are fixed; the rest are split into threshold - 2 buckets.
  const bucketSize = (n - 2) / (threshold - 2);
  let a = 0;
  for (let bucket = 0; bucket < threshold - 2; bucket++) {
    const start = Math.floor(bucket * bucketSize) + 1;
    const end = Math.min(Math.floor((bucket + 1) * bucketSize) + 1, n - 1);
    // The third triangle corner is the mean of the next bucket (or the last point).
    const nextStart = end;
    const nextEnd = Math.min(Math.floor((bucket + 2) * bucketSize) + 1, n);
    let avgX = 0;
    let avgY = 0;
    const nextCount = Math.max(nextEnd - nextStart, 1);
    for (let j = nextStart; j < nextStart + nextCount && j < n; j++) {
      avgX += points[j].x;
      avgY += finiteOr0(points[j].y);
    }
    avgX /= nextCount;
    avgY /= nextCount;

    const ax = points[a].x;
    const ay = finiteOr0(points[a].y);
    let best = start;
    let bestArea = -1;
    for (let j = start; j < end; j++) {
      const area = Math.abs((ax - avgX) * (finiteOr0(points[j].y) - ay) - (ax - points[j].x) * (avgY - ay));
      if (area > bestArea) {
        bestArea = area;
        best = j;
      }
    }
    kept.push(best);
    a = best;
  }
  kept.push(n - 1);
  return kept;
}

export function lttb(points: readonly Point[], threshold: number = DEFAULT_MAX_POINTS): Point[] {
  return lttbIndices(points, threshold).map((i) => points[i]);
}

/** Decimates a series given as y values at x = 0, 1, 2, ... */
export function lttbSeries(ys: readonly number[], threshold: number = DEFAULT_MAX_POINTS): Point[] {
  return lttb(
    ys.map((y, x) => ({ x, y })),
    threshold,
  );
}

function finiteOr0(v: number): number {
  return Number.isFinite(v) ? v : 0;
}
