// Scores every window of a data file with a finished run (`tsae eval`, the worker's score request):
// the run's model and scaler, the run's config with the data file swapped, windows cut exactly as
// in training but over the whole file (no data.maxRows, no split, nothing held back), then the
// threshold, the events, and with labels the metrics. The result is `scores.json`.

import * as fs from 'node:fs';
import * as path from 'node:path';
import type { BackendName, ResolvedConfig } from '../config/types';
import { applyScaler, invertScaler, loadDataset, type Dataset, type WindowSet, type WindowSetName } from '../data';
import { initBackend, type BackendChoice } from '../model/backend';
import { writeJsonAtomic } from '../run/atomicWrite';
import { loadModel, restoreWeights } from '../run/modelIO';
import { buildAutoencoder, disposeBuilt } from '../model/build';
import type * as tf from '@tensorflow/tfjs';
import { RUN_FILES, type ErrorQuantiles, type RunSummary, type ScalerFile, type WindowReconstruction } from '../run/types';
import { scoreWindows } from '../train/evaluate';
import { findEvents } from './events';
import { labelsFromColumn, labelsFromSequences, readLabelFile } from './labels';
import { evaluate } from './metrics';
import { DEFAULT_THRESHOLD_RULE, defaultThresholdRule, describeRule, parseThresholdRule, robustSpread, thresholdValue } from './threshold';
import { FALLBACK_THRESHOLD_RULE, SERIES_ONLY_SCORING } from './types';
import type { Calibration, LabelSet, ScoresFile, ThresholdRule } from './types';
import { DEFAULT_SMOOTHING_LENGTHS, smoothingWindows, smoothScores } from './smoothing';
import { DEFAULT_HISTORY_LENGTHS, historyWindows, scoresAgainstHistory } from './history';
import { errorQuantiles, meanAndStd } from '../train/finalEvaluation';

/** Windows scored between progress reports and cancellation checks. */
const CHUNK = 2048;

export interface ScoreOptions {
  /**
   * Default: the rule saved with the run (anomaly-threshold.json), else the config's
   * evaluation.threshold, else median + 8 MAD of the scores for a series and mean + 5 std of the
   * training errors for rows (defaultThresholdRule).
   */
  threshold?: ThresholdRule;
  backend?: BackendName;
  /**
   * A label file (NAB combined_windows.json or a JSON array of [start, end] pairs), or 'column'
   * for the data's label column. Default: the config's evaluation.labels, else the label column
   * when the data has one, else no labels.
   */
  labels?: string;
  /**
   * Series layout: each window's score is the mean error of the windows within this many window
   * lengths around it (0: the window's own error). Default: the config's evaluation.smoothing, else 4 (DEFAULT_SMOOTHING_LENGTHS).
   */
  smoothing?: number;
  /**
   * Series layout: each (smoothed) score is compared with the scores of the windows within this
   * many window lengths before it: (score - their mean) / their std (history.ts). Default: the
   * config's evaluation.history, else DEFAULT_HISTORY_LENGTHS; 0: scores are errors.
   */
  history?: number;
  signal?: AbortSignal;
  onProgress?(done: number, total: number): void;
  onWarning?(message: string): void;
}

export interface ScoreResult {
  scores: ScoresFile;
  backend: BackendChoice;
  warnings: string[];
  /** Seconds spent reading the data, scoring, and evaluating. */
  timings: { load: number; score: number; evaluate: number };
}

/** A problem with the run folder itself (missing or unreadable file), naming the file. */
export class RunFolderError extends Error {}

/** The threshold rule saved with a run (`anomaly-threshold.json`, written when the user sets one). */
export interface SavedThreshold {
  rule: ThresholdRule;
}

/** The run's model inputs over the whole data file, scaled with the run's own scaler. */
interface Prepared {
  config: ResolvedConfig;
  dataFile: string;
  data: Dataset;
  /** The set scored: every window of the file ('train' of a load without split), or the run's own validation or held-out set. */
  set: WindowSetName;
  windows: WindowSet;
  references: WindowSet;
}

/**
 * Without `set`: every window of `dataFile` (default the run's data), all rows. With `set`: the
 * run's data cut exactly as in training (rows cap, split, labels) and that set's windows.
 */
