// TSAE202: latent units that do not vary across windows (dead ReLU units, saturated units).

import { blameLearningRate, blameReluLatent, blameUnscaledInput, defined } from './blames';
import { percent } from './finding';
import { readyToJudge } from './history';
import { latentUnitStats, RELATIVE_DEAD_STD, STUCK_AT_ZERO_SHARE } from './latents';
import type { Detector } from './types';
import { pairedWindows, reconstructionMse, targetVariance } from './windows';

/**
 * A reconstruction that leaves at most this share of the target's variance to the error (explains
 * 70 % or more) is a good model: its dead units waste capacity (a wider live latent would cost
 * fewer parameters) but do not fail it, so the finding is information. Above it the dead units are
 * a reason the model is poor, and the finding is a warning. 0.3 is the zoo's health bar
 * (zoo/README.md): noise alone leaves 0.004-0.1 of the variance there, cured models 0.07-0.26.
 */
export const GOOD_ERROR_SHARE = 0.3;

export const deadLatentUnits: Detector = {
  code: 'TSAE202',
  name: 'dead-latent-units',
  title: 'Latent units that never change',
  severity: 'warning',
  kind: 'condition',
  summary: 'Some latent units have the same value for every window, so the bottleneck is narrower than configured.',
  detect(input) {
    if (!readyToJudge(input)) return undefined;
    const stats = latentUnitStats(input.latents);
    if (!stats || stats.dead.length === 0) return undefined;
    const units = stats.std.length;
    const alive = units - stats.dead.length;
    const stuckAtZero = stats.dead.filter((u) => stats.zeroShare[u] >= STUCK_AT_ZERO_SHARE).length;
    const what = stuckAtZero === stats.dead.length ? 'stuck at exactly zero' : 'constant';
    const pairs = pairedWindows(input);
    const mse = reconstructionMse(pairs);
    const variance = targetVariance(pairs);
    const errorShare = mse !== undefined && variance !== undefined && variance > 0 ? mse / variance : undefined;
    const good = errorShare !== undefined && errorShare <= GOOD_ERROR_SHARE;
    const squeezed = `the window is squeezed through ${alive} unit${alive === 1 ? '' : 's'}`;
    return {
      measurement:
        `${stats.dead.length} of ${units} latent units are ${what} across ${stats.windows} windows ` +
        `(unit${stats.dead.length === 1 ? '' : 's'} ${stats.dead.join(', ')}): ` +
        (good ? `${squeezed}, yet it reconstructs well (error ${percent(errorShare)} of the variance): capacity is wasted, the model is not failing` : squeezed),
      data: {
        deadUnits: stats.dead.length,
        units,
        stuckAtZero,
        windows: stats.windows,
        relativeStdThreshold: RELATIVE_DEAD_STD,
        zeroShareThreshold: STUCK_AT_ZERO_SHARE,
        ...(errorShare !== undefined ? { errorShare, goodErrorShare: GOOD_ERROR_SHARE } : {}),
      },
    };
  },
  severityOf(symptom) {
    const share = symptom.data.errorShare;
    return typeof share === 'number' && share <= GOOD_ERROR_SHARE ? 'info' : 'warning';
  },
  blame({ config }) {
    return defined([
      blameReluLatent(config),
      blameUnscaledInput(config, 'large inputs drive the latent units into the flat ends of their activation, where they no longer change'),
      blameLearningRate(config, () => 'large steps push units into regions where they stop responding', 'high'),
    ]);
  },
};
