// Facts several rules derive from the resolved config and the data probe: the input shape, the
// number of training windows, and what each activation can output. They mirror the data pipeline
// (src/core/data/) so a rule's numbers match what a training run will see.

import { formatNumber as formatCompact } from '../format';
import type { Activation, ResolvedConfig } from '../config/types';
import type { DataProbe } from '../data/probe';
import { splitChronological, validationCount } from '../data/split';
import { slidingBases } from '../data/windowing';
import { isTimestampName } from '../data/timestamps';
import type { RuleContext } from './types';

/** Closed interval of values an activation can output; infinite ends are unbounded. */
export interface OutputInterval {
  min: number;
  max: number;
}

// selu's lower bound is -scale * alpha (Klambauer et al. 2017 constants, as in Keras).
const SELU_MIN = -1.0507009873554805 * 1.6732632423543772;

export const ACTIVATION_RANGE: Record<Activation, OutputInterval> = {
  linear: { min: -Infinity, max: Infinity },
  tanh: { min: -1, max: 1 },
  softsign: { min: -1, max: 1 },
  sigmoid: { min: 0, max: 1 },
  hardSigmoid: { min: 0, max: 1 },
  relu: { min: 0, max: Infinity },
  relu6: { min: 0, max: 6 },
  softplus: { min: 0, max: Infinity },
  elu: { min: -1, max: Infinity },
  selu: { min: SELU_MIN, max: Infinity },
};

export function formatInterval(interval: OutputInterval): string {
  const end = (x: number): string => (x === Infinity ? '∞' : x === -Infinity ? '-∞' : formatNumber(x));
  return `[${end(interval.min)}, ${end(interval.max)}]`;
}

/** Numbers in rule messages: the one number format with 3 significant digits (1e-6 stays 1e-6). */
export function formatNumber(x: number): string {
  return formatCompact(x, 3);
}

/** Column name of `data.label` when it names a CSV column (by name or by 0-based index). */
function labelColumn(config: ResolvedConfig, probe: DataProbe): string | undefined {
  const label = config.data.label;
  if (typeof label === 'number') return probe.columns[label];
  return label;
}

/** The columns training reads: the inputs and, for seq2seq, the target columns; undefined when the inputs are not known (no data probe). */
export function columnsTrainingReads(ctx: RuleContext): string[] | undefined {
  const inputs = inputColumns(ctx);
  if (!inputs) return undefined;
  return [...inputs, ...(ctx.config.task.type === 'seq2seq' ? (ctx.config.task.targetColumns ?? []) : [])];
}

/**
 * Names of the input feature columns as the data reader will pick them, or undefined when that
 * cannot be known (no data.columns and no probe). Rows layout (UCR) sequences have one feature
 * but many step columns; `stepColumns` lists the columns whose statistics describe the input.
 */
export function inputColumns(ctx: RuleContext): string[] | undefined {
  const { config, probe } = ctx;
  if (config.data.columns?.length) return [...config.data.columns];
  if (!probe) return undefined;
  if (probe.format === 'ucr' || config.data.format === 'ucr') {
    const labelIndex = typeof config.data.label === 'number' ? config.data.label : 0;
    return probe.columns.filter((_, index) => index !== labelIndex).filter((name) => name in probe.stats);
  }
  const excluded = new Set<string>();
  const label = labelColumn(config, probe);
  if (label !== undefined) excluded.add(label);
  if (config.data.timestamp !== undefined) excluded.add(config.data.timestamp);
  else for (const name of probe.columns) if (isTimestampName(name)) excluded.add(name);
  if (config.task.type === 'seq2seq') for (const name of config.task.targetColumns ?? []) excluded.add(name);
  return probe.columns.filter((name) => name in probe.stats && !excluded.has(name));
}

/** Values per time step the model sees: 1 in rows layout (each row is a univariate sequence). */
export function inputFeatureCount(ctx: RuleContext): number | undefined {
  if (ctx.config.data.layout === 'rows') return 1;
  return inputColumns(ctx)?.length;
}

/** Columns the decoder must reproduce: seq2seq targets, else the inputs. */
export function targetColumns(ctx: RuleContext): string[] | undefined {
  const { config } = ctx;
  if (config.task.type === 'seq2seq' && config.task.targetColumns?.length) return [...config.task.targetColumns];
  return inputColumns(ctx);
}

export interface TrainingWindowCount {
  /** Data rows the pipeline will read. */
  rows: number;
  windows: number;
  validation: number;
  /** Series layout: training windows dropped because they overlap the validation period. */
  purged: number;
  train: number;
}

/**
 * Number of training windows the data pipeline will produce, or undefined when the probe cannot
 * tell exactly: no probe, a truncated probe, missing cells (dropping or interpolating changes
 * the rows), or `data.trainLabels` (which windows are held out depends on every row's label).
 */
export function countTrainingWindows(ctx: RuleContext): TrainingWindowCount | undefined {
  const { config, probe } = ctx;
  if (!probe || config.data.trainLabels !== undefined) return undefined;
  const maxRows = config.data.maxRows;
  const cappedByMaxRows = maxRows !== undefined && maxRows <= probe.rowsRead;
  if (probe.truncated && !cappedByMaxRows) return undefined;
  const rows = cappedByMaxRows ? maxRows : probe.rowsRead;
  const checked = columnsTrainingReads(ctx);
  if (!checked) return undefined;
  if (checked.some((name) => (probe.stats[name]?.nanCount ?? 0) > 0)) return undefined;

  const { length, stride } = config.windowing;
  const fraction = config.split.validation;
  if (config.data.layout === 'rows') {
    const validation = validationCount(rows, fraction);
    return { rows, windows: rows, validation, purged: 0, train: rows - validation };
  }
  const points = rows - config.preprocessing.differencing;
  if (points < length) return { rows, windows: 0, validation: 0, purged: 0, train: 0 };
  const bases = slidingBases(points, length, stride);
  const candidates = bases.map((_, index) => index);
  const split = splitChronological(candidates, bases, length, fraction);
  return { rows, windows: bases.length, validation: split.validation.length, purged: split.purged, train: split.train.length };
}

/** "cuts the training windows from 790 to 80": how a fix that changes the amount of data says so, everywhere. */
export function trainingWindowsNote(before: number, after: number): string {
  return `${after < before ? 'cuts' : 'raises'} the training windows from ${before} to ${after}`;
}

/** Data rows of the probe that training will read: all probed rows, or the first data.maxRows of them. */
export function rowsInPlay(ctx: RuleContext): number {
  const probe = ctx.probe;
  if (!probe) return 0;
  return Math.min(probe.rowsRead, ctx.config.data.maxRows ?? Infinity);
}

/** "its 4032 rows" or "the first 20000 rows read" (a truncated probe is certain only about what it read). */
export function describeRowsInPlay(ctx: RuleContext): string {
  const rows = rowsInPlay(ctx);
  const all = ctx.probe && !ctx.probe.truncated && rows === ctx.probe.rowsRead;
  const capped = ctx.config.data.maxRows !== undefined && rows === ctx.config.data.maxRows;
  if (all) return `its ${rows} rows`;
  return capped ? `the ${rows} rows of data.maxRows` : `the first ${rows} rows read`;
}
