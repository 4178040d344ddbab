// TSAE202: latent units that do not vary across windows (dead ReLU units, saturated units).

import type { ResolvedConfig } from '../config/types';
import { isReluFamily } from './configFacts';
import { makeFinding, type Blame } from './finding';
import { readyToJudge } from './history';
import { latentUnitStats, RELATIVE_DEAD_STD, STUCK_AT_ZERO_SHARE } from './latents';
import type { Detector } from './types';

export const deadLatentUnits: Detector = {
  code: 'TSAE202',
  title: 'dead-latent-units',
  severity: 'warning',
  kind: 'condition',
  summary: 'Some latent units have the same value for every window, so the bottleneck is narrower than configured.',
  detect(input) {
    if (!readyToJudge(input)) return [];
    const stats = latentUnitStats(input.latents);
    if (!stats || stats.dead.length === 0) return [];
    const units = stats.std.length;
    const stuckAtZero = stats.dead.filter((u) => stats.zeroShare[u] >= STUCK_AT_ZERO_SHARE).length;
    const what = stuckAtZero === stats.dead.length ? 'stuck at exactly zero' : 'constant';
    const measurement =
      `${stats.dead.length} of ${units} latent units are ${what} across ${stats.windows} windows ` +
      `(unit${stats.dead.length === 1 ? '' : 's'} ${stats.dead.join(', ')}): the window is squeezed through ${units - stats.dead.length} unit${units - stats.dead.length === 1 ? '' : 's'}`;
    return [
      makeFinding(deadLatentUnits, input, measurement, blameDeadUnits(input.config), {
        deadUnits: stats.dead.length,
        units,
        stuckAtZero,
        windows: stats.windows,
        relativeStdThreshold: RELATIVE_DEAD_STD,
        zeroShareThreshold: STUCK_AT_ZERO_SHARE,
      }),
    ];
  },
};

export function blameDeadUnits(config: ResolvedConfig): Blame {
  const activation = config.model?.latent?.activation;
  if (isReluFamily(activation)) {
    return {
      configPath: 'model.latent.activation',
      reason: `A ${activation} unit whose input is negative for every window outputs 0 and gets no gradient, so it never recovers.`,
      fix: { title: 'Use a linear latent activation', configPath: 'model.latent.activation', value: 'linear' },
    };
  }
  return {
    configPath: 'model.latent.size',
    reason: `With ${activation ?? 'this'} activation the unit saturates or is unused; the model does not need this many latent units, or they are saturated by large inputs (check preprocessing.scaling).`,
  };
}