async function prepare(
  runDir: string,
  dataFile: string | undefined,
  options: Pick<ScoreOptions, 'signal'>,
  warn: (m: string) => void,
  set?: 'train' | 'validation' | 'heldOut',
): Promise<Prepared> {
  const config = readRunJson<ResolvedConfig>(runDir, RUN_FILES.config);
  const scaler = readRunJson<ScalerFile>(runDir, RUN_FILES.scaler);
  const absoluteData = dataFile ? path.resolve(dataFile) : config.dataFile;
  const noScaling = { ...config.preprocessing, scaling: 'none' as const };
  const loadConfig: ResolvedConfig = set
    ? { ...config, preprocessing: noScaling }
    : {
        ...config,
        dataFile: absoluteData,
        data: { ...config.data, path: dataFile ?? config.data.path, trainLabels: undefined, maxRows: undefined },
        split: { ...config.split, validation: 0 },
        preprocessing: noScaling,
      };
  const data = await loadDataset(loadConfig, { signal: options.signal, onWarning: warn });
  const name: WindowSetName = set ?? 'train';
  const windows = data[name];
  // The run's own scaler (the load's is 'none'), so the values are what the model saw.
  applyScaler(scaler, windows.values);
  let references: WindowSet = windows;
  const targets = name === 'train' ? data.trainTargets : name === 'validation' ? data.validationTargets : data.heldOutTargets;
  if (targets) {
    const targetScaler = readRunJson<ScalerFile>(runDir, RUN_FILES.targetScaler);
    applyScaler(targetScaler, targets.values);
    references = targets;
  }
  return { config, dataFile: absoluteData, data, set: name, windows, references };
}

export async function scoreRun(runDir: string, dataFile: string | undefined, options: ScoreOptions = {}): Promise<ScoreResult> {
  const warnings: string[] = [];
  const warn = (m: string): void => {
    warnings.push(m);
    options.onWarning?.(m);
  };
  const t0 = performance.now();
  const training = readTrainingErrors(runDir);
  const { config, dataFile: absoluteData, data, windows, references } = await prepare(runDir, dataFile, options, warn);
  const rule = options.threshold ?? readSavedThreshold(runDir) ?? configThreshold(config, runDir) ?? defaultThresholdRule(config.data.layout);
  const lengths = options.smoothing ?? config.evaluation?.smoothing ?? DEFAULT_SMOOTHING_LENGTHS;
  if (!(lengths >= 0)) throw new RunFolderError(`smoothing must be 0 or more window lengths, got ${lengths}`);
  let smoothing = config.data.layout === 'series' ? smoothingWindows(lengths, config.windowing.length, config.windowing.stride) : 1;
  const historyLengths = options.history ?? config.evaluation?.history ?? DEFAULT_HISTORY_LENGTHS;
  if (!(historyLengths >= 0)) throw new RunFolderError(`history must be 0 or more window lengths, got ${historyLengths}`);
  let history = config.data.layout === 'series' ? historyWindows(historyLengths, config.windowing.length, config.windowing.stride) : 0;
  if (config.data.layout !== 'series') {
    // The config's own settings are flagged by TSAE119 in the editor; an option asked for here is said here.
    for (const name of SERIES_ONLY_SCORING) {
      const asked = options[name];
      if (asked !== undefined && asked > 0) warn(`${name} ${asked} ignored: the data are rows of independent sequences, each scored by its own error`);
    }
  }
  const t1 = performance.now();

  const backend = await initBackend(options.backend ?? 'auto');
  const model = await loadRunModel(runDir, config, windows, references, warn);
  let perWindow: WindowErrors;
  let calibration: Calibration | undefined;
  try {
    perWindow = await scoreAll(windows, references, (indices) => scoreWindows(model, config, windows, references, indices), config.model.stateful, options);
    if (smoothing > 1 || history > 0) {
      try {
        calibration = await calibrate(runDir, config, model, smoothing, history, options);
      } catch (err) {
        if (options.signal?.aborted) throw err;
        // Without the run's own windows a smoothed score has nothing to be compared with.
        warn(`scores are the windows' own errors: the run's training data could not be scored again to calibrate them (${(err as Error).message})`);
        smoothing = 1;
        history = 0;
      }
    }
  } finally {
    model.dispose();
  }
  const base = calibration ?? training;
  let thresholdRule = rule;
  if (rule === DEFAULT_THRESHOLD_RULE && (base.mean === undefined || base.std === undefined)) {
    warn(`the run saved no mean and standard deviation of its errors (an older run): threshold ${describeRule(FALLBACK_THRESHOLD_RULE)}`);
    thresholdRule = FALLBACK_THRESHOLD_RULE;
  }
  const smoothed = smoothing > 1 ? smoothScores(perWindow.errors, smoothing) : perWindow.errors;
  const windowScores = history > 0 && calibration?.reference ? scoresAgainstHistory(smoothed, history, calibration.reference) : smoothed;
  const threshold = thresholdValue(thresholdRule, base, windowScores);
  const t2 = performance.now();

  const scores = buildScoresFile(
    runDir,
    absoluteData,
    config,
    data,
    windows,
    perWindow,
    windowScores,
    thresholdRule,
    threshold,
    smoothing > 1 ? { lengths, windows: smoothing } : undefined,
    history > 0 ? { lengths: historyLengths, windows: history } : undefined,
  );
  if (calibration) scores.calibration = calibration;
  const labels = resolveLabels(options.labels, config, data, scores, warn);
  if (labels) {
    scores.labels = labels;
    scores.metrics = evaluate(scores, labels, threshold);
  }
  const t3 = performance.now();
  return { scores, backend, warnings, timings: { load: (t1 - t0) / 1000, score: (t2 - t1) / 1000, evaluate: (t3 - t2) / 1000 } };
}

