// Loss-curve statistics over `DetectorInput.history`. Epochs with a missing or non-finite loss
// are ignored rather than trusted, so a diverging run cannot make the arithmetic throw or lie.

import type { EpochMetrics } from '../run/types';

/** Epochs over which a curve must have stopped moving before it counts as a plateau. */
export const PLATEAU_EPOCHS = 5;
/** Below this relative improvement over PLATEAU_EPOCHS the training loss counts as stalled. */
export const PLATEAU_RELATIVE_IMPROVEMENT = 0.01;

export function finiteLosses(history: readonly EpochMetrics[]): number[] {
  if (!Array.isArray(history)) return [];
  return history.map((e) => e?.loss).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
}

/**
 * Relative improvement of the best training loss over the last `window` epochs against the
 * best loss before them: (bestBefore - bestRecent) / bestBefore. Running minima rather than
 * raw values keep one noisy epoch from looking like progress or a stall. Undefined until
 * there are at least `window + 1` finite epochs.
 */
export function recentRelativeImprovement(history: readonly EpochMetrics[], window = PLATEAU_EPOCHS): number | undefined {
  const losses = finiteLosses(history);
  if (losses.length < window + 1) return undefined;
  const bestBefore = Math.min(...losses.slice(0, losses.length - window));
  const bestRecent = Math.min(...losses.slice(losses.length - window));
  if (bestBefore <= 0) return 0;
  return (bestBefore - bestRecent) / bestBefore;
}

/** True once the training loss has stopped improving by PLATEAU_RELATIVE_IMPROVEMENT. */
export function lossHasStalled(history: readonly EpochMetrics[]): boolean {
  const improvement = recentRelativeImprovement(history);
  return improvement !== undefined && improvement < PLATEAU_RELATIVE_IMPROVEMENT;
}

/** The last epoch number in the history, for `RunFinding.epoch`. */
export function lastEpoch(history: readonly EpochMetrics[]): number | undefined {
  if (!Array.isArray(history) || history.length === 0) return undefined;
  const epoch = history[history.length - 1]?.epoch;
  return typeof epoch === 'number' && Number.isFinite(epoch) ? epoch : undefined;
}

/**
 * Conditions such as a collapsed or flat reconstruction hold for every model at its first
 * epochs; they are only worth reporting once training has settled (stalled) or ended.
 */
export function readyToJudge(input: { final: boolean; history: readonly EpochMetrics[] }): boolean {
  return input.final || lossHasStalled(input.history);
}

/** Fewer finite epochs than this have no loss slope: too short to tell whether a run had settled. */
export const SLOPE_MIN_EPOCHS = 3;

/** "Still learning": the training loss fell by at least this share per epoch over the last epochs. */
export const STILL_IMPROVING_RATE = 0.02;
const SLOPE_EPOCHS = 5;

/**
 * The per-epoch relative change of the training loss over the last epochs (up to 5), from a
 * least-squares fit of log(loss): -0.05 means 5 % lower per epoch. Undefined with fewer than 3
 * finite epochs or a non-positive loss.
 */
export function lossSlope(history: readonly EpochMetrics[]): number | undefined {
  const losses = finiteLosses(history).slice(-SLOPE_EPOCHS);
  if (losses.length < SLOPE_MIN_EPOCHS || losses.some((l) => l <= 0)) return undefined;
  const n = losses.length;
  const xs = losses.map((_, i) => i);
  const ys = losses.map((l) => Math.log(l));
  const mx = (n - 1) / 2;
  const my = ys.reduce((s, y) => s + y, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += (xs[i] - mx) * (ys[i] - my);
    den += (xs[i] - mx) ** 2;
  }
  return Math.exp(num / den) - 1;
}

/**
 * True when training ended while the loss was still falling steadily: the fitted slope is at
 * least STILL_IMPROVING_RATE per epoch down and the last epoch is within 5 % of the recent best
 * (an oscillating loss is not "still learning").
 */
export function stillImproving(history: readonly EpochMetrics[]): boolean {
  const slope = lossSlope(history);
  if (slope === undefined || slope > -STILL_IMPROVING_RATE) return false;
  const recent = finiteLosses(history).slice(-SLOPE_EPOCHS);
  return recent[recent.length - 1] <= Math.min(...recent) * 1.05;
}
