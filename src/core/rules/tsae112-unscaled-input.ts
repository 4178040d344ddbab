// TSAE112: raw data fed to tanh/sigmoid cells without scaling, so the cells saturate from the
// first step (e.g. NAB machine temperature: mean about 86, far from 0).

import type { ColumnStats } from '../data/probe';
import { formatNumber, inputColumns } from './facts';
import { findingAt } from './report';
import type { Rule, RuleContext } from './types';

/**
 * tanh'(3) ≈ 0.0099: an input offset beyond 3 standard deviations, or values beyond 10, put
 * tanh/sigmoid units where their gradient is near zero. docs/rules/TSAE112.md has the references.
 */
export const MAX_OFFSET_IN_STDS = 3;
export const MAX_STD = 10;
export const MAX_ABS_VALUE = 10;

function problemsOf(stats: ColumnStats): string[] {
  const problems: string[] = [];
  if (Math.abs(stats.mean) > MAX_OFFSET_IN_STDS * stats.std) problems.push(`|mean| ${formatNumber(Math.abs(stats.mean))} > ${MAX_OFFSET_IN_STDS} x std ${formatNumber(stats.std)}`);
  if (stats.std > MAX_STD) problems.push(`std ${formatNumber(stats.std)} > ${MAX_STD}`);
  const maxAbs = Math.max(Math.abs(stats.min), Math.abs(stats.max));
  if (maxAbs > MAX_ABS_VALUE) problems.push(`max |x| ${formatNumber(maxAbs)} > ${MAX_ABS_VALUE}`);
  return problems;
}

interface InputSeries {
  name: string;
  stats: ColumnStats;
}

/**
 * Rows layout: every step column is the same univariate signal at a different time, and a
 * heartbeat sitting at -4 at step 4 is shape, not offset; so the columns are pooled into one
 * series (the scaler pools them the same way). Series layout: one series per column.
 */
function inputSeries(ctx: RuleContext): InputSeries[] {
  const probe = ctx.probe;
  if (!probe) return [];
  const columns = (inputColumns(ctx) ?? []).map((name) => ({ name, stats: probe.stats[name] })).filter((c) => c.stats !== undefined && c.stats.count > 0);
  if (ctx.config.data.layout !== 'rows' || columns.length === 0) return columns;
  const count = columns.reduce((sum, c) => sum + c.stats.count, 0);
  const mean = columns.reduce((sum, c) => sum + c.stats.mean * c.stats.count, 0) / count;
  const meanOfSquares = columns.reduce((sum, c) => sum + (c.stats.std ** 2 + c.stats.mean ** 2) * c.stats.count, 0) / count;
  const stats: ColumnStats = {
    count,
    nanCount: columns.reduce((sum, c) => sum + c.stats.nanCount, 0),
    badCount: columns.reduce((sum, c) => sum + c.stats.badCount, 0),
    mean,
    std: Math.sqrt(Math.max(meanOfSquares - mean ** 2, 0)),
    min: Math.min(...columns.map((c) => c.stats.min)),
    max: Math.max(...columns.map((c) => c.stats.max)),
  };
  return [{ name: `all ${columns.length} steps`, stats }];
}

export const unscaledInput: Rule = {
  code: 'TSAE112',
  name: 'unscaled-input',
  title: 'Unscaled input with a large offset or scale',
  severity: 'warning',
  since: '0.1.0',
  fixAvailability: 'always',
  explains: ['TSAE201', 'TSAE202', 'TSAE203', 'TSAE204', 'TSAE205', 'TSAE206', 'TSAE208'],
  summary:
    'preprocessing.scaling is none but the data has a large offset or scale (|mean| > 3 std, std > 10 or |x| > 10). ' +
    'LSTM gates and cells are sigmoid/tanh units that saturate for inputs beyond a few units, so the first layer starts ' +
    'with vanishing gradients and the loss is dominated by the offset. Scale the data, or difference a trending series.',
  check(ctx) {
    const { preprocessing } = ctx.config;
    if (preprocessing.scaling !== 'none' || !ctx.probe) return [];
    const offending = inputSeries(ctx)
      .map((column) => ({ ...column, problems: problemsOf(column.stats) }))
      .filter((column) => column.problems.length > 0);
    if (offending.length === 0) return [];
    const shown = offending.slice(0, 3).map((column) => `"${column.name}" (${column.problems.join(', ')})`);
    const more = offending.length > 3 ? ` and ${offending.length - 3} more column(s)` : '';
    const trend = preprocessing.differencing === 0 ? ' For a trending series, also set preprocessing.differencing to 1.' : '';
    return [
      findingAt(
        unscaledInput,
        ctx,
        'preprocessing.scaling',
        `preprocessing.scaling is none but ${shown.join('; ')}${more}: tanh/sigmoid cells saturate on such inputs. Set preprocessing.scaling to standard.${trend}`,
        { fix: { path: 'preprocessing.scaling', value: 'standard', safety: 'unsafe' } },
      ),
    ];
  },
};