/**
 * One window's input and reconstruction in the data's original units: a window of `dataFile` as
 * scores.json numbers them (what the timeline opens on click), or with `options.set` a window of
 * the run's validation or held-out set as reconstructions.json numbers them (the dashboard's
 * ranked windows saved without values).
 */
export async function reconstructWindow(
  runDir: string,
  dataFile: string | undefined,
  window: number,
  options: Pick<ScoreOptions, 'backend' | 'signal'> & { set?: 'validation' | 'heldOut' } = {},
): Promise<{ features: string[]; window: WindowReconstruction }> {
  const { config, data, set, windows, references } = await prepare(runDir, dataFile, options, () => undefined, options.set);
  const what = options.set ? `the run's ${options.set === 'heldOut' ? 'held-out' : 'validation'} set` : 'the data';
  if (!Number.isInteger(window) || window < 0 || window >= windows.count) throw new RangeError(`window ${window} does not exist: ${what} has ${windows.count} windows`);
  await initBackend(options.backend ?? 'auto');
  const model = await loadRunModel(runDir, config, windows, references, () => undefined);
  try {
    // A stateful model needs the windows before it to be in the same state as when scoring.
    const indices = config.model.stateful ? Array.from({ length: window + 1 }, (_, i) => i) : [window];
    const s = scoreWindows(model, config, windows, references, indices);
    const i = indices.length - 1;
    // The loaded data is scaled with the run's scaler (its own is 'none', so toOriginal only undoes differencing).
    const which = references !== windows ? 'target' : 'input';
    const scaler = readRunJson<ScalerFile>(runDir, which === 'target' ? RUN_FILES.targetScaler : RUN_FILES.scaler);
    const original = (values: Float32Array, at: number): number[][] => {
      const unscaled = invertScaler(scaler, Float64Array.from(values.subarray(at * s.length * s.features, (at + 1) * s.length * s.features)));
      const rows = Array.from({ length: s.length }, (_, t) => Array.from(unscaled.subarray(t * s.features, (t + 1) * s.features)));
      return data.toOriginal(set, window, rows, which);
    };
    return {
      features: data.targetNames,
      window: {
        index: window,
        start: windows.starts[window],
        ...(windows.timestamps ? { timestamp: windows.timestamps[window] } : {}),
        ...(windows.labels ? { label: windows.labels[window] } : {}),
        ...(set === 'heldOut' ? { heldOut: true } : {}),
        input: original(references.values, window),
        output: original(s.outputs, i),
        error: s.errors[i],
        stepError: Array.from(s.stepErrors.subarray(i * s.length, (i + 1) * s.length)),
      },
    };
  } finally {
    model.dispose();
  }
}

