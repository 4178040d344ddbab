// Blames shared by the detectors whose symptom the latent path explains: a decoder that reads the
// latent units as time steps, or a latent vector too small for the window. Each detector says in
// its own words what the cause does to its symptom.

import type { DetectorInput } from './types';
import { compressionRatioOf, healthyLatentSize, MAX_HEALTHY_COMPRESSION } from './configFacts';
import { featureCount, type Blame } from './finding';

export function blameSequenceBridge(input: Pick<DetectorInput, 'config'>, reason: string): Blame | undefined {
  if (input.config.model?.bridge !== 'sequence') return undefined;
  return {
    configPath: 'model.bridge',
    reason,
    fix: { title: 'Repeat the latent vector at every time step (bridge: repeat)', configPath: 'model.bridge', value: 'repeat' },
  };
}

/** `reason` gets the input values per latent unit, rounded. */
export function blameOvercompression(input: Pick<DetectorInput, 'config' | 'inputs'>, reason: (valuesPerUnit: number) => string): Blame | undefined {
  const features = featureCount(input as DetectorInput) ?? 1;
  const ratio = compressionRatioOf(input.config, features);
  if (ratio === undefined || ratio <= MAX_HEALTHY_COMPRESSION) return undefined;
  const size = healthyLatentSize(input.config, features);
  return {
    configPath: 'model.latent.size',
    reason: reason(Math.round(ratio)),
    fix: { title: `Widen the latent vector to ${size} units (${MAX_HEALTHY_COMPRESSION}:1)`, configPath: 'model.latent.size', value: size },
  };
}
