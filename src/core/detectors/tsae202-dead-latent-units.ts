// TSAE202: latent units that do not vary across windows (dead ReLU units, saturated units).

import { blameLearningRate, blameReluLatent, blameUnscaledInput, defined } from './blames';
import { readyToJudge } from './history';
import { latentUnitStats, RELATIVE_DEAD_STD, STUCK_AT_ZERO_SHARE } from './latents';
import type { Detector } from './types';

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
    return {
      measurement:
        `${stats.dead.length} of ${units} latent units are ${what} across ${stats.windows} windows ` +
        `(unit${stats.dead.length === 1 ? '' : 's'} ${stats.dead.join(', ')}): the window is squeezed through ${alive} unit${alive === 1 ? '' : 's'}`,
      data: { deadUnits: stats.dead.length, units, stuckAtZero, windows: stats.windows, relativeStdThreshold: RELATIVE_DEAD_STD, zeroShareThreshold: STUCK_AT_ZERO_SHARE },
    };
  },
  blame({ config }) {
    return defined([
      blameReluLatent(config),
      blameUnscaledInput(config, 'large inputs drive the latent units into the flat ends of their activation, where they no longer change'),
      blameLearningRate(config, () => 'large steps push units into regions where they stop responding', 'high'),
    ]);
  },
};
