// Checks a run folder before anything uses it (`tsae eval`, resume, the dashboard) and says what
// is wrong with it, naming the file: a missing or truncated model.json, weights that do not
// match it, a scaler of the wrong shape or with a zero spread, a config without the fields the
// model needs, no thresholds. Without this, such folders fail deep inside tfjs ("internal
// error" and a stack) or, worse, give NaN scores and exit 0.

import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { readJsonFile } from './read';
import { readRunStatus } from './status';
import { isStartingSummary, RUN_FILES, type RunStatus } from './types';

export interface RunFolderProblem {
  severity: 'error' | 'warning';
  /** The file (or folder) at fault, absolute. */
  file: string;
  message: string;
}

/** What the folder is going to be used for: each use needs different files. */
export type RunFolderUse = 'eval' | 'resume' | 'view';

const NEEDS: Record<RunFolderUse, { model: boolean; scaler: boolean; thresholds: boolean }> = {
  eval: { model: true, scaler: true, thresholds: true },
  resume: { model: true, scaler: true, thresholds: false },
  view: { model: false, scaler: false, thresholds: false },
};

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isPositiveInt = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 1;

export async function validateRunFolder(runDir: string, use: RunFolderUse = 'eval'): Promise<RunFolderProblem[]> {
  const problems: RunFolderProblem[] = [];
  const error = (file: string, message: string) => problems.push({ severity: 'error', file, message });
  const warning = (file: string, message: string) => problems.push({ severity: 'warning', file, message });

  const stat = await fs.stat(runDir).catch(() => undefined);
  if (stat === undefined) {
    error(runDir, 'no such folder');
    return problems;
  }
  if (!stat.isDirectory()) {
    error(runDir, 'is a file, not a run folder (expected .tsae/runs/<timestamp>-<name>/)');
    return problems;
  }

  const summaryFile = path.join(runDir, RUN_FILES.summary);
  const summaryRead = await readJsonFile(summaryFile);
  const status = await readRunStatus(runDir);
  if (!summaryRead.ok && status === undefined) error(summaryFile, `${summaryRead.problem}; is ${runDir} a TSAE run folder?`);
  else if (status === undefined) error(summaryFile, 'does not have the fields of a run summary');
  else if (isStartingSummary(status.summary)) {
    // The run never got past loading its data: none of the files below exist, and saying so once is clearer.
    const thing = use === 'eval' ? 'model to score with' : use === 'resume' ? 'model to resume' : 'epochs or model to show';
    error(
      summaryFile,
      status.status === 'running'
        ? `the run is still loading its data and building its model: it has no ${thing} yet`
        : `the run stopped before training (${status.summary.reason ?? status.status}): it has no ${thing}; train the config again`,
    );
    return problems;
  } else statusProblems(status.status, status.lastEpoch, status.note, summaryFile, use, error, warning);

  const need = NEEDS[use];
  const config = await checkConfig(runDir, error);
  if (need.scaler) {
    const features = await checkScaler(path.join(runDir, RUN_FILES.scaler), error, warning);
    if (isObject(config) && isObject(config.task) && config.task.type === 'seq2seq') await checkScaler(path.join(runDir, RUN_FILES.targetScaler), error, warning);
    if (need.model) await checkModel(runDir, config, features, error);
  } else if (need.model) {
    await checkModel(runDir, config, undefined, error);
  }
  if (need.thresholds) await checkThresholds(runDir, error);
  return problems;
}

type Report = (file: string, message: string) => void;

function statusProblems(status: RunStatus, lastEpoch: number, note: string | undefined, file: string, use: RunFolderUse, error: Report, warning: Report): void {
  if (use === 'resume') {
    if (status === 'running') error(file, `the run is still training${note ? ` (${note})` : ''}; it can be resumed once it stops`);
    if (status === 'completed') error(file, 'the run completed; there is nothing to resume (train the config again, or with more epochs)');
    if (status === 'failed') error(file, 'the run failed; resuming would repeat the failure: fix the cause and train again');
    return;
  }
  if (use !== 'eval') return;
  if (status === 'running') warning(file, `the run is still training: its saved model is the checkpoint of epoch ${lastEpoch}`);
  if (status === 'interrupted') warning(file, `${note ?? 'the run was interrupted'}; its saved model is the checkpoint of epoch ${lastEpoch}`);
  if (status === 'failed') warning(file, 'the run failed; its saved model may not be usable');
}

