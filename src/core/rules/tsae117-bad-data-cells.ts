// TSAE117: cells that are not numbers in columns training reads. The loader refuses the file at
// its first pass, so the linter lists every one (up to a cap, each as file:line:column) before a
// run is started; a column is never silently dropped because its first cell is text.

import { describeBadCells } from '../data/badCells';
import { columnsTrainingReads } from './facts';
import { findingAt } from './report';
import type { Rule, RuleContext } from './types';

/** 1-based columns of the file whose cells training parses as numbers. */
function columnsRead(ctx: RuleContext): Set<number> {
  const probe = ctx.probe!;
  const { config } = ctx;
  if (probe.format === 'ucr' || config.data.format === 'ucr') {
    const label = typeof config.data.label === 'number' ? config.data.label : 0;
    return new Set(probe.columns.map((_, i) => i + 1).filter((c) => c !== label + 1));
  }
  const names = columnsTrainingReads(ctx) ?? [];
  return new Set(names.map((name) => probe.columns.indexOf(name) + 1).filter((c) => c > 0));
}

export const badDataCells: Rule = {
  code: 'TSAE117',
  name: 'bad-data-cells',
  title: 'Cells that are not numbers',
  severity: 'error',
  since: '0.1.0',
  fixAvailability: 'none',
  blocksTraining: true,
  explains: [],
  summary:
    'Cells in columns that training reads are not numbers: text, N/A, a thousands separator (1,234.5), a hexadecimal, ' +
    'binary or octal literal. Training refuses the file, so every such cell is listed (up to 20, each as file:line:column) ' +
    'with the total. Write a missing value as an empty cell or NaN and choose data.missing; fix or remove the others.',
  check(ctx) {
    const probe = ctx.probe;
    if (!probe) return [];
    const { cells, total, exact } = probe.badCells.summary(ctx.config.data.maxRows ?? Infinity, columnsRead(ctx));
    if (total === 0) return [];
    const display = ctx.config.data.path;
    const scope = probe.truncated && (ctx.config.data.maxRows ?? Infinity) > probe.rowsRead ? ` in the first ${probe.rowsRead} rows read` : '';
    return [findingAt(badDataCells, ctx, 'data.path', `${describeBadCells(display, cells, total, exact)}${scope}`)];
  },
};
