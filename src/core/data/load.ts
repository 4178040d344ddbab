// The pipeline in order: check settings, read (streaming), handle missing cells, difference and
// window by layout, split, fit scaling on the training windows only, then scale every set.

import type { ResolvedConfig } from '../config/types';
import type { ScalerFile } from '../run/types';
import { DataError, locationPrefix } from './errors';
import { readCsv } from './csv';
import { readUcr } from './ucr';
import { NotAFileError } from './lines';
import { checkConstantInputs, checkMagnitudes, constantFeatures } from './magnitude';
import { handleMissing } from './missing';
import { shapeRows, shapeSeries, type ShapedData } from './shape';
import { splitChronological, splitRandom, type SplitResult } from './split';
import { applyScaler, fitScaler } from './scaling';
import { toOriginalUnits } from './original';
import { extractWindows } from './windowing';
import type { RawTable } from './table';
import type { Dataset, LoadOptions, WindowSet, WindowSetName } from './types';

export async function loadDataset(config: ResolvedConfig, options: LoadOptions = {}): Promise<Dataset> {
  const warnings: string[] = [];
  const warn = (message: string): void => {
    warnings.push(message);
    options.onWarning?.(message);
  };
  const file = config.dataFile;
  const display = config.data.path || file;
  checkSettings(config, display, warn);

  const table = await readTable(config, display, warn, options.signal);
  options.signal?.throwIfAborted();
  const clean = handleMissing(table, config.data.missing, config.data.layout, { file, display, warn });
  checkMagnitudes(clean, config.preprocessing.scaling !== 'none', { file, display });

  const shapeSpec = {
    file,
    display,
    length: config.windowing.length,
    stride: config.windowing.stride,
    differencing: config.preprocessing.differencing,
    trainLabels: config.data.trainLabels,
  };
  const shaped = config.data.layout === 'series' ? shapeSeries(clean, shapeSpec) : shapeRows(clean, shapeSpec);
  const split = splitWindows(shaped, config, display, warn);
  options.signal?.throwIfAborted();

  const length = config.windowing.length;
  const heldOutIds: number[] = [];
  shaped.heldOut.forEach((flag, w) => flag && heldOutIds.push(w));
  const ids: Record<WindowSetName, number[]> = { train: split.train, validation: split.validation, heldOut: heldOutIds };

  const scalerSpec = (features: string[]) => ({
    kind: config.preprocessing.scaling,
    features,
    range: config.preprocessing.range,
    differencing: config.preprocessing.differencing,
  });
  // The row each window starts at: series starts are row indices, rows-layout window w is row w.
  const stamps = clean.timestamps;
  const windowStamp = stamps ? (w: number) => stamps[config.data.layout === 'series' ? shaped.starts[w] : w] : undefined;
  const inputs = buildSets(shaped.source, shaped.featureNames, scalerSpec(shaped.featureNames), shaped, ids, length, windowStamp);
  const constant = constantFeatures(shaped.source, shaped.featureNames.length, inputs.covered);
  checkConstantInputs(constant, shaped.featureNames, { file, display, differenced: config.preprocessing.differencing > 0 }, warn);
  const targets = shaped.targetSource && buildSets(shaped.targetSource, shaped.targetNames, scalerSpec(shaped.targetNames), shaped, ids, length);

  const toOriginal = (set: WindowSetName, index: number, scaled: number[][], which: 'input' | 'target' = 'input'): number[][] => {
    const side = which === 'target' && targets ? targets : inputs;
    const anchors = which === 'target' && targets ? shaped.targetAnchors : shaped.anchors;
    const window = ids[set][index];
    if (window === undefined) throw new RangeError(`${set} window ${index} does not exist (the set has ${ids[set].length})`);
    const features = side.scaler.features.length;
    if (scaled.length !== length || scaled.some((row) => row.length !== features)) {
      throw new RangeError(`toOriginal expects ${length} steps x ${features} features`);
    }
    return toOriginalUnits(scaled, { scaler: side.scaler, anchor: anchors?.subarray(window * features, (window + 1) * features) });
  };

  return {
    featureNames: shaped.featureNames,
    targetNames: shaped.targetNames,
    train: inputs.sets.train,
    validation: inputs.sets.validation,
    heldOut: inputs.sets.heldOut,
    trainTargets: targets?.sets.train,
    validationTargets: targets?.sets.validation,
    heldOutTargets: targets?.sets.heldOut,
    scaler: inputs.scaler,
    targetScaler: targets?.scaler,
    warnings,
    rowsRead: table.rowCount,
    rows: {
      lines: clean.lines,
      values: clean.inputs,
      ...(clean.labels ? { labels: clean.labels } : {}),
      ...(clean.timestamps ? { timestamps: clean.timestamps, timestampName: clean.timestampName } : {}),
    },
    toOriginal,
  };
}

