// A first config for a data file nobody has configured yet: from what inspectDataFile found, the
// defaults a careful user would pick (window from the detected period or cadence, overlapping
// stride, standard scaling, a latent size at a sane compression ratio, epochs that train in about
// a minute), written as commented YAML so every choice says where it came from.

import * as path from 'node:path';
import { describeStep, type DataInspection } from '../data/inspect';
import { formatNumber } from '../format';
import { MAX_COMPRESSION_RATIO } from '../rules/compression';

/** Input values per latent unit the new config aims for (the reference setups sit at 4:1 to 9:1). */
export const NEW_CONFIG_COMPRESSION = 8;
/** Longest window proposed: LSTMs backpropagate through every step, and longer windows train slowly. */
export const MAX_PROPOSED_WINDOW = 128;
const MIN_WINDOW = 8;
const DEFAULT_WINDOW = 64;
const MAX_LATENT = 64;
/** Percent of rows the most frequent label needs to be taken as the normal class. */
const MIN_NORMAL_SHARE = 40;
const BATCH_SIZE = 32;
const VALIDATION = 0.2;
/** Wall-clock budget for the proposed training. */
export const TARGET_TRAINING_SECONDS = 60;
/**
 * Multiply-adds per second the estimate assumes. BENCHMARKS.md measures the fused backend's
 * training step at about 9e9 per second on 2 cores (workloads A, B, C, ECG); whole epochs of new
 * configs (validation, detectors and artifacts included) ran at about 6e8 per second on a 2-core
 * machine with load average 15, so 1.5e9 is a middle for an ordinary, somewhat busy machine.
 */
export const ASSUMED_OPS_PER_SECOND = 1.5e9;
/** Seconds each epoch costs besides the training step (validation pass, detectors, event posting). */
export const EPOCH_OVERHEAD_SECONDS = 0.1;
const MIN_EPOCHS = 3;
const MAX_EPOCHS = 100;

export interface ProposedConfig {
  /** The YAML text to write. */
  text: string;
  /** The main choices, for tests and for the message shown after writing. */
  choices: {
    window: number;
    stride: number;
    latent: number;
    units: number;
    epochs: number;
    compression: number;
    /** Estimated seconds per epoch (see ASSUMED_OPS_PER_SECOND). */
    secondsPerEpoch: number;
    trainWindows: number;
    maxRows?: number;
    trainLabels?: Array<number | string>;
  };
}

/** The config text for `inspection`, to be saved as `configFile` (data.path is written relative to it). */
export function proposeConfig(inspection: DataInspection, configFile: string): ProposedConfig {
  const features = inspection.layout === 'rows' ? 1 : inspection.features.length;
  if (features === 0)
    throw new Error(`${path.basename(inspection.file)}: no numeric column to learn from (columns: ${inspection.columns.map((c) => `${c.name} (${c.kind})`).join(', ')})`);
  const trainLabels = normalLabel(inspection);
  const minRows = inspection.layout === 'rows' ? 10 : 10 * MIN_WINDOW;
  if (inspection.rows < minRows) {
    throw new Error(
      `${path.basename(inspection.file)} has ${inspection.rows} data rows; an autoencoder needs at least ${minRows} (${inspection.layout === 'rows' ? 'sequences' : `10 windows of ${MIN_WINDOW} steps`})`,
    );
  }
  const window = chooseWindow(inspection, features);
  const latent = Math.min(MAX_LATENT, Math.max(features, Math.ceil((window.length * features) / NEW_CONFIG_COMPRESSION)));
  const units = Math.max(32, Math.ceil((latent * 1.5) / 16) * 16);
  const budget = fitBudget(inspection, window.length, features, latent, units, trainLabels);
  const compression = (window.length * features) / latent;
  const choices: ProposedConfig['choices'] = {
    window: window.length,
    stride: budget.stride,
    latent,
    units,
    epochs: budget.epochs,
    compression,
    secondsPerEpoch: budget.secondsPerEpoch,
    trainWindows: budget.trainWindows,
    maxRows: budget.maxRows,
    trainLabels: trainLabels?.labels,
  };
  return { text: renderYaml(inspection, configFile, choices, window.why, budget.why, trainLabels?.why), choices };
}

