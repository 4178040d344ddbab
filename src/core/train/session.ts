// One training run from a resolved config to a complete run folder: backend, data, model,
// training, detectors and artifacts, reporting progress as WorkerEvents. The worker thread
// wraps this; it has no worker or vscode dependency so tests can drive it directly.

import { createHash } from 'node:crypto';
import * as tf from '@tensorflow/tfjs';
import type { BackendName, ResolvedConfig } from '../config/types';
import type { WorkerEvent } from '../protocol/worker';
import type { DetectorInput } from '../detectors/types';
import { loadDataset, type Dataset, type WindowSet, type WindowSetName } from '../data';
import { backendLine, initBackend, reasonWithCoverage, type BackendChoice } from '../model/backend';
import { buildAutoencoder, disposeBuilt, type BuiltModel } from '../model/build';
import { RunFolder } from '../run/runFolder';
import type { EpochMetrics, ErrorQuantiles, LatentsFile, ReconstructionsFile, RunSummary, WindowReconstruction } from '../run/types';
import { forEachBatch, toNested } from './batches';
import { RunFindings } from './findings';
import { rocAuc, quantileSorted } from './metrics';
import { batchesPerEpoch, trainModel, type TrainResult } from './train';
import { evenSample, scoreWindows, windowAt, type WindowScores } from './evaluate';

export interface SessionRequest {
  config: ResolvedConfig;
  /** The config text the run used (hashed into the summary). */
  configText: string;
  runsDir: string;
  epochs?: number;
  backend?: BackendName;
}

export type EventSink = (event: WorkerEvent) => void;

/** Windows shown live in the dashboard, and the cap on windows written to reconstructions.json. */
const LIVE_WINDOWS = 16;
const SAVED_WINDOWS = 200;
const DETECTOR_WINDOWS = 64;
const SAVED_LATENTS = 1000;
const BATCH_EVENTS_PER_SECOND = 10;
const THRESHOLD_QUANTILES = [0, 0.5, 0.75, 0.9, 0.95, 0.975, 0.98, 0.99, 0.995, 0.999, 1];

export async function runSession(req: SessionRequest, post: EventSink, signal?: AbortSignal): Promise<RunSummary> {
  const { config } = req;
  const startedAt = new Date();
  const backend = await initBackend(req.backend ?? 'auto');
  post({ type: 'log', level: 'info', message: backendLine(backend) });

  const dataset = await loadDataset(config, { signal, onWarning: (message) => post({ type: 'log', level: 'warn', message }) });
  const outputFeatures = dataset.targetNames.length;
  const built = buildAutoencoder(config, {
    window: config.windowing.length,
    inputFeatures: dataset.featureNames.length,
    outputFeatures,
    batchSize: config.training.batchSize,
  });
  try {
    const withCoverage = { ...backend, reason: reasonWithCoverage(backend) };
    return await trainAndSave(req, built, dataset, withCoverage, startedAt, post, signal);
  } finally {
    disposeBuilt(built);
  }
}

async function trainAndSave(
  req: SessionRequest,
  built: BuiltModel,
  dataset: Dataset,
  backend: BackendChoice,
  startedAt: Date,
  post: EventSink,
  signal: AbortSignal | undefined,
): Promise<RunSummary> {
  const { config } = req;
  const epochs = req.epochs ?? config.training.epochs;
  const summary: RunSummary = {
    status: 'running',
    name: config.name,
    configFile: config.configFile,
    startedAt: startedAt.toISOString(),
    backend: backend.backend,
    backendReason: backend.reason,
    epochs: 0,
    trainLoss: null,
    valLoss: null,
    seconds: 0,
    windows: { train: dataset.train.count, validation: dataset.validation.count, heldOut: dataset.heldOut.count },
    parameters: built.parameters,
    compressionRatio: built.compressionRatio,
    findings: [],
    configHash: createHash('sha256').update(req.configText).digest('hex'),
    epochsPlanned: epochs,
  };
  const folder = await RunFolder.create(req.runsDir, config.name, startedAt, summary);
  await folder.writeConfig(config);
  await folder.writeScaler(dataset.scaler);
  if (dataset.targetScaler) await folder.writeTargetScaler(dataset.targetScaler);

  post({
    type: 'started',
    runDir: folder.dir,
    backend: backend.backend,
    backendReason: backend.reason,
    parameters: built.parameters,
    compressionRatio: built.compressionRatio,
    windows: summary.windows,
    epochs,
    batchesPerEpoch: batchesPerEpoch(config, dataset.train.count),
  });

  try {
    return await trainInFolder(req, built, dataset, folder, summary, epochs, startedAt, post, signal);
  } catch (err) {
    // The folder exists: leave it saying what happened instead of 'running' forever.
    const message = `training failed: ${(err as Error).message ?? String(err)}`;
    Object.assign(summary, { status: 'failed', reason: message, seconds: elapsed(startedAt) });
    await folder.writeSummary(summary).catch(() => undefined);
    post({ type: 'failed', runDir: folder.dir, message, summary });
    return summary;
  }
}

