// One training run from a resolved config to a complete run folder: backend, data, model,
// training, detectors and artifacts, reporting progress as WorkerEvents. The worker thread wraps
// this; it has no worker or vscode dependency so tests can drive it directly. The pieces live in
// their own modules (probe windows, final evaluation, run context); this file is the order of
// steps.

import { createHash } from 'node:crypto';
import type { BackendName, ResolvedConfig } from '../config/types';
import type { WorkerEvent } from '../protocol/worker';
import { loadDataset, type Dataset } from '../data';
import { backendLine, initBackend, reasonWithCoverage, type BackendChoice } from '../model/backend';
import { buildAutoencoder, disposeBuilt, type BuiltModel } from '../model/build';
import { RunFolder } from '../run/runFolder';
import type { EpochMetrics, RunSummary } from '../run/types';
import { RunFindings } from './findings';
import { reconstructionRecords, writeFinalEvaluation } from './finalEvaluation';
import { ProbeWindows } from './probeWindows';
import { batchesPerEpoch, trainModel } from './train';

export interface SessionRequest {
  config: ResolvedConfig;
  /** The config text the run used (hashed into the summary, kept for a later diagnosis). */
  configText: string;
  runsDir: string;
  epochs?: number;
  backend?: BackendName;
}

export type EventSink = (event: WorkerEvent) => void;

const BATCH_EVENTS_PER_SECOND = 10;

/** Everything one run works with, created once and handed to each step. */
interface RunContext {
  req: SessionRequest;
  config: ResolvedConfig;
  epochs: number;
  dataset: Dataset;
  built: BuiltModel;
  folder: RunFolder;
  summary: RunSummary;
  startedAt: Date;
  post: EventSink;
  signal: AbortSignal | undefined;
}

export async function runSession(req: SessionRequest, post: EventSink, signal?: AbortSignal): Promise<RunSummary> {
  const { config } = req;
  const startedAt = new Date();
  const backend = await initBackend(req.backend ?? 'auto');
  post({ type: 'log', level: 'info', message: backendLine(backend) });

  const dataset = await loadDataset(config, { signal, onWarning: (message) => post({ type: 'log', level: 'warn', message }) });
  const built = buildAutoencoder(config, {
    window: config.windowing.length,
    inputFeatures: dataset.featureNames.length,
    outputFeatures: dataset.targetNames.length,
    batchSize: config.training.batchSize,
  });
  try {
    const folder = await RunFolder.create(req.runsDir, config.name, startedAt);
    const summary = initialSummary(req, dataset, built, { ...backend, reason: reasonWithCoverage(backend) }, startedAt);
    const run: RunContext = { req, config, epochs: req.epochs ?? config.training.epochs, dataset, built, folder, summary, startedAt, post, signal };
    await writeStartFiles(run);
    announce(run, summary.backendReason);
    try {
      return await trainInFolder(run);
    } catch (err) {
      // The folder exists: leave it saying what happened instead of 'running' forever.
      const message = `training failed: ${(err as Error).message ?? String(err)}`;
      Object.assign(summary, { status: 'failed', reason: message, seconds: elapsed(startedAt) });
      await folder.writeSummary(summary).catch(() => undefined);
      post({ type: 'failed', runDir: folder.dir, message, summary });
      return summary;
    }
  } finally {
    disposeBuilt(built);
  }
}

function initialSummary(req: SessionRequest, dataset: Dataset, built: BuiltModel, backend: BackendChoice, startedAt: Date): RunSummary {
  return {
    status: 'running',
    name: req.config.name,
    configFile: req.config.configFile,
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
  };
}

async function writeStartFiles({ folder, summary, config, req, dataset }: RunContext): Promise<void> {
  await folder.writeSummary(summary);
  await folder.writeConfig(config);
  await folder.writeConfigSource({ fileName: config.configFile, text: req.configText });
  await folder.writeScaler(dataset.scaler);
  if (dataset.targetScaler) await folder.writeTargetScaler(dataset.targetScaler);
}

function announce({ post, folder, summary, built, epochs, config, dataset }: RunContext, backendReason: string): void {
  post({
    type: 'started',
    runDir: folder.dir,
    backend: summary.backend,
    backendReason,
    parameters: built.parameters,
    compressionRatio: built.compressionRatio,
    windows: summary.windows,
    epochs,
    batchesPerEpoch: batchesPerEpoch(config, dataset.train.count),
  });
}

async function trainInFolder(run: RunContext): Promise<RunSummary> {
  const { config, dataset, built, folder, summary, post, startedAt } = run;
  const probes = new ProbeWindows(built, config, dataset);
  const findings = new RunFindings();
  const history: EpochMetrics[] = [];
  let lastBatchEvent = 0;
  const report = (fresh: ReturnType<RunFindings['check']>) => {
    for (const finding of fresh) post({ type: 'finding', finding });
  };

  const result = await trainModel(built, config, dataset, {
    epochs: run.epochs,
    signal: run.signal,
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
      const live = probes.liveScores();
      post({ type: 'reconstructions', epoch: metrics.epoch, features: dataset.targetNames, windows: reconstructionRecords(dataset, probes.set, live, probes.references) });
      post({ type: 'latents', epoch: metrics.epoch, ...probes.liveLatents() });
      report(findings.check(probes.detectorInput(history, false)));
      Object.assign(summary, { epochs: history.length, trainLoss: metrics.loss, valLoss: metrics.valLoss, seconds: elapsed(startedAt), findings: findings.all() });
      await folder.writeSummary(summary);
    },
  });

  const cancelled = result.status === 'cancelled';
  report(findings.check(probes.detectorInput(history, true, result.nonFiniteLoss ? { nonFiniteLoss: result.nonFiniteLoss } : {}), cancelled));
  await folder.saveModel(built.model);
  const final = await writeFinalEvaluation(folder, built, config, dataset);

  const last = history[history.length - 1];
  Object.assign(summary, {
    status: result.status,
    epochs: history.length,
    trainLoss: last?.loss ?? null,
    valLoss: last?.valLoss ?? null,
    seconds: elapsed(startedAt),
    findings: findings.all(),
    ...final,
    ...(result.reason !== undefined ? { reason: result.reason } : {}),
    ...(result.restoredEpoch !== undefined ? { restoredEpoch: result.restoredEpoch } : {}),
  });
  await folder.writeSummary(summary);
  post(result.status === 'failed' ? { type: 'failed', runDir: folder.dir, message: result.reason ?? 'training failed', summary } : { type: 'finished', runDir: folder.dir, summary });
  return summary;
}

function elapsed(since: Date): number {
  return (Date.now() - since.getTime()) / 1000;
}
