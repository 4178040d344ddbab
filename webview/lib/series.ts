// Reducing per-step series to a bounded number of buckets.

export interface Bucket {
  /** First and last index the bucket covers (inclusive). */
  start: number;
  end: number;
  value: number;
}

/**
 * Splits `values` into at most `maxBuckets` consecutive buckets and keeps each bucket's maximum,
 * so a single bad step still shows when thousands share a pixel. NaN wins (a non-finite error is
 * the worst kind).
 */
export function bucketMax(values: readonly number[], maxBuckets: number): Bucket[] {
  const n = values.length;
  if (n === 0 || maxBuckets < 1) return [];
  const size = Math.max(1, Math.ceil(n / maxBuckets));
  const buckets: Bucket[] = [];
  for (let start = 0; start < n; start += size) {
    const end = Math.min(start + size, n) - 1;
    let value = Number.NEGATIVE_INFINITY;
    for (let i = start; i <= end; i++) {
      if (Number.isNaN(values[i])) {
        value = Number.NaN;
        break;
      }
      value = Math.max(value, values[i]);
    }
    buckets.push({ start, end, value });
  }
  return buckets;
}
