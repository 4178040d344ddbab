// TSAE118: values too large in magnitude for the pipeline (|x| > 1e100 when scaled, beyond float32
// without scaling). The loader refuses such a file (src/core/data/magnitude.ts, the one policy),
// so the linter says so first instead of a clean lint followed by a refused run.

import { MAX_ABS_VALUE, MAX_FLOAT32 } from '../data/magnitude';
import { columnsTrainingReads } from './facts';
import { findingAt } from './report';
import type { Rule } from './types';

export const valuesTooLarge: Rule = {
  code: 'TSAE118',
  name: 'values-too-large',
  title: 'Values too large to scale',
  severity: 'error',
  since: '0.1.0',
  fixAvailability: 'none',
  blocksTraining: true,
  explains: [],
  summary:
    'A column that training reads holds values beyond what the pipeline computes with: above 1e100 in magnitude with ' +
    'scaling (means and squared deviations would overflow 64-bit floating point), or above 3.4e38 with ' +
    "preprocessing.scaling 'none' (the model computes in 32-bit floating point). Training refuses the file; rescale the column.",
  check(ctx) {
    const probe = ctx.probe;
    if (!probe) return [];
    const { config } = ctx;
    const scaled = config.preprocessing.scaling !== 'none';
    const limit = scaled ? MAX_ABS_VALUE : MAX_FLOAT32;
    const names = columnsTrainingReads(ctx) ?? [];
    const large = [...new Set(names)].filter((name) => {
      const stats = probe.stats[name];
      return stats !== undefined && stats.count > 0 && Math.max(Math.abs(stats.min), Math.abs(stats.max)) > limit;
    });
    if (large.length === 0) return [];
    // The probe's statistics cover the rows it read; with data.maxRows below them the value may lie beyond the rows trained on.
    const maxRows = config.data.maxRows;
    const certain = maxRows === undefined || maxRows >= probe.rowsRead;
    const what = large.length === 1 ? `column "${large[0]}" holds a value` : `columns ${large.map((n) => `"${n}"`).join(', ')} hold values`;
    const where = certain ? '' : ` in the first ${probe.rowsRead} rows read (training reads the first ${maxRows} of them)`;
    const why = scaled
      ? `above ${limit} in magnitude${where}: scaling would overflow 64-bit floating point, so training refuses the file; rescale the column`
      : `beyond ±3.4e38${where}: with preprocessing.scaling 'none' the model computes in 32-bit floating point; set preprocessing.scaling to 'standard' or rescale the column`;
    return [{ ...findingAt(valuesTooLarge, ctx, 'data.path', `${what} ${why}`), severity: certain ? 'error' : 'warning' }];
  },
};
