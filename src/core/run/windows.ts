// Ordering and picking reconstruction windows.

import type { WindowReconstruction } from './types';
import type { WindowSort } from '../protocol/webview';

/** A sorted copy; NaN errors (a diverged run) sort as the worst, ties keep window order. */
export function sortWindows<W extends Pick<WindowReconstruction, 'index' | 'error'>>(windows: readonly W[], sort: WindowSort): W[] {
  const key = (w: W): number => (Number.isNaN(w.error) ? Number.POSITIVE_INFINITY : w.error);
  const copy = windows.slice();
  switch (sort) {
    case 'error-desc':
      return copy.sort((a, b) => key(b) - key(a) || a.index - b.index);
    case 'error-asc':
      return copy.sort((a, b) => key(a) - key(b) || a.index - b.index);
    case 'index':
      return copy.sort((a, b) => a.index - b.index);
  }
}

export function worstWindow<W extends Pick<WindowReconstruction, 'index' | 'error'>>(windows: readonly W[]): W | undefined {
  return sortWindows(windows, 'error-desc')[0];
}

/** The neighbour of `current` in the sorted list (`step` -1 or +1), clamped to the ends. */
export function stepWindow<W extends Pick<WindowReconstruction, 'index'>>(sorted: readonly W[], current: number, step: number): W | undefined {
  if (sorted.length === 0) return undefined;
  const at = sorted.findIndex((w) => w.index === current);
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