async function trainInFolder(
  req: SessionRequest,
  built: BuiltModel,
  dataset: Dataset,
  folder: RunFolder,
  summary: RunSummary,
  epochs: number,
  startedAt: Date,
  post: EventSink,
  signal: AbortSignal | undefined,
): Promise<RunSummary> {
  const { config } = req;
  const references = referenceSets(dataset);
  const findings = new RunFindings();
  // Detectors look at validation windows; a run without any (tiny data) uses training windows.
  const probeSet: WindowSetName = dataset.validation.count > 0 ? 'validation' : 'train';
  const probeIndices = evenSample(dataset[probeSet].count, DETECTOR_WINDOWS);
  const liveIndices = evenSample(dataset[probeSet].count, LIVE_WINDOWS);
  const history: EpochMetrics[] = [];
  let lastBatchEvent = 0;

  const detectorInput = (final: boolean, extra: Partial<DetectorInput> = {}): DetectorInput => {
    const scores = scoreWindows(built.model, config, dataset[probeSet], references[probeSet], probeIndices);
    const windowsOf = (set: WindowSet) => probeIndices.map((w) => windowAt(set.values, w, set.length, set.features));
    const seq2seq = references[probeSet] !== dataset[probeSet];
    return {
      config,
      history: [...history],
      inputs: windowsOf(dataset[probeSet]),
      ...(seq2seq ? { targets: windowsOf(references[probeSet]) } : {}),
      outputs: toNested(scores.outputs, probeIndices.length, scores.length, scores.features),
      latents: latentVectors(built, config, dataset[probeSet], probeIndices),
      final,
      ...extra,
    };
  };
  const report = (input: DetectorInput) => {
    for (const finding of findings.check(input)) post({ type: 'finding', finding });
  };

  const result: TrainResult = await trainModel(built, config, dataset, {
    epochs,
    signal,
    onBatch(progress) {
      const now = Date.now();
      if (now - lastBatchEvent < 1000 / BATCH_EVENTS_PER_SECOND && progress.batch !== progress.batches) return;
      lastBatchEvent = now;
      post({ type: 'batch', ...progress });
    },
    async onEpoch(metrics) {
      history.push(metrics);
      await folder.appendMetrics(metrics);
      post({ type: 'epoch', ...metrics });
      const live = scoreWindows(built.model, config, dataset[probeSet], references[probeSet], liveIndices);
      post({ type: 'reconstructions', epoch: metrics.epoch, features: dataset.targetNames, windows: reconstructionRecords(dataset, probeSet, live, references) });
      const latents = latentVectors(built, config, dataset[probeSet], liveIndices);
      const labels = dataset[probeSet].labels;
      post({ type: 'latents', epoch: metrics.epoch, vectors: latents, ...(labels ? { labels: liveIndices.map((i) => labels[i]) } : {}) });
      report(detectorInput(false));
      // A checkpoint every epoch: what an interrupted run is resumed from.
      await folder.saveModel(built.model, metrics.epoch);
      Object.assign(summary, { epochs: history.length, trainLoss: metrics.loss, valLoss: metrics.valLoss, seconds: elapsed(startedAt), findings: findings.all() });
      await folder.writeSummary(summary);
    },
  });

  report(detectorInput(true, result.nonFiniteLoss ? { nonFiniteLoss: result.nonFiniteLoss } : {}));
  await folder.saveModel(built.model, result.restoredEpoch ?? history[history.length - 1]?.epoch ?? 0);
  const final = await writeEvaluation(folder, built, config, dataset, references);

  const last = history[history.length - 1];
  Object.assign(summary, {
    status: result.status,
    epochs: history.length,
    trainLoss: last?.loss ?? null,
    valLoss: last?.valLoss ?? null,
    seconds: elapsed(startedAt),
    findings: findings.all(),
    ...(final.thresholds !== undefined ? { thresholds: final.thresholds } : {}),
    ...(final.reconstructionError !== undefined ? { reconstructionError: final.reconstructionError } : {}),
    ...(final.heldOutAuc !== undefined ? { heldOutAuc: final.heldOutAuc } : {}),
    ...(result.reason !== undefined ? { reason: result.reason } : {}),
    ...(result.restoredEpoch !== undefined ? { restoredEpoch: result.restoredEpoch } : {}),
  });
  await folder.writeSummary(summary);
  post(result.status === 'failed'
    ? { type: 'failed', runDir: folder.dir, message: result.reason ?? 'training failed', summary }
    : { type: 'finished', runDir: folder.dir, summary });
  return summary;
}