/** The label to train on: the most frequent one (the normal class), when a label column exists. */
function normalLabel(inspection: DataInspection): { labels: Array<number | string>; why: string } | undefined {
  const counts = inspection.label?.labelCounts;
  if (!counts || counts.length < 2) return undefined;
  const [top] = counts;
  const share = Math.round((100 * top.count) / counts.reduce((s, c) => s + c.count, 0));
  // Without a clear majority there is no "normal" class to learn; the user picks one.
  if (share < MIN_NORMAL_SHARE) return undefined;
  const others = counts
    .slice(1, 6)
    .map((c) => JSON.stringify(c.label))
    .join(', ');
  return {
    labels: [top.label],
    why: `label ${JSON.stringify(top.label)} is the most frequent (${share}% of the first ${inspection.sampledRows} rows), so it is taken as normal; the others (${others}${counts.length > 6 ? ', ...' : ''}) are held back and scored as anomalies`,
  };
}

function chooseWindow(inspection: DataInspection, features: number): { length: number; why: string[] } {
  if (inspection.layout === 'rows') {
    const length = inspection.sequenceLength ?? DEFAULT_WINDOW;
    return { length, why: [`every row is one sequence of ${length} values, so a window is a row`] };
  }
  const cadence = inspection.timestamp?.cadence;
  const span = (steps: number): string => (cadence ? ` (${describeStep(cadence, steps)})` : '');
  const why: string[] = [];
  let length: number;
  const period = inspection.period;
  if (period) {
    length = period.steps;
    while (length > MAX_PROPOSED_WINDOW) length = Math.round(length / 2);
    why.push(`the values repeat every ${period.steps} steps${span(period.steps)}, autocorrelation ${period.strength.toFixed(2)} on "${period.column}"`);
    if (length !== period.steps) why.push(`${length} steps${span(length)} is that period halved until at most ${MAX_PROPOSED_WINDOW} steps, which LSTMs train on well`);
  } else {
    length = DEFAULT_WINDOW;
    why.push(`no repeating period found; ${DEFAULT_WINDOW} steps${span(DEFAULT_WINDOW)} is a common start: shorten it for fast events, lengthen it for slow ones`);
  }
  // At least 10 windows in the file, and a compression the latent cap can still reach.
  const byRows = Math.floor(inspection.rows / 10);
  const byCompression = Math.floor((MAX_LATENT * MAX_COMPRESSION_RATIO * 0.8) / features);
  const capped = Math.max(MIN_WINDOW, Math.min(length, byRows, byCompression));
  if (capped < length) {
    why.push(`shortened to ${capped} steps so the file gives enough windows and ${features} features x ${capped} steps stay compressible`);
    length = capped;
  }
  return { length, why };
}

interface Budget {
  stride: number;
  epochs: number;
  secondsPerEpoch: number;
  trainWindows: number;
  maxRows?: number;
  why: string[];
}

