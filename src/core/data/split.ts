// Train/validation split of the windows that may be trained on.

import { createRng, shuffleInPlace } from './random';

export interface SplitResult {
  /** Window ids in ascending order. */
  train: number[];
  validation: number[];
  /** Series layout: training windows dropped because they overlap the validation period. */
  purged: number;
}

/** Number of validation windows for `count` candidates: at least one when a fraction is asked for, never all. */
export function validationCount(count: number, fraction: number): number {
  if (fraction <= 0 || count < 2) return 0;
  return Math.min(Math.max(Math.round(fraction * count), 1), count - 1);
}

/**
 * Series layout. Overlapping windows share points, so a random split would put copies of the
 * validation data in the training set and make the validation loss look better than it is.
 * Instead the last `fraction` of the windows (the most recent period, as in forecasting
 * practice) validate, and training windows reaching into that period are dropped so not a
 * single point is shared. `candidates` must be in chronological order.
 */
export function splitChronological(candidates: number[], bases: number[], length: number, fraction: number): SplitResult {
  const nValidation = validationCount(candidates.length, fraction);
  if (nValidation === 0) return { train: [...candidates], validation: [], purged: 0 };
  const validation = candidates.slice(candidates.length - nValidation);
  const cut = bases[validation[0]];
  const before = candidates.slice(0, candidates.length - nValidation);
  const train = before.filter((w) => bases[w] + length <= cut);
  return { train, validation, purged: before.length - train.length };
}

/** Rows layout: sequences are independent, so a seeded random split is fair. */
export function splitRandom(candidates: number[], fraction: number, seed: number): SplitResult {
  const nValidation = validationCount(candidates.length, fraction);
  const shuffled = shuffleInPlace([...candidates], createRng(seed));
  const ascending = (a: number, b: number): number => a - b;
  return {
    validation: shuffled.slice(0, nValidation).sort(ascending),
    train: shuffled.slice(nValidation).sort(ascending),
    purged: 0,
  };
}
