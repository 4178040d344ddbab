// TSAE106: ReLU (or another unbounded function) inside LSTM/GRU cells, where tanh keeps the
// cell's candidate and output bounded and sigmoid keeps its gates in [0, 1].

import type { Activation } from '../config/types';
import type { Finding } from '../types';
import { ACTIVATION_RANGE, formatInterval } from './facts';
import { findingAt } from './report';
import type { Rule } from './types';

/** Gates multiply the state; anything outside [0, 1] lets a gate amplify or flip it. */
function isGateActivation(activation: Activation): boolean {
  const range = ACTIVATION_RANGE[activation];
  // Unknown names are reported by schema validation (TSAE003), not here.
  return !range || (range.min >= 0 && range.max <= 1);
}

function isBounded(activation: Activation): boolean {
  const range = ACTIVATION_RANGE[activation];
  return !range || (Number.isFinite(range.min) && Number.isFinite(range.max));
}

export const unboundedCellActivation: Rule = {
  code: 'TSAE106',
  name: 'unbounded-cell-activation',
  title: 'Unbounded activation inside a recurrent cell',
  severity: 'warning',
  since: '0.1.0',
  fixAvailability: 'always',
  explains: ['TSAE205', 'TSAE206', 'TSAE204', 'TSAE201', 'TSAE203', 'TSAE208'],
  summary:
    'A recurrent layer uses an unbounded activation (ReLU, ELU, softplus, linear ...) for its cell, or a gate activation ' +
    'outside [0, 1]. The LSTM/GRU design relies on tanh bounding the candidate and output and on sigmoid gates; without ' +
    'the bound the state is multiplied by the same recurrent weights at every step and can grow without limit, giving ' +
    'exploding activations or NaN losses on long windows.',
  check(ctx) {
    const findings: Finding[] = [];
    const { model, windowing } = ctx.config;
    for (const side of ['encoder', 'decoder'] as const) {
      model[side].forEach((layer, index) => {
        const at = `model.${side}.${index}`;
        if (!isBounded(layer.activation)) {
          findings.push(
            findingAt(
              unboundedCellActivation,
              ctx,
              `${at}.activation`,
              `${at}.activation is ${layer.activation}, range ${formatInterval(ACTIVATION_RANGE[layer.activation])}: inside a ${model.cell.toUpperCase()} cell the state is fed back ${windowing.length} times without a bound and can explode. Set it to tanh.`,
              { fix: { path: `${at}.activation`, value: 'tanh', safety: 'unsafe' } },
            ),
          );
        }
        if (!isGateActivation(layer.recurrentActivation)) {
          findings.push(
            findingAt(
              unboundedCellActivation,
              ctx,
              `${at}.recurrentActivation`,
              `${at}.recurrentActivation is ${layer.recurrentActivation}, range ${formatInterval(ACTIVATION_RANGE[layer.recurrentActivation])}: gates outside [0, 1] amplify or flip the carried state instead of letting it through. Set it to sigmoid.`,
              { fix: { path: `${at}.recurrentActivation`, value: 'sigmoid', safety: 'unsafe' } },
            ),
          );
        }
      });
    }
    return findings;
  },
};