/** Settings the resolver may already reject; checked again because data code must never divide by zero or loop forever. */
function checkSettings(config: ResolvedConfig, display: string, warn: (message: string) => void): void {
  const file = config.dataFile;
  const bad = (message: string, field: string): never => {
    throw new DataError(`${locationPrefix(display)}${message}`, { file, field });
  };
  const { windowing, preprocessing, split, data, task } = config;
  if (!Number.isInteger(windowing.length) || windowing.length < 1) bad(`windowing.length must be a positive integer, got ${windowing.length}`, 'windowing.length');
  if (!Number.isInteger(windowing.stride) || windowing.stride < 1) bad(`windowing.stride must be a positive integer, got ${windowing.stride}`, 'windowing.stride');
  if (!(split.validation >= 0 && split.validation < 1)) bad(`split.validation must be in [0, 1), got ${split.validation}`, 'split.validation');
  if (preprocessing.scaling === 'minmax' && !(preprocessing.range[0] < preprocessing.range[1])) {
    bad(`preprocessing.range must be increasing, got [${preprocessing.range.join(', ')}]`, 'preprocessing.range');
  }
  if (data.maxRows !== undefined && !(Number.isInteger(data.maxRows) && data.maxRows >= 1)) bad(`data.maxRows must be a positive integer, got ${data.maxRows}`, 'data.maxRows');
  if (task.type === 'seq2seq' && !task.targetColumns?.length) bad("task.type 'seq2seq' needs task.targetColumns", 'task.targetColumns');
  if (task.type !== 'seq2seq' && task.targetColumns?.length) warn(`${locationPrefix(display)}task.targetColumns is ignored because task.type is '${task.type}'`);
  if (data.format === 'ucr') {
    if (data.layout !== 'rows') bad("UCR files hold one sequence per row; set data.layout to 'rows'", 'data.layout');
    if (task.type === 'seq2seq') bad("UCR files have no named target columns; task.type 'seq2seq' needs a CSV file", 'task.type');
    if (typeof data.label === 'string') bad(`UCR files have no header; data.label must be a column index, got "${data.label}"`, 'data.label');
    if (data.columns?.length) warn(`${locationPrefix(display)}data.columns is ignored for UCR files: every column but the label is the sequence`);
  }
}

async function readTable(config: ResolvedConfig, display: string, warn: (message: string) => void, signal?: AbortSignal): Promise<RawTable> {
  const context = { file: config.dataFile, display, maxRows: config.data.maxRows, signal, warn };
  try {
    if (config.data.format === 'ucr') {
      return await readUcr({ ...context, labelIndex: typeof config.data.label === 'number' ? config.data.label : 0 });
    }
    return await readCsv({
      ...context,
      columns: config.data.columns,
      targetColumns: config.task.type === 'seq2seq' ? config.task.targetColumns : undefined,
      label: config.data.label,
      timestamp: config.data.timestamp,
    });
  } catch (error) {
    if (error instanceof NotAFileError) {
      throw new DataError(`${locationPrefix(display)}cannot read data file (${error.kind}, not a regular file): ${config.dataFile}`, { file: config.dataFile, field: 'data.path' });
    }
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR') {
      const reason = code === 'ENOENT' ? 'file not found' : code === 'EISDIR' ? 'is a directory' : 'permission denied';
      throw new DataError(`${locationPrefix(display)}cannot read data file (${reason}): ${config.dataFile}`, { file: config.dataFile, field: 'data.path' });
    }
    throw error;
  }
}

function splitWindows(shaped: ShapedData, config: ResolvedConfig, display: string, warn: (message: string) => void): SplitResult {
  const candidates: number[] = [];
  shaped.heldOut.forEach((flag, w) => flag || candidates.push(w));
  if (candidates.length === 0) {
    const found = [...new Set((shaped.labels ?? []).map(String))].join(', ');
    throw new DataError(`${locationPrefix(display)}no window has only labels from data.trainLabels [${(config.data.trainLabels ?? []).join(', ')}]; labels found: ${found}`, {
      file: config.dataFile,
      field: 'data.trainLabels',
    });
  }
  const fraction = config.split.validation;
  const split =
    config.data.layout === 'series' ? splitChronological(candidates, shaped.bases, config.windowing.length, fraction) : splitRandom(candidates, fraction, config.split.seed);
  if (fraction > 0 && split.validation.length === 0) {
    warn(`${locationPrefix(display)}only ${candidates.length} training window(s): no validation windows despite split.validation ${fraction}`);
  }
  if (split.train.length === 0) {
    throw new DataError(
      `${locationPrefix(display)}no training windows left: ${candidates.length} windows, ${split.validation.length} for validation and ${split.purged} overlapping them; lower split.validation or windowing.length`,
      { file: config.dataFile, field: 'split.validation' },
    );
  }
  return split;
}

/** Fits the scaler on the points the training windows cover, then extracts and scales all three sets. */
function buildSets(
  source: Float64Array,
  names: string[],
  spec: Parameters<typeof fitScaler>[0],
  shaped: ShapedData,
  ids: Record<WindowSetName, number[]>,
  length: number,
  windowStamp?: (w: number) => string,
): { scaler: ScalerFile; sets: Record<WindowSetName, WindowSet>; covered: Uint8Array } {
  const features = names.length;
  // Overlapping windows would count shared points several times; a mask counts each point once.
  const covered = new Uint8Array(source.length / features);
  for (const w of ids.train) covered.fill(1, shaped.bases[w], shaped.bases[w] + length);
  const scaler = fitScaler(spec, source, covered);
  const make = (windowIds: number[]): WindowSet => {
    const values = extractWindows(
      source,
      features,
      windowIds.map((w) => shaped.bases[w]),
      length,
    );
    applyScaler(scaler, values);
    const set: WindowSet = { count: windowIds.length, length, features, values, starts: windowIds.map((w) => shaped.starts[w]) };
    if (shaped.labels) set.labels = windowIds.map((w) => shaped.labels![w]);
    if (windowStamp) set.timestamps = windowIds.map(windowStamp);
    return set;
  };
  return { scaler, sets: { train: make(ids.train), validation: make(ids.validation), heldOut: make(ids.heldOut) }, covered };
}