/** New threshold: recomputes events and metrics of an existing scores file (in place) and returns it. */
export function applyThreshold(scores: ScoresFile, rule: ThresholdRule, value: number): ScoresFile {
  scores.threshold = { rule, value };
  scores.events = findEvents(scores, value);
  if (scores.labels) scores.metrics = evaluate(scores, scores.labels, value);
  return scores;
}

export function writeScores(runDir: string, scores: ScoresFile): Promise<void> {
  return writeJsonAtomic(path.join(runDir, RUN_FILES.scores), scores);
}

export function saveThresholdRule(runDir: string, rule: ThresholdRule): Promise<void> {
  const saved: SavedThreshold = { rule };
  return writeJsonAtomic(path.join(runDir, RUN_FILES.thresholdRule), saved);
}

interface WindowErrors {
  errors: Float64Array;
  /** [window][time] */
  stepErrors: Float64Array;
  /** [window][feature] */
  featureErrors: Float64Array;
  length: number;
  features: number;
}

async function scoreAll(
  windows: WindowSet,
  references: WindowSet,
  score: (indices: number[]) => ReturnType<typeof scoreWindows>,
  stateful: boolean,
  options: ScoreOptions,
): Promise<WindowErrors> {
  const n = windows.count;
  const length = references.length;
  const features = references.features;
  const errors = new Float64Array(n);
  const stepErrors = new Float64Array(n * length);
  const featureErrors = new Float64Array(n * features);
  // A stateful model carries state from window to window: one pass, no chunks.
  const chunk = stateful ? n : CHUNK;
  const size = length * features;
  for (let start = 0; start < n; start += chunk) {
    options.signal?.throwIfAborted();
    const indices = Array.from({ length: Math.min(chunk, n - start) }, (_, i) => start + i);
    const s = score(indices);
    errors.set(s.errors, start);
    stepErrors.set(s.stepErrors, start * length);
    for (let i = 0; i < indices.length; i++) {
      const w = indices[i];
      for (let t = 0; t < length; t++) {
        for (let f = 0; f < features; f++) {
          const d = s.outputs[i * size + t * features + f] - references.values[w * size + t * features + f];
          featureErrors[w * features + f] += (d * d) / length;
        }
      }
    }
    options.onProgress?.(start + indices.length, n);
    // Let a cancel message in between chunks.
    await new Promise((resolve) => setImmediate(resolve));
  }
  options.signal?.throwIfAborted();
  return { errors, stepErrors, featureErrors, length, features };
}

const round = (x: number): number => (Number.isFinite(x) ? Number(x.toPrecision(6)) : x);

