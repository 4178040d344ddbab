// Constructed detector inputs: windows of a known signal, model outputs with a known defect, and
// loss histories of a known shape. Shared by the detector unit tests (not a test file itself).

import type { ResolvedConfig } from '../../src/core/config/types';
import type { DetectorInput } from '../../src/core/detectors';
import type { EpochMetrics } from '../../src/core/run/types';
import { createRng } from '../../src/core/data/random';
import { dataConfig } from '../core/dataConfig';

export type Window = number[][];

/** `count` windows of a sine (period 24) with per-window phase and amplitude, plus a little noise. */
export function sineWindows(count = 40, length = 48, features = 2, seed = 1): Window[] {
  const rng = createRng(seed);
  return Array.from({ length: count }, () => {
    const phase = rng() * 2 * Math.PI;
    const amplitude = 0.5 + rng();
    return Array.from({ length }, (_, t) => Array.from({ length: features }, (_, f) => amplitude * Math.sin((2 * Math.PI * t) / 24 + phase + f) + 0.05 * (rng() - 0.5)));
  });
}

/** Each window replaced by its own mean over time: what a collapsed model emits. */
export function windowMeans(windows: Window[]): Window[] {
  return windows.map((w) => {
    const means = w[0].map((_, f) => w.reduce((s, row) => s + row[f], 0) / w.length);
    return w.map(() => [...means]);
  });
}

/** The windows shrunk toward their mean by `factor` (amplitude loss), plus optional noise. */
export function shrunk(windows: Window[], factor: number, noise = 0, seed = 2): Window[] {
  const rng = createRng(seed);
  const means = windowMeans(windows);
  return windows.map((w, i) => w.map((row, t) => row.map((v, f) => means[i][t][f] + factor * (v - means[i][t][f]) + noise * (rng() - 0.5))));
}

/** `count` latent vectors of `units` units; units listed in `dead` are 0 in every window. */
export function latents(count: number, units: number, dead: number[] = [], seed = 3): number[][] {
  const rng = createRng(seed);
  return Array.from({ length: count }, () => Array.from({ length: units }, (_, u) => (dead.includes(u) ? 0 : rng() * 2 - 1)));
}

/** A history whose loss follows `losses` (valLoss from `valLosses` when given). */
export function history(losses: number[], valLosses?: number[], gradNorms?: Array<Record<string, number>>): EpochMetrics[] {
  return losses.map((loss, i) => ({
    epoch: i + 1,
    loss,
    valLoss: valLosses ? valLosses[i] : null,
    lr: 1e-3,
    seconds: 1,
    ...(gradNorms?.[i] ? { gradNorms: gradNorms[i] } : {}),
  }));
}

/** A loss that falls then stays flat for the last `flat` epochs. */
export function stalledLosses(epochs = 12, flat = 6, level = 0.9): number[] {
  return Array.from({ length: epochs }, (_, i) => (i < epochs - flat ? level * (1 + 0.5 * (epochs - flat - i)) : level));
}

/** A loss falling 10% per epoch: still learning. */
export function fallingLosses(epochs = 12, start = 1): number[] {
  return Array.from({ length: epochs }, (_, i) => start * 0.9 ** i);
}

export type ConfigTweak = (config: ResolvedConfig) => void;

/** A healthy config (series, 48-step windows, 2 features, latent 8, tanh, repeat bridge, Adam 1e-3). */
export function config(...tweaks: ConfigTweak[]): ResolvedConfig {
  const c = dataConfig('/nonexistent/data.csv', { windowing: { length: 48 }, data: { columns: ['a', 'b'] } });
  c.model.latent.size = 8;
  for (const tweak of tweaks) tweak(c);
  return c;
}

export function input(parts: Partial<DetectorInput> = {}): DetectorInput {
  return { config: config(), history: [], final: true, ...parts };
}