/** config.resolved.json with the fields the model and data pipeline need. */
async function checkConfig(runDir: string, error: Report): Promise<Json | undefined> {
  const file = path.join(runDir, RUN_FILES.config);
  const read = await readJsonFile(file);
  if (!read.ok) {
    error(file, `${read.problem}; the run's resolved config is needed to cut windows and rebuild the model`);
    return undefined;
  }
  if (!isObject(read.value)) {
    error(file, 'is not a JSON object');
    return undefined;
  }
  const c = read.value;
  const missing: string[] = [];
  const check = (ok: boolean, field: string) => {
    if (!ok) missing.push(field);
  };
  check(typeof c.name === 'string', 'name');
  check(typeof c.dataFile === 'string', 'dataFile');
  check(isObject(c.data) && typeof c.data.format === 'string' && typeof c.data.layout === 'string', 'data.format/layout');
  check(isObject(c.windowing) && isPositiveInt(c.windowing.length), 'windowing.length');
  check(isObject(c.preprocessing) && typeof c.preprocessing.scaling === 'string', 'preprocessing.scaling');
  check(isObject(c.task) && typeof c.task.type === 'string', 'task.type');
  const layersOk = (v: unknown) => Array.isArray(v) && v.length > 0 && v.every((l) => isObject(l) && isPositiveInt(l.units));
  check(isObject(c.model) && layersOk(c.model.encoder), 'model.encoder');
  check(isObject(c.model) && layersOk(c.model.decoder), 'model.decoder');
  check(isObject(c.model) && isObject(c.model.latent) && isPositiveInt(c.model.latent.size), 'model.latent.size');
  check(isObject(c.training) && isPositiveInt(c.training.batchSize) && isPositiveInt(c.training.epochs), 'training.batchSize/epochs');
  if (missing.length > 0) {
    error(file, `lacks or has invalid ${missing.join(', ')}`);
    return undefined;
  }
  return c;
}

/** scaler.json: one statistic per feature, finite, with a spread > 0. Returns the feature count. */
async function checkScaler(file: string, error: Report, warning: Report): Promise<number | undefined> {
  const read = await readJsonFile(file);
  if (!read.ok) {
    error(file, `${read.problem}; the run's scaler is needed to scale new data as in training`);
    return undefined;
  }
  const s = read.value;
  if (!isObject(s) || !['standard', 'minmax', 'none'].includes(s.kind as string)) {
    error(file, "is not a scaler (expected kind 'standard', 'minmax' or 'none')");
    return undefined;
  }
  const features = s.features;
  if (!Array.isArray(features) || features.length === 0 || !features.every((f) => typeof f === 'string')) {
    error(file, 'has no feature names');
    return undefined;
  }
  if (s.differencing !== 0 && s.differencing !== 1) error(file, `differencing must be 0 or 1, found ${JSON.stringify(s.differencing)}`);
  const n = features.length;
  const vector = (key: string): number[] | undefined => {
    const v = s[key];
    if (!Array.isArray(v) || v.length !== n) {
      error(file, `${key} has ${Array.isArray(v) ? v.length : 'no'} values for ${n} feature${n === 1 ? '' : 's'}`);
      return undefined;
    }
    const bad = v.findIndex((x) => typeof x !== 'number' || !Number.isFinite(x));
    if (bad >= 0) {
      error(file, `${key} of feature '${features[bad]}' is ${JSON.stringify(v[bad])}, not a finite number (the training data overflowed?)`);
      return undefined;
    }
    return v as number[];
  };
  if (s.kind === 'standard') {
    vector('mean');
    const std = vector('std');
    std?.forEach((x, i) => {
      if (!(x > 0)) error(file, `std of feature '${features[i]}' is ${x}: the feature was constant in training, so every scaled value would be NaN or infinite`);
    });
  } else if (s.kind === 'minmax') {
    const min = vector('min');
    const max = vector('max');
    if (min && max) {
      min.forEach((lo, i) => {
        if (!(max[i] > lo)) error(file, `feature '${features[i]}' has min ${lo} and max ${max[i]}: it was constant in training, so every scaled value would be NaN or infinite`);
      });
    }
    const range = s.range;
    if (!Array.isArray(range) || range.length !== 2 || !range.every((x) => Number.isFinite(x)) || !(range[1] > range[0])) {
      error(file, `range must be two finite numbers [low, high] with low < high, found ${JSON.stringify(range)}`);
    }
  }
  if (s.kind === 'none') warning(file, 'the run did not scale its data');
  return n;
}

interface WeightSpec {
  name: string;
  shape: number[];
  dtype: string;
}

const BYTES_PER_ELEMENT: Record<string, number> = { float32: 4, int32: 4, bool: 1 };