/** Stride, epochs and (when the file is large) data.maxRows so training takes about TARGET_TRAINING_SECONDS. */
function fitBudget(
  inspection: DataInspection,
  length: number,
  features: number,
  latent: number,
  units: number,
  trainLabels: { labels: Array<number | string> } | undefined,
): Budget {
  const why: string[] = [];
  // Multiply-adds per window, forward and backward (x3): one encoder and one decoder LSTM layer.
  const perWindow = 3 * length * 4 * units * (2 * units + features + latent);
  const seconds = (windows: number) => EPOCH_OVERHEAD_SECONDS + (windows * perWindow) / ASSUMED_OPS_PER_SECOND;
  const labelShare = trainLabels && inspection.label?.labelCounts ? inspection.label.labelCounts[0].count / inspection.sampledRows : 1;

  if (inspection.layout === 'rows') {
    const trainWindows = Math.round(inspection.rows * labelShare * (1 - VALIDATION));
    return { stride: 1, ...epochsFor(seconds(trainWindows), why), trainWindows, why };
  }
  let stride = Math.max(1, Math.round(length / 4));
  let rows = inspection.rows;
  let maxRows: number | undefined;
  const trainOf = (r: number, s: number) => Math.max(0, Math.floor(((r - length) / s + 1) * (1 - VALIDATION)));
  why.push(`stride ${stride}: windows start every quarter window, so neighbours overlap by three quarters`);
  // Too slow for a few epochs a minute: stop overlapping less, then read fewer rows.
  const minEpochSeconds = TARGET_TRAINING_SECONDS / 10;
  if (seconds(trainOf(rows, stride)) > minEpochSeconds) {
    stride = Math.max(stride, Math.min(length, Math.ceil((stride * seconds(trainOf(rows, stride))) / minEpochSeconds)));
    why.push(`stride raised to ${stride} so an epoch takes about ${Math.round(minEpochSeconds)} s on ${inspection.rows} rows`);
  }
  if (seconds(trainOf(rows, stride)) > minEpochSeconds) {
    const windows = Math.floor(((minEpochSeconds - EPOCH_OVERHEAD_SECONDS) * ASSUMED_OPS_PER_SECOND) / perWindow);
    rows = Math.max(length * 10, Math.floor((windows / (1 - VALIDATION) - 1) * stride + length));
    if (rows < inspection.rows) {
      maxRows = rows;
      why.push(`data.maxRows ${rows} of ${inspection.rows}: the whole file would take more than a minute per few epochs; remove it to train on everything`);
    } else rows = inspection.rows;
  }
  const disorder = inspection.timestamp?.disorder;
  if (disorder && disorder.row < rows) {
    const kept = why.filter((w) => !w.startsWith('data.maxRows'));
    why.splice(0, why.length, ...kept);
    rows = disorder.row;
    maxRows = rows;
    why.push(`data.maxRows ${rows} of ${inspection.rows}: the timestamps go backwards or repeat at line ${disorder.line} (TSAE116), so training stops before it`);
  }
  const trainWindows = trainOf(rows, stride);
  return { stride, ...epochsFor(seconds(trainWindows), why), trainWindows, maxRows, why };
}

function epochsFor(secondsPerEpoch: number, why: string[]): { epochs: number; secondsPerEpoch: number } {
  const epochs = Math.max(MIN_EPOCHS, Math.min(MAX_EPOCHS, Math.floor(TARGET_TRAINING_SECONDS / Math.max(secondsPerEpoch, 1e-3))));
  why.push(`about ${secondsPerEpoch < 1 ? secondsPerEpoch.toFixed(2) : secondsPerEpoch.toFixed(1)} s per epoch estimated (fused backend), so ${epochs} epochs take about a minute`);
  return { epochs, secondsPerEpoch };
}

const PLAIN = /^[A-Za-z_./][A-Za-z0-9_./ -]*$/;
const RESERVED = /^(true|false|yes|no|on|off|null|~)$/i;

/** A YAML scalar: plain when safe, else a JSON string (which is valid double-quoted YAML). */
export function yamlScalar(value: string | number): string {
  if (typeof value === 'number') return String(value);
  return PLAIN.test(value) && !RESERVED.test(value) && !value.endsWith(' ') ? value : JSON.stringify(value);
}

/** Comment lines; text from the data file (labels, column names) may hold line breaks, which would end the comment. */
function comment(lines: string[], indent = ''): string[] {
  return lines.map((l) => `${indent}# ${l.replace(/[\r\n]+/g, ' ')}`);
}

