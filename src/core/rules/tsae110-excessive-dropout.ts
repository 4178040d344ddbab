// TSAE110: dropout that destroys more than it regularises: above 0.5 in any layer, or any dropout
// on the few units of the bottleneck.

import type { Finding } from '../types';
import { formatNumber } from './facts';
import { findingAt } from './report';
import type { Rule } from './types';

/** Srivastava et al. (2014) find dropping half of the hidden units close to optimal; beyond that, units are mostly absent. */
export const MAX_LAYER_DROPOUT = 0.5;
/**
 * What the fix sets a layer's excessive dropout to: a light rate, well under the limit. Lowering
 * 0.9 only to the limit 0.5 still erases half the signal and was measured not to cure the
 * collapse it caused (zoo case decoder-dropout-sines: error 0.82 -> 0.70, against 0.44 at 0).
 */
export const SUGGESTED_LAYER_DROPOUT = 0.2;

export const excessiveDropout: Rule = {
  code: 'TSAE110',
  name: 'excessive-dropout',
  title: 'Dropout above 0.5 or on the bottleneck',
  severity: 'warning',
  since: '0.1.0',
  fixAvailability: 'always',
  explains: ['TSAE201', 'TSAE203', 'TSAE204', 'TSAE208'],
  summary:
    'A recurrent layer drops more than half of its inputs or recurrent state, or the latent vector itself has dropout. ' +
    'The bottleneck is the only path from encoder to decoder: dropping any of its few units removes information the ' +
    'decoder needs, and the reconstruction drifts toward the mean.',
  check(ctx) {
    const findings: Finding[] = [];
    const { model } = ctx.config;
    for (const side of ['encoder', 'decoder'] as const) {
      model[side].forEach((layer, index) => {
        for (const key of ['dropout', 'recurrentDropout'] as const) {
          const rate = layer[key];
          if (!(rate > MAX_LAYER_DROPOUT)) continue;
          const path = `model.${side}.${index}.${key}`;
          findings.push(
            findingAt(
              excessiveDropout,
              ctx,
              path,
              `${path} is ${formatNumber(rate)}: ${Math.round(rate * 100)}% of the ${layer.units}-unit layer's ${key === 'dropout' ? 'inputs' : 'recurrent state'} is dropped at every step, above the ${MAX_LAYER_DROPOUT} where dropout stops regularising and starts erasing the signal. Use at most ${MAX_LAYER_DROPOUT}; the fix sets ${SUGGESTED_LAYER_DROPOUT}.`,
              { fix: { path, value: SUGGESTED_LAYER_DROPOUT, safety: 'unsafe' } },
            ),
          );
        }
      });
    }
    const latentDropout = model.latent.dropout;
    if (latentDropout > 0) {
      const expected = model.latent.size * latentDropout;
      findings.push(
        findingAt(
          excessiveDropout,
          ctx,
          'model.latent.dropout',
          `model.latent.dropout is ${formatNumber(latentDropout)}: on average ${formatNumber(expected)} of the ${model.latent.size} latent units are zeroed in training, removing information the decoder has no other way to get. Set it to 0.`,
          { fix: { path: 'model.latent.dropout', value: 0, safety: 'unsafe' } },
        ),
      );
    }
    return findings;
  },
};
