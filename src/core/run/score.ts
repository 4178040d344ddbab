// Scores new data with a finished run (`tsae eval`): the run's model and scaler, the run's
// config with the data file swapped, windows cut exactly as in training, and an anomaly
// threshold taken from the quantiles of the training windows' errors saved with the run.

import * as fs from 'node:fs';
import * as path from 'node:path';
import type { BackendName, ResolvedConfig } from '../config/types';
import { applyScaler, loadDataset, type WindowSet } from '../data';
import { initBackend, type BackendChoice } from '../model/backend';
import { scoreWindows } from '../train/evaluate';
import { rocAuc } from '../train/metrics';
import { loadModel } from './modelIO';
import { RUN_FILES, type ErrorQuantiles, type RunSummary, type ScalerFile } from './types';

export interface ScoredWindow {
  index: number;
  /** Row number (rows layout) or series offset (series layout) of the window's start. */
  start: number;
  label?: number | string;
  /** Mean squared reconstruction error, scaled units (the same measure as the thresholds). */
  error: number;
  anomaly: boolean;
}

export interface ScoreResult {
  runDir: string;
  dataFile: string;
  backend: BackendChoice;
  quantile: number;
  threshold: number;
  windows: ScoredWindow[];
  anomalies: number;
  /**
   * When the data has labels and the run trained on some of them (`data.trainLabels`): ROC AUC
   * of the error, windows with other labels (anomalies) against windows with trained labels.
   */
  auc?: number;
  warnings: string[];
}

export interface ScoreOptions {
  /** Quantile of the training errors used as threshold (default 0.99). */
  quantile?: number;
  backend?: BackendName;
}

/** A problem with the run folder itself (missing or unreadable file), naming the file. */
export class RunFolderError extends Error {}

export async function scoreRunOnData(runDir: string, dataFile: string, options: ScoreOptions = {}): Promise<ScoreResult> {
  const q = options.quantile ?? 0.99;
  if (!(q >= 0 && q <= 1)) throw new RangeError(`threshold quantile must be between 0 and 1, got ${q}`);
  const config = readRunJson<ResolvedConfig>(runDir, RUN_FILES.config);
  const scaler = readRunJson<ScalerFile>(runDir, RUN_FILES.scaler);
  const thresholds = readThresholds(runDir);
  const threshold = interpolateQuantile(thresholds, q);

  const absoluteData = path.resolve(dataFile);
  // Every window of the new file is scored: no held-back labels, no validation split, and no
  // scaler fitted on it: the run's own scaler is applied below, as in training.
  const evalConfig: ResolvedConfig = {
    ...config,
    dataFile: absoluteData,
    data: { ...config.data, path: dataFile, trainLabels: undefined },
    split: { ...config.split, validation: 0 },
    preprocessing: { ...config.preprocessing, scaling: 'none' },
  };
  const warnings: string[] = [];
  const data = await loadDataset(evalConfig, { onWarning: (m) => warnings.push(m) });
  const windows = data.train;
  applyScaler(scaler, windows.values);
  let references: WindowSet = windows;
  if (data.trainTargets) {
    const targetScaler = readRunJson<ScalerFile>(runDir, RUN_FILES.targetScaler);
    applyScaler(targetScaler, data.trainTargets.values);
    references = data.trainTargets;
  }

  const backend = await initBackend(options.backend ?? 'auto');
  const model = await loadModel(path.join(runDir, RUN_FILES.model));
  try {
    const scores = scoreWindows(model, config, windows, references);
    const scored: ScoredWindow[] = scores.indices.map((w, i) => ({
      index: w,
      start: windows.starts[w],
      ...(windows.labels ? { label: windows.labels[w] } : {}),
      error: scores.errors[i],
      anomaly: scores.errors[i] > threshold,
    }));
    const auc = labelAuc(scored, config.data.trainLabels);
    return {
      runDir,
      dataFile: absoluteData,
      backend,
      quantile: q,
      threshold,
      windows: scored,
      anomalies: scored.filter((w) => w.anomaly).length,
      ...(auc !== undefined ? { auc } : {}),
      warnings,
    };
  } finally {
    model.dispose();
  }
}

function labelAuc(windows: ScoredWindow[], trainLabels: Array<number | string> | undefined): number | undefined {
  if (trainLabels === undefined || windows.some((w) => w.label === undefined)) return undefined;
  const normal = new Set(trainLabels.map(String));
  const auc = rocAuc(windows.map((w) => w.error), windows.map((w) => !normal.has(String(w.label))));
  return Number.isNaN(auc) ? undefined : auc;
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
function readThresholds(runDir: string): ErrorQuantiles {
  const file = path.join(runDir, 'thresholds.json');
  if (fs.existsSync(file)) return readRunJson<ErrorQuantiles>(runDir, 'thresholds.json');
  const summary = readRunJson<RunSummary>(runDir, RUN_FILES.summary);
  if (!summary.thresholds) throw new RunFolderError(`${path.join(runDir, RUN_FILES.summary)}: the run saved no error thresholds (status ${summary.status})`);
  return summary.thresholds;
}

/** The stored quantile, or a linear interpolation between the two stored ones around `q`. */
export function interpolateQuantile(thresholds: ErrorQuantiles, q: number): number {
  const points = Object.entries(thresholds.quantiles)
    .map(([k, v]) => [Number(k), v] as const)
    .filter(([k, v]) => Number.isFinite(k) && Number.isFinite(v))
    .sort((a, b) => a[0] - b[0]);
  if (points.length === 0) throw new RunFolderError('the run saved no usable error quantiles');
  if (q <= points[0][0]) return points[0][1];
  for (let i = 1; i < points.length; i++) {
    const [k1, v1] = points[i];
    if (q <= k1) {
      const [k0, v0] = points[i - 1];
      return k1 === k0 ? v1 : v0 + ((v1 - v0) * (q - k0)) / (k1 - k0);
    }
  }
  return points[points.length - 1][1];
}
