// TSAE105: the latent vector fed to the decoder as if it were a time axis (setup 1: PyTorch,
// 206-step windows reconstructed as noise or with the amplitude lost).

import { findingAt } from './report';
import type { Rule } from './types';

export const latentAsTimeAxis: Rule = {
  code: 'TSAE105',
  name: 'latent-as-time-axis',
  title: 'Latent vector fed to the decoder as a time axis',
  severity: 'warning',
  since: '0.1.0',
  fixAvailability: 'always',
  explains: ['TSAE201', 'TSAE203', 'TSAE208', 'TSAE204'],
  summary:
    'model.bridge is sequence: the decoder reads the latent units one per time step, as if the latent vector were a ' +
    'univariate series. The decoder then runs for as many steps as there are latent units and never sees the whole code ' +
    'at once, so the window is reconstructed from a reshaped code rather than from a summary. Repeat the latent at every step.',
  check(ctx) {
    const { model, windowing } = ctx.config;
    if (model.bridge !== 'sequence') return [];
    return [
      findingAt(
        latentAsTimeAxis,
        ctx,
        'model.bridge',
        `model.bridge is sequence: the ${model.latent.size} latent units reach the decoder as ${model.latent.size} time steps of one value ` +
          `instead of a ${model.latent.size}-value code at each of the ${windowing.length} steps. Set it to repeat.`,
        { fix: { path: 'model.bridge', value: 'repeat', safety: 'unsafe' } },
      ),
    ];
  },
};
