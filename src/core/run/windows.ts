// Ordering and picking reconstruction windows.

import type { ReconstructionsFile, WindowError, WindowReconstruction } from './types';
import type { WindowSort } from '../protocol/webview';

type Ranked = Pick<WindowReconstruction, 'index' | 'error' | 'heldOut'>;

/** A sorted copy; NaN errors (a diverged run) sort as the worst, ties keep window order (validation before held-out). */
export function sortWindows<W extends Ranked>(windows: readonly W[], sort: WindowSort): W[] {
  const key = (w: W): number => (Number.isNaN(w.error) ? Number.POSITIVE_INFINITY : w.error);
  const order = (a: W, b: W): number => Number(a.heldOut === true) - Number(b.heldOut === true) || a.index - b.index;
  const copy = windows.slice();
  switch (sort) {
    case 'error-desc':
      return copy.sort((a, b) => key(b) - key(a) || order(a, b));
    case 'error-asc':
      return copy.sort((a, b) => key(a) - key(b) || order(a, b));
    case 'index':
      return copy.sort(order);
  }
}

export function worstWindow<W extends Ranked>(windows: readonly W[]): W | undefined {
  return sortWindows(windows, 'error-desc')[0];
}

/** The same window of the same set (validation and held-out windows are numbered separately). */
export function sameWindow(a: Pick<WindowError, 'index' | 'heldOut'>, b: Pick<WindowError, 'index' | 'heldOut'>): boolean {
  return a.index === b.index && (a.heldOut === true) === (b.heldOut === true);
}

/** What "worst first" ranks: every window's error when the run saved them, else the windows saved with their values. */
export function rankedWindows(file: Pick<ReconstructionsFile, 'windows' | 'ranking'>): WindowError[] {
  return file.ranking ?? file.windows;
}

/**
 * The run's worst window with its values: the worst of the whole ranking (the runs panel's preview
 * and the dashboard's first row agree on it). Runs save the worst windows' values, so it is found;
 * undefined when the run has no windows (or a ranking whose worst window was not saved).
 */
export function worstReconstruction(file: Pick<ReconstructionsFile, 'windows' | 'ranking'>): WindowReconstruction | undefined {
  const worst = worstWindow(rankedWindows(file));
  return worst && file.windows.find((w) => sameWindow(w, worst));
}

/** The neighbour of `current` in the sorted list (`step` -1 or +1), clamped to the ends. */
export function stepWindow<W extends Pick<WindowReconstruction, 'index' | 'heldOut'>>(sorted: readonly W[], current: number, step: number, heldOut = false): W | undefined {
  if (sorted.length === 0) return undefined;
  const at = sorted.findIndex((w) => sameWindow(w, { index: current, heldOut }));
  const next = at < 0 ? 0 : Math.min(Math.max(at + step, 0), sorted.length - 1);
  return sorted[next];
}

/** One feature of a window as a series: [time] values. */
export function featureSeries(matrix: readonly number[][], feature: number): number[] {
  return matrix.map((row) => (feature < row.length ? row[feature] : Number.NaN));
}

/** Window errors sorted ascending, for the before/after quantile curve of a comparison. */
export function sortedErrors(windows: readonly Pick<WindowReconstruction, 'error'>[]): number[] {
  return windows
    .map((w) => w.error)
    .filter((e) => Number.isFinite(e))
    .sort((a, b) => a - b);
}

export function meanError(windows: readonly Pick<WindowReconstruction, 'error'>[]): number | null {
  const errors = sortedErrors(windows);
  return errors.length === 0 ? null : errors.reduce((s, e) => s + e, 0) / errors.length;
}