function buildScoresFile(
  runDir: string,
  dataFile: string,
  config: ResolvedConfig,
  data: Dataset,
  windows: WindowSet,
  e: WindowErrors,
  windowScores: Float64Array,
  rule: ThresholdRule,
  threshold: number,
  smoothing?: { lengths: number; windows: number },
  history?: { lengths: number; windows: number },
): ScoresFile {
  const layout = config.data.layout;
  const n = windows.count;
  const length = e.length;
  const firstRow: number[] = [];
  const lastRow: number[] = [];
  for (let w = 0; w < n; w++) {
    // Series: starts are row indices of the window's first value; rows: window w is row w.
    const first = layout === 'series' ? windows.starts[w] : w;
    firstRow.push(first);
    lastRow.push(layout === 'series' ? first + length - 1 : first);
  }
  const rowCount = data.rows.lines.length;
  const scores: ScoresFile = {
    version: 1,
    runDir,
    dataFile,
    createdAt: new Date().toISOString(),
    layout,
    features: data.targetNames,
    ...(data.rows.timestampName ? { timestampName: data.rows.timestampName } : {}),
    windowLength: config.windowing.length,
    stride: config.windowing.stride,
    scoreKind: history ? 'relative' : 'mse',
    ...(smoothing ? { smoothing } : {}),
    ...(history ? { history } : {}),
    threshold: { rule, value: threshold },
    windows: {
      firstRow,
      lastRow,
      score: Array.from(windowScores, round),
      ...(smoothing || history ? { error: Array.from(e.errors, round) } : {}),
      ...(e.features > 1 ? { featureScores: Array.from({ length: n }, (_, w) => Array.from(e.featureErrors.subarray(w * e.features, (w + 1) * e.features), round)) } : {}),
      ...(windows.labels ? { labels: windows.labels } : {}),
    },
    rows: { line: data.rows.lines, ...(data.rows.timestamps ? { timestamp: data.rows.timestamps } : {}) },
    events: [],
  };
  if (layout === 'series') {
    if (smoothing || history) {
      // The largest score of the windows covering the row: a row is above the threshold exactly
      // when a window covering it is flagged, as the events say.
      const top = new Float64Array(rowCount).fill(Number.NaN);
      for (let w = 0; w < n; w++) {
        for (let r = firstRow[w]; r <= lastRow[w]; r++) if (!(top[r] >= windowScores[w])) top[r] = windowScores[w];
      }
      scores.rows.score = Array.from(top, (s) => (Number.isNaN(s) ? null : round(s)));
    } else {
      const sum = new Float64Array(rowCount);
      const count = new Uint32Array(rowCount);
      for (let w = 0; w < n; w++) {
        for (let t = 0; t < length; t++) {
          const r = firstRow[w] + t;
          sum[r] += e.stepErrors[w * length + t];
          count[r]++;
        }
      }
      scores.rows.score = Array.from(sum, (s, r) => (count[r] > 0 ? round(s / count[r]) : null));
    }
    const inputs = data.featureNames.length;
    if (data.targetNames.length === inputs && data.targetNames.every((name, f) => name === data.featureNames[f])) {
      scores.rows.values = data.featureNames.map((_, f) => Array.from({ length: rowCount }, (_, r) => data.rows.values[r * inputs + f]));
    }
  } else {
    scores.stepScores = Array.from({ length: n }, (_, w) => Array.from(e.stepErrors.subarray(w * length, (w + 1) * length), round));
  }
  scores.events = findEvents(scores, threshold);
  return scores;
}

function resolveLabels(option: string | undefined, config: ResolvedConfig, data: Dataset, scores: ScoresFile, warn: (m: string) => void): LabelSet | undefined {
  const fromColumn = (): LabelSet | undefined => {
    const labels = data.rows.labels;
    if (!labels) return undefined;
    return config.data.layout === 'rows' ? labelsFromSequences(labels, config.data.trainLabels) : labelsFromColumn(labels, scores.rows, config.data.trainLabels);
  };
  if (option === 'column') {
    const set = fromColumn();
    if (!set) throw new RunFolderError(`${scores.dataFile}: --labels column, but the data has no label column (set data.label)`);
    return set;
  }
  const file = option ?? config.evaluation?.labels;
  if (file) return readLabelFile(file, scores.dataFile, scores.rows, warn);
  return fromColumn();
}

/**
 * The run's training windows scored and smoothed as the data is, so a threshold rule ("the 0.99
 * quantile of the training windows' errors") means the same of smoothed scores as of raw errors.
 * (Measured on the generated and NAB cases of bench/anomaly/quality.ts, the validation windows,
 * fewer, gave thresholds low enough to double the false events.) Windows that are not neighbours
 * in time (the gap the split purged before the validation period) are not averaged together.
 */