/** What each set's outputs are compared with: the inputs, or the targets of a seq2seq task. */
function referenceSets(dataset: Dataset): Record<WindowSetName, WindowSet> {
  return {
    train: dataset.trainTargets ?? dataset.train,
    validation: dataset.validationTargets ?? dataset.validation,
    heldOut: dataset.heldOutTargets ?? dataset.heldOut,
  };
}

/** Latent vectors of the given windows, [window][unit], read through the encoder model. */
function latentVectors(built: BuiltModel, config: ResolvedConfig, set: WindowSet, indices: number[]): number[][] {
  if (indices.length === 0) return [];
  const stateful = config.model.stateful;
  const batchSize = stateful ? config.training.batchSize : 256;
  if (stateful) built.model.resetStates();
  const out: number[][] = [];
  forEachBatch(set, indices, batchSize, stateful, (x, _rows, real) => {
    const z = tf.tidy(() => built.encoder.predictOnBatch(x) as tf.Tensor2D);
    const rows = z.arraySync();
    z.dispose();
    out.push(...rows.slice(0, real));
  });
  if (stateful) built.model.resetStates();
  return out;
}

function reconstructionRecords(dataset: Dataset, set: WindowSetName, scores: WindowScores, references: Record<WindowSetName, WindowSet>): WindowReconstruction[] {
  const which = dataset.trainTargets ? 'target' : 'input';
  const ref = references[set];
  const labels = dataset[set].labels;
  return scores.indices.map((w, i) => ({
    index: w,
    start: dataset[set].starts[w],
    ...(labels ? { label: labels[w] } : {}),
    ...(set === 'heldOut' ? { heldOut: true } : {}),
    input: dataset.toOriginal(set, w, windowAt(ref.values, w, ref.length, ref.features), which),
    output: dataset.toOriginal(set, w, windowAt(scores.outputs, i, scores.length, scores.features), which),
    error: scores.errors[i],
    stepError: Array.from(scores.stepErrors.subarray(i * scores.length, (i + 1) * scores.length)),
  }));
}

interface FinalEvaluation {
  thresholds?: ErrorQuantiles;
  reconstructionError?: number;
  heldOutAuc?: number;
}

