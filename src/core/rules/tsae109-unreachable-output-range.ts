// TSAE109: an output activation whose range cannot cover the scaled target (setup 5: inputs
// scaled to [0, 1], the output squashed elsewhere, training stalls on the unreachable part).

import type { ColumnStats } from '../data/probe';
import { ACTIVATION_RANGE, formatInterval, formatNumber, targetColumns, type OutputInterval } from './facts';
import { findingAt } from './report';
import type { Rule, RuleContext } from './types';

interface TargetRange {
  interval: OutputInterval;
  /** Where the interval comes from, for the message. */
  source: string;
}

/**
 * Range of the scaled targets: minmax maps the training data onto preprocessing.range; standard
 * scaling has mean 0 and unit variance, so a large share of values lies beyond ±1 and half below 0;
 * without scaling the probe's observed minimum and maximum are the targets.
 */
function scaledTargetRange(ctx: RuleContext): TargetRange | undefined {
  const { preprocessing } = ctx.config;
  if (preprocessing.scaling === 'minmax') {
    const [low, high] = preprocessing.range;
    return { interval: { min: low, max: high }, source: `minmax scaling to preprocessing.range [${formatNumber(low)}, ${formatNumber(high)}]` };
  }
  if (preprocessing.scaling === 'standard') {
    return { interval: { min: -Infinity, max: Infinity }, source: 'standard scaling (mean 0, std 1: about a third of the values lie beyond ±1 and half below 0)' };
  }
  // Unscaled data after differencing has a different range than the probe saw.
  if (preprocessing.differencing !== 0 || !ctx.probe) return undefined;
  const probe = ctx.probe;
  const stats = (targetColumns(ctx) ?? []).map((name) => probe.stats[name]).filter((s): s is ColumnStats => s !== undefined && s.count > 0);
  if (stats.length === 0) return undefined;
  const min = Math.min(...stats.map((s) => s.min));
  const max = Math.max(...stats.map((s) => s.max));
  return { interval: { min, max }, source: `unscaled data ranging over [${formatNumber(min)}, ${formatNumber(max)}]` };
}

export const unreachableOutputRange: Rule = {
  code: 'TSAE109',
  name: 'unreachable-output-range',
  title: 'Output activation cannot reach the target range',
  severity: 'warning',
  since: '0.1.0',
  fixAvailability: 'always',
  explains: ['TSAE203', 'TSAE204', 'TSAE201', 'TSAE208'],
  summary:
    'model.outputActivation bounds the reconstruction to a range that does not cover the scaled targets (e.g. sigmoid or ' +
    'ReLU on standard-scaled data, tanh with minmax range [0, 2], sigmoid with range [-1, 1]). The unreachable values ' +
    'are reconstructed as the nearest bound, the gradient there vanishes, and errors on them look like anomalies.',
  check(ctx) {
    const activation = ctx.config.model.outputActivation;
    const output = ACTIVATION_RANGE[activation];
    if (!output || (output.min === -Infinity && output.max === Infinity)) return [];
    const target = scaledTargetRange(ctx);
    if (!target) return [];
    const { min, max } = target.interval;
    if (min >= output.min && max <= output.max) return [];
    return [
      findingAt(
        unreachableOutputRange,
        ctx,
        'model.outputActivation',
        `model.outputActivation ${activation} outputs ${formatInterval(output)} but the targets come from ${target.source}: ` +
          `values outside ${formatInterval(output)} can never be reconstructed. Set it to linear.`,
        { fix: { path: 'model.outputActivation', value: 'linear', safety: 'unsafe' } },
      ),
    ];
  },
};
