// TSAE114: an input column that never changes. It carries nothing to learn, its reconstruction
// error is near 0 whatever the model does (so it dilutes the anomaly score), and when every
// input is constant a run "completes" with loss 0 and means nothing.

import { describeRowsInPlay, inputColumns } from './facts';
import { findingAt } from './report';
import type { Rule } from './types';

export const constantInputColumn: Rule = {
  code: 'TSAE114',
  name: 'constant-input-column',
  title: 'Input column is constant',
  severity: 'warning',
  since: '0.1.0',
  fixAvailability: 'none',
  explains: [],
  summary:
    'An input column holds the same value in every row the linter read. The model has nothing to learn from it, its ' +
    'reconstruction error is near 0 whatever the model does, which dilutes the anomaly score, and when every input is ' +
    'constant training stops with an error instead of a meaningless loss of 0. Drop the column from data.columns.',
  check(ctx) {
    const probe = ctx.probe;
    if (!probe || ctx.config.data.layout !== 'series') return [];
    const columns = inputColumns(ctx) ?? [];
    const constant = columns.filter((name) => {
      const stats = probe.stats[name];
      return stats !== undefined && stats.count > 1 && stats.min === stats.max && stats.badCount === 0;
    });
    if (constant.length === 0) return [];
    const rows = describeRowsInPlay(ctx);
    if (constant.length === columns.length) {
      const what = columns.length === 1 ? `the only input column "${columns[0]}" is` : `all ${columns.length} input columns are`;
      const certain = !probe.truncated || (ctx.config.data.maxRows ?? Infinity) <= probe.rowsRead;
      return [
        {
          ...findingAt(
            constantInputColumn,
            ctx,
            'data.columns',
            `${what} constant in ${rows}: there is nothing to learn, and any model would reach loss 0. Choose columns that vary.`,
          ),
          severity: certain ? 'error' : 'warning',
        },
      ];
    }
    return constant.map((name) => {
      const index = ctx.config.data.columns?.indexOf(name) ?? -1;
      const at = index >= 0 ? `data.columns.${index}` : 'data.columns';
      return findingAt(
        constantInputColumn,
        ctx,
        at,
        `input column "${name}" is constant in ${rows}: nothing to learn there, and its reconstruction error is near 0 whatever the model does, which dilutes the anomaly score. Leave it out of data.columns.`,
      );
    });
  },
};