async function calibrate(runDir: string, config: ResolvedConfig, model: tf.LayersModel, smoothing: number, history: number, options: ScoreOptions): Promise<Calibration> {
  const set = await prepare(runDir, undefined, options, () => undefined, 'train');
  const { windows, references } = set;
  if (windows.count === 0) throw new Error('the run has no training windows');
  const quiet: ScoreOptions = options.signal ? { signal: options.signal } : {};
  const scored = await scoreAll(windows, references, (indices) => scoreWindows(model, config, windows, references, indices), config.model.stateful, quiet);
  const segment = new Uint32Array(windows.count);
  for (let w = 1; w < windows.count; w++) segment[w] = segment[w - 1] + (windows.starts[w] - windows.starts[w - 1] > config.windowing.stride ? 1 : 0);
  const smoothed = smoothing > 1 ? smoothScores(scored.errors, smoothing, segment) : scored.errors;
  const finite = smoothed.filter(Number.isFinite);
  if (finite.length === 0) throw new Error(`every ${set.set} window scores NaN`);
  const reference = meanAndStd(finite);
  // With a history the training windows are compared with their own past too, so that a quantile
  // or std rule means the same of both.
  const scores = history > 0 ? scoresAgainstHistory(smoothed, history, reference, segment).filter(Number.isFinite) : finite;
  return { ...errorQuantiles(scores), ...robustSpread(scores), set: 'train', ...(history > 0 ? { reference } : {}) };
}

/**
 * The run's model for inference: built from the run's config, so its LSTM layers are the fused
 * WebAssembly ones when the backend has the kernel (one call per layer and batch instead of
 * tfjs's per-step loop, whose slices copy the whole sequence at every step), with the saved
 * weights put in. A saved model the config does not rebuild (an older layout) loads as saved.
 */
async function loadRunModel(runDir: string, config: ResolvedConfig, windows: WindowSet, references: WindowSet, warn: (m: string) => void): Promise<tf.LayersModel> {
  const dir = path.join(runDir, RUN_FILES.model);
  const built = buildAutoencoder(
    config,
    { window: windows.length, inputFeatures: windows.features, outputFeatures: references.features, batchSize: config.training.batchSize },
    { inference: true },
  );
  try {
    await restoreWeights(built.model, dir);
    return built.model;
  } catch (err) {
    disposeBuilt(built);
    warn(`${dir}: ${(err as Error).message}; scoring with the model as saved (slower)`);
    return loadModel(dir);
  }
}

function readRunJson<T>(runDir: string, name: string): T {
  const file = path.join(runDir, name);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new RunFolderError(`${file}: cannot read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); is ${runDir} a finished TSAE run folder?`);
  }
  try {
    return JSON.parse(text) as T;
  } catch (err) {
    throw new RunFolderError(`${file}: not valid JSON (${(err as Error).message})`);
  }
}

/** thresholds.json, or the copy in summary.json. */
function readTrainingErrors(runDir: string): ErrorQuantiles {
  const file = path.join(runDir, RUN_FILES.thresholds);
  if (fs.existsSync(file)) return readRunJson<ErrorQuantiles>(runDir, RUN_FILES.thresholds);
  const summary = readRunJson<RunSummary>(runDir, RUN_FILES.summary);
  if (!summary.thresholds) throw new RunFolderError(`${path.join(runDir, RUN_FILES.summary)}: the run saved no error thresholds (status ${summary.status})`);
  return summary.thresholds;
}

function configThreshold(config: ResolvedConfig, runDir: string): ThresholdRule | undefined {
  const value = config.evaluation?.threshold;
  if (value === undefined) return undefined;
  const rule = parseThresholdRule(String(value));
  if ('error' in rule) throw new RunFolderError(`${path.join(runDir, RUN_FILES.config)}: evaluation.threshold: ${rule.error}`);
  return rule;
}

function readSavedThreshold(runDir: string): ThresholdRule | undefined {
  if (!fs.existsSync(path.join(runDir, RUN_FILES.thresholdRule))) return undefined;
  const saved = readRunJson<SavedThreshold>(runDir, RUN_FILES.thresholdRule);
  const rule = saved?.rule as ThresholdRule | undefined;
  const ok =
    rule &&
    ((rule.kind === 'quantile' && typeof rule.q === 'number') ||
      ((rule.kind === 'meanStd' || rule.kind === 'mad') && typeof rule.k === 'number') ||
      (rule.kind === 'fixed' && typeof rule.value === 'number'));
  if (!ok) throw new RunFolderError(`${path.join(runDir, RUN_FILES.thresholdRule)}: expected {"rule": {"kind": "quantile", "q": 0.99}} or a meanStd / mad / fixed rule`);
  return rule;
}