/** Scores every window once the model is final and writes reconstructions, latents and thresholds. */
async function writeEvaluation(
  folder: RunFolder,
  built: BuiltModel,
  config: ResolvedConfig,
  dataset: Dataset,
  references: Record<WindowSetName, WindowSet>,
): Promise<FinalEvaluation> {
  const score = (set: WindowSetName) => scoreWindows(built.model, config, dataset[set], references[set]);
  const train = score('train');
  const validation = score('validation');
  const heldOut = score('heldOut');

  // A model whose weights went NaN scores NaN everywhere: such a run gets no thresholds, error or
  // AUC (JSON would turn them into nulls that readers take for numbers).
  const allFinite = (errors: Float64Array) => errors.every(Number.isFinite);
  const thresholds = allFinite(train.errors) && train.errors.length > 0 ? errorQuantiles(train.errors) : undefined;
  if (thresholds) await folder.writeThresholds(thresholds);

  // Up to SAVED_WINDOWS windows, half validation and half held-out when both exist.
  const heldOutShare = Math.min(heldOut.indices.length, validation.indices.length > 0 ? SAVED_WINDOWS / 2 : SAVED_WINDOWS);
  const validationShare = Math.min(validation.indices.length, SAVED_WINDOWS - heldOutShare);
  const pick = (scores: WindowScores, n: number) => subsetScores(scores, evenSample(scores.indices.length, n));
  const reconstructions: ReconstructionsFile = {
    features: dataset.targetNames,
    units: 'original',
    windows: [
      ...reconstructionRecords(dataset, 'validation', pick(validation, validationShare), references),
      ...reconstructionRecords(dataset, 'heldOut', pick(heldOut, heldOutShare), references),
    ],
  };
  await folder.writeReconstructions(reconstructions);

  const valLatentIdx = evenSample(dataset.validation.count, SAVED_LATENTS / 2);
  const heldLatentIdx = evenSample(dataset.heldOut.count, SAVED_LATENTS / 2);
  const vectors = [...latentVectors(built, config, dataset.validation, valLatentIdx), ...latentVectors(built, config, dataset.heldOut, heldLatentIdx)];
  const valLabels = dataset.validation.labels;
  const heldLabels = dataset.heldOut.labels;
  const latents: LatentsFile = {
    size: config.model.latent.size,
    vectors,
    indices: [...valLatentIdx, ...heldLatentIdx],
    sets: [...valLatentIdx.map(() => 'validation' as const), ...heldLatentIdx.map(() => 'heldOut' as const)],
    ...(valLabels || heldLabels
      ? { labels: [...valLatentIdx.map((i) => valLabels?.[i] ?? ''), ...heldLatentIdx.map((i) => heldLabels?.[i] ?? '')] }
      : {}),
  };
  await folder.writeLatents(latents);

  const result: FinalEvaluation = thresholds ? { thresholds } : {};
  const scorable = allFinite(validation.errors) && allFinite(heldOut.errors);
  if (validation.errors.length > 0 && scorable) result.reconstructionError = mean(validation.errors);
  // Normal windows held back from training (validation) against windows of the held-out labels.
  if (validation.errors.length > 0 && heldOut.errors.length > 0 && scorable) {
    const scores = [...validation.errors, ...heldOut.errors];
    const positives = scores.map((_, i) => i >= validation.errors.length);
    result.heldOutAuc = rocAuc(scores, positives);
  }
  return result;
}

export function errorQuantiles(errors: ArrayLike<number>): ErrorQuantiles {
  const sorted = Float64Array.from(errors).sort();
  const quantiles: Record<string, number> = {};
  for (const q of THRESHOLD_QUANTILES) quantiles[String(q)] = quantileSorted(sorted, q);
  return { windows: sorted.length, quantiles };
}

function subsetScores(scores: WindowScores, positions: number[]): WindowScores {
  const { length, features } = scores;
  const size = length * features;
  const outputs = new Float32Array(positions.length * size);
  const stepErrors = new Float64Array(positions.length * length);
  positions.forEach((p, i) => {
    outputs.set(scores.outputs.subarray(p * size, (p + 1) * size), i * size);
    stepErrors.set(scores.stepErrors.subarray(p * length, (p + 1) * length), i * length);
  });
  return { indices: positions.map((p) => scores.indices[p]), errors: Float64Array.from(positions, (p) => scores.errors[p]), stepErrors, outputs, length, features };
}

function mean(values: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i];
  return sum / values.length;
}

function elapsed(since: Date): number {
  return (Date.now() - since.getTime()) / 1000;
}

