// TSAE107: encoder layers growing wider on the way to the bottleneck (setup 4: widths
// 5 -> 16 -> 1), so the encoder expands before it has to compress everything at once.

import type { Finding } from '../types';
import { findingAt } from './report';
import type { Rule } from './types';

export const encoderWidensTowardBottleneck: Rule = {
  code: 'TSAE107',
  name: 'encoder-widens-toward-bottleneck',
  title: 'Encoder widths grow toward the bottleneck',
  severity: 'warning',
  since: '0.1.0',
  fixAvailability: 'none',
  explains: ['TSAE203', 'TSAE208'],
  summary:
    'An encoder layer is wider than the layer before it. An autoencoder encoder should narrow step by step toward the ' +
    'latent; widening first adds parameters that cannot add information and leaves one abrupt compression into the latent.',
  check(ctx) {
    const { encoder, latent } = ctx.config.model;
    const widths = [...encoder.map((layer) => layer.units), latent.size].join(' -> ');
    const findings: Finding[] = [];
    for (let index = 1; index < encoder.length; index++) {
      const before = encoder[index - 1].units;
      const units = encoder[index].units;
      if (units <= before) continue;
      findings.push(
        findingAt(
          encoderWidensTowardBottleneck,
          ctx,
          `model.encoder.${index}.units`,
          `model.encoder.${index}.units is ${units}, wider than the ${before} units before it (encoder widths ${widths}): ` +
            'the encoder expands before compressing. Order encoder layers from wide to narrow.',
        ),
      );
    }
    return findings;
  },
};
