// TSAE205: the loss became NaN or Inf; nothing after that point is trained.

import { configFix, blameLearningRate, blameMissingClip, blameUnboundedCell, blameUnscaledInput, defined } from './blames';
import type { Detector } from './types';

export const nonFiniteLoss: Detector = {
  code: 'TSAE205',
  name: 'non-finite-loss',
  title: 'Loss became NaN or Infinity',
  severity: 'error',
  kind: 'event',
  summary: 'The training loss became NaN or Infinity, so the weights are no longer usable.',
  detect(input) {
    const history = Array.isArray(input.history) ? input.history : [];
    const badEpoch = history.find((e) => e && typeof e.loss === 'number' && !Number.isFinite(e.loss));
    const at = input.nonFiniteLoss ?? (badEpoch ? { epoch: badEpoch.epoch, batch: -1 } : undefined);
    if (!at) return undefined;
    const where = at.batch >= 0 ? `epoch ${at.epoch}, batch ${at.batch}` : `epoch ${at.epoch}`;
    return { measurement: `The loss became ${badEpoch ? String(badEpoch.loss) : 'NaN or Infinity'} at ${where}`, data: { epoch: at.epoch, batch: at.batch } };
  },
  blame({ config }) {
    const lr = config.training?.learningRate;
    return defined([
      blameLearningRate(config, () => 'steps that large overflow', 'high'),
      blameUnscaledInput(config, 'values in the tens or thousands saturate the gates and make squared errors overflow'),
      blameUnboundedCell(config),
      blameMissingClip(config, 'Without gradient clipping one large gradient in a recurrent net can push the weights to overflow.'),
      // With the usual suspects ruled out the step size is what remains; a trial decides.
      typeof lr === 'number' && lr > 0
        ? {
            configPath: 'training.learningRate',
            reason: 'Gradients are clipped and inputs scaled, so the step size is the remaining suspect.',
            fix: configFix(`Lower the learning rate to ${lr / 10}`, 'training.learningRate', lr / 10),
          }
        : undefined,
    ]);
  },
};