/** model/model.json and the weight files it names: present, parseable, sizes agreeing, input shape matching the config. */
async function checkModel(runDir: string, config: Json | undefined, features: number | undefined, error: Report): Promise<void> {
  const dir = path.join(runDir, RUN_FILES.model);
  const file = path.join(dir, 'model.json');
  const read = await readJsonFile(file);
  if (!read.ok) {
    const why = read.missing ? 'is missing: the run saved no model (it ended before its first epoch finished?)' : read.problem;
    error(file, why);
    return;
  }
  const m = read.value;
  if (!isObject(m) || !isObject(m.modelTopology)) {
    error(file, 'has no modelTopology: not a saved tfjs Layers model');
    return;
  }
  const manifest = m.weightsManifest;
  if (!Array.isArray(manifest) || manifest.length === 0 || !manifest.every((g) => isObject(g) && Array.isArray(g.paths) && Array.isArray(g.weights))) {
    error(file, 'has no weightsManifest: it does not say where its weights are');
    return;
  }
  let expectedBytes = 0;
  let actualBytes = 0;
  for (const group of manifest as Array<{ paths: unknown[]; weights: unknown[] }>) {
    for (const w of group.weights) {
      const spec = w as WeightSpec;
      const size = BYTES_PER_ELEMENT[spec?.dtype];
      if (!isObject(w) || typeof spec.name !== 'string' || !Array.isArray(spec.shape) || !spec.shape.every((d) => Number.isSafeInteger(d) && d >= 0) || size === undefined) {
        error(file, `weightsManifest has a malformed weight entry ${JSON.stringify(w).slice(0, 120)}`);
        return;
      }
      expectedBytes += spec.shape.reduce((a, b) => a * b, 1) * size;
    }
    for (const p of group.paths) {
      if (typeof p !== 'string' || p.includes('/') || p.includes('\\') || p.startsWith('.')) {
        error(file, `weightsManifest names a weights file outside the model folder: ${JSON.stringify(p)}`);
        return;
      }
      const weights = path.join(dir, p);
      const st = await fs.stat(weights).catch(() => undefined);
      if (st === undefined || !st.isFile()) {
        error(weights, "is missing: the model's weights are gone");
        return;
      }
      actualBytes += st.size;
    }
  }
  if (actualBytes !== expectedBytes) {
    error(
      path.join(dir, String((manifest[0] as { paths: unknown[] }).paths[0] ?? 'weights.bin')),
      `holds ${actualBytes} bytes, model.json describes ${expectedBytes}: truncated or from another model`,
    );
  }
  const input = inputShape(m.modelTopology);
  if (input === undefined) {
    error(file, 'has no input layer shape in its topology');
    return;
  }
  if (config && isObject(config.windowing) && input[1] !== config.windowing.length) {
    error(file, `expects windows of ${input[1]} steps, the run's config.resolved.json says windowing.length ${String(config.windowing.length)}`);
  }
  if (features !== undefined && input[2] !== features) {
    error(file, `expects ${input[2]} input features, scaler.json has ${features}`);
  }
}

function inputShape(topology: Json): Array<number | null> | undefined {
  const inner = isObject(topology.model_config) ? topology.model_config : topology;
  const layers = isObject(inner.config) ? inner.config.layers : undefined;
  if (!Array.isArray(layers)) return undefined;
  const inputLayer = layers.find((l) => isObject(l) && l.class_name === 'InputLayer') as Json | undefined;
  const shape = isObject(inputLayer?.config) ? inputLayer.config.batch_input_shape : undefined;
  return Array.isArray(shape) && shape.length === 3 ? (shape as Array<number | null>) : undefined;
}

/** thresholds.json (or the copy in summary.json) with finite quantiles. */
async function checkThresholds(runDir: string, error: Report): Promise<void> {
  const file = path.join(runDir, RUN_FILES.thresholds);
  const read = await readJsonFile(file);
  let value: unknown;
  if (read.ok) value = read.value;
  else if (!read.missing) {
    error(file, read.problem);
    return;
  } else {
    const summary = await readJsonFile(path.join(runDir, RUN_FILES.summary));
    value = summary.ok && isObject(summary.value) ? summary.value.thresholds : undefined;
    if (value === undefined) {
      error(file, 'is missing and summary.json has no thresholds: the run never scored its training windows (it did not finish, or its errors were not finite)');
      return;
    }
  }
  const quantiles = isObject(value) && isObject(value.quantiles) ? Object.values(value.quantiles) : [];
  if (!quantiles.some((q) => typeof q === 'number' && Number.isFinite(q))) error(file, 'holds no finite error quantile to use as a threshold');
}

/** One line per problem, `file: message`, errors first. */
export function formatRunFolderProblems(problems: RunFolderProblem[]): string {
  return [...problems]
    .sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1))
    .map((p) => `${p.severity === 'warning' ? 'warning: ' : ''}${p.file}: ${p.message}`)
    .join('\n');
}