function renderYaml(inspection: DataInspection, configFile: string, c: ProposedConfig['choices'], windowWhy: string[], budgetWhy: string[], labelWhy: string | undefined): string {
  const dataPath = path.relative(path.dirname(configFile), inspection.file).split(path.sep).join('/');
  const name = path
    .basename(inspection.file)
    .replace(/\.[^.]+$/, '')
    .replace(/[^A-Za-z0-9_.-]+/g, '-');
  const cadence = inspection.timestamp?.cadence;
  const out: string[] = [];
  out.push(`# Written by "TSAE: New Config from Data File..." from ${path.basename(inspection.file)}:`);
  const shape =
    inspection.layout === 'rows'
      ? `${inspection.rows} rows of ${inspection.sequenceLength} values each, class label in column 0`
      : `${inspection.rows} rows, ${inspection.features.length} feature column${inspection.features.length === 1 ? '' : 's'}${inspection.timestamp ? `, timestamps in "${inspection.timestamp.column}"${cadence ? ` every ${describeStep(cadence)}` : ''}` : ''}`;
  out.push(`# ${shape}.`);
  out.push(...comment(inspection.notes.map((note) => `Note: ${note}.`)));
  out.push('# Every value below is a starting point; hover a key for its documentation.');
  out.push(`name: ${yamlScalar(name)}`);
  out.push(`description: ${yamlScalar(`LSTM autoencoder on ${path.basename(inspection.file)}`)}`);
  out.push('data:');
  out.push(`  path: ${yamlScalar(dataPath)}`);
  out.push(`  format: ${inspection.format}`);
  out.push(`  layout: ${inspection.layout}`);
  if (inspection.format === 'csv') {
    if (inspection.timestamp) out.push(`  timestamp: ${yamlScalar(inspection.timestamp.column)}`);
    for (const f of inspection.columns.filter((col) => col.kind === 'feature' && col.stats)) {
      const s = f.stats!;
      out.push(...comment([`${f.name}: ${formatNumber(s.min)} to ${formatNumber(s.max)}, mean ${formatNumber(s.mean)}${s.nanCount > 0 ? `, ${s.nanCount} missing` : ''}`], '  '));
    }
    out.push(`  columns: [${inspection.features.map(yamlScalar).join(', ')}]`);
  }
  if (inspection.label) {
    out.push(`  label: ${inspection.format === 'csv' ? yamlScalar(inspection.label.name) : inspection.label.index}`);
    if (c.trainLabels && labelWhy) {
      out.push(...comment([labelWhy], '  '));
      out.push(`  trainLabels: [${c.trainLabels.map(yamlScalar).join(', ')}]`);
    }
  }
  const missing = inspection.columns.some((col) => col.kind === 'feature' && (col.stats?.nanCount ?? 0) > 0);
  if (missing) {
    out.push('  # Some cells are missing: they are filled by linear interpolation.');
    out.push('  missing: interpolate');
  }
  if (c.maxRows !== undefined) {
    out.push(
      ...comment(
        budgetWhy.filter((w) => w.startsWith('data.maxRows')),
        '  ',
      ),
    );
    out.push(`  maxRows: ${c.maxRows}`);
  }
  out.push('windowing:');
  out.push(...comment(windowWhy, '  '));
  out.push(`  length: ${c.window}`);
  if (inspection.layout === 'series') {
    out.push(
      ...comment(
        budgetWhy.filter((w) => w.startsWith('stride')),
        '  ',
      ),
    );
    out.push(`  stride: ${c.stride}`);
  }
  out.push('preprocessing:');
  out.push('  # Each feature is centred and scaled by its training-split mean and standard deviation.');
  out.push('  scaling: standard');
  out.push('split:');
  out.push(`  validation: ${VALIDATION}`);
  out.push('  seed: 42');
  out.push('model:');
  out.push('  cell: lstm');
  out.push('  encoder:');
  out.push(`    - units: ${c.units}`);
  out.push(`  # ${c.window * (inspection.layout === 'rows' ? 1 : inspection.features.length)} values per window : ${c.latent} latent units = ${formatNumber(c.compression)}:1.`);
  out.push('  latent:');
  out.push(`    size: ${c.latent}`);
  out.push('    activation: linear');
  out.push('  bridge: repeat');
  out.push('  decoder:');
  out.push(`    - units: ${c.units}`);
  out.push('  outputActivation: linear');
  out.push('training:');
  out.push(
    ...comment(
      budgetWhy.filter((w) => !w.startsWith('stride') && !w.startsWith('data.maxRows')),
      '  ',
    ),
  );
  out.push(`  epochs: ${c.epochs}`);
  out.push(`  batchSize: ${BATCH_SIZE}`);
  out.push('  optimizer: adam');
  out.push(`  learningRate: ${inspection.layout === 'rows' ? 0.005 : 0.002}`);
  out.push('  loss: mse');
  out.push('  shuffle: true');
  out.push('  earlyStopping:');
  out.push('    patience: 5');
  return `${out.join('\n')}\n`;
}
