// TSAE113: a labelled data set trained on every class, anomalies included (the ECG5000 mistake:
// the autoencoder learns the abnormal beats too, so they reconstruct well and score low).

import type { DataProbe } from '../data/probe';
import { formatNumber } from './facts';
import { findingAt } from './report';
import type { Rule, RuleContext } from './types';

/** Name of the label column in the probe: UCR files have it at index 0 unless data.label says otherwise. */
function labelColumnName(ctx: RuleContext, probe: DataProbe): string | undefined {
  const { label, format } = ctx.config.data;
  if (typeof label === 'number') return probe.columns[label];
  if (typeof label === 'string') return label;
  return format === 'ucr' ? probe.columns[0] : undefined;
}

export const unfilteredTrainingLabels: Rule = {
  code: 'TSAE113',
  name: 'unfiltered-training-labels',
  title: 'Training on every labelled class',
  severity: 'warning',
  since: '0.1.0',
  fixAvailability: 'none',
  explains: [],
  summary:
    'The data file has a label column with more than one class but data.trainLabels is not set, so the autoencoder ' +
    'trains on every class, including the anomalies it is meant to flag. It learns to reconstruct them too, and their ' +
    'reconstruction error no longer stands out. Train on the normal class only.',
  check(ctx) {
    const probe = ctx.probe;
    if (!probe || ctx.config.data.trainLabels !== undefined) return [];
    const column = labelColumnName(ctx, probe);
    const stats = column === undefined ? undefined : probe.stats[column];
    // Only numeric labels have statistics; min < max means at least two classes.
    if (!stats || stats.count === 0 || !(stats.min < stats.max)) return [];
    const rows = probe.truncated ? `the first ${probe.rowsRead} rows` : `its ${probe.rowsRead} rows`;
    return [
      findingAt(
        unfilteredTrainingLabels,
        ctx,
        'data.trainLabels',
        `label column "${column}" holds labels from ${formatNumber(stats.min)} to ${formatNumber(stats.max)} in ${rows} but data.trainLabels is not set: ` +
          'the model trains on every class, anomalies included, so they reconstruct well and score low. ' +
          'Set data.trainLabels to the normal class(es); the other windows are then held out and scored.',
      ),
    ];
  },
};
