// TSAE205: the loss became NaN or Inf; nothing after that point is trained.

import type { ResolvedConfig } from '../config/types';
import { defaultLearningRate, learningRateOutOfRange } from './configFacts';
import { makeFinding, type Blame } from './finding';
import type { Detector } from './types';

/** A global-norm clip of 1 is the value Pascanu et al. (2013) found robust for recurrent nets. */
export const SUGGESTED_CLIP_NORM = 1;

export const nonFiniteLoss: Detector = {
  code: 'TSAE205',
  title: 'non-finite-loss',
  severity: 'error',
  kind: 'event',
  summary: 'The training loss became NaN or Infinity, so the weights are no longer usable.',
  detect(input) {
    const history = Array.isArray(input.history) ? input.history : [];
    const badEpoch = history.find((e) => e && typeof e.loss === 'number' && !Number.isFinite(e.loss));
    const at = input.nonFiniteLoss ?? (badEpoch ? { epoch: badEpoch.epoch, batch: -1 } : undefined);
    if (!at) return [];
    const where = at.batch >= 0 ? `epoch ${at.epoch}, batch ${at.batch}` : `epoch ${at.epoch}`;
    return [
      makeFinding(nonFiniteLoss, input, `The loss became ${badEpoch ? String(badEpoch.loss) : 'NaN or Infinity'} at ${where}`, blameNonFinite(input.config), {
        epoch: at.epoch,
        batch: at.batch,
      }),
    ];
  },
};

export function blameNonFinite(config: ResolvedConfig): Blame {
  if (learningRateOutOfRange(config) === 'high') {
    const lr = defaultLearningRate(config);
    return {
      configPath: 'training.learningRate',
      reason: `Learning rate ${config.training.learningRate} is above the usual range for ${config.training.optimizer}; steps that large overflow.`,
      fix: { title: `Use the ${config.training.optimizer} default learning rate ${lr}`, configPath: 'training.learningRate', value: lr },
    };
  }
  if (config.preprocessing?.scaling === 'none') {
    return {
      configPath: 'preprocessing.scaling',
      reason: 'Unscaled inputs (values in the tens or hundreds) saturate the gates and make squared errors huge.',
      fix: { title: 'Standardise the inputs (scaling: standard)', configPath: 'preprocessing.scaling', value: 'standard' },
    };
  }
  if (!(config.training?.clipNorm > 0)) {
    return {
      configPath: 'training.clipNorm',
      reason: 'Without gradient clipping one large gradient in a recurrent net can push the weights to overflow.',
      fix: { title: `Clip the gradient norm at ${SUGGESTED_CLIP_NORM}`, configPath: 'training.clipNorm', value: SUGGESTED_CLIP_NORM },
    };
  }
  const lr = config.training?.learningRate;
  return {
    configPath: 'training.learningRate',
    reason: 'Gradients are clipped and inputs scaled, so the step size is the remaining suspect.',
    ...(typeof lr === 'number' && lr > 0 ? { fix: { title: `Lower the learning rate to ${lr / 10}`, configPath: 'training.learningRate', value: lr / 10 } } : {}),
  };
}
