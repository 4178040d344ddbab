// One training run from a resolved config to a complete run folder: backend, data, model,
// training, detectors and artifacts, reporting progress as WorkerEvents. The worker thread wraps
// this; it has no worker or vscode dependency so tests can drive it directly. The pieces live in
// their own modules (probe windows, final evaluation, run context); this file is the order of
// steps. A resumed run (core/run/resume.ts) goes through the same steps in its existing folder.

import { createHash } from 'node:crypto';
import * as path from 'node:path';
import type { BackendName, ResolvedConfig } from '../config/types';
import type { WorkerEvent } from '../protocol/worker';
import { loadDataset, type Dataset } from '../data';
import { backendLine, initBackend, reasonWithCoverage, type BackendChoice } from '../model/backend';
import { buildAutoencoder, disposeBuilt, type BuiltModel } from '../model/build';
import { MemoryLimitError, memoryRefusal } from '../model/memory';
import { restoreWeights } from '../run/modelIO';
import { resumedSummary, sameScalerAsSaved, type ResumePoint } from '../run/resume';
import { RunFolder } from '../run/runFolder';
import { RUN_FILES, type EpochMetrics, type RunSummary } from '../run/types';
import { RunFindings } from './findings';
import { writeFinalEvaluation } from './finalEvaluation';
import { ProbeWindows } from './probeWindows';
import { batchesPerEpoch, finalPassFacts, trainModel } from './train';

export interface SessionRequest {
  config: ResolvedConfig;
  /** The config text the run used (hashed into the summary, kept for a later diagnosis). */
  configText: string;
  runsDir: string;
  epochs?: number;
  backend?: BackendName;
  /** Continue this interrupted or cancelled run in its own folder (see planResume). */
  resume?: ResumePoint;
  /** Refuse to train when the memory estimate exceeds this many MB (default DEFAULT_MAX_MEMORY_MB). */
  maxMemoryMB?: number;
  /** The folder the host already created for this new run (createRunFolder), and the time in its name. */
  created?: { runDir: string; startedAt: Date };
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
  /** Epochs trained before this session (a resumed run), and their metrics. */
  history: EpochMetrics[];
  /** Training seconds before this session (a resumed run). */
  secondsBefore: number;
  startedAt: Date;
  post: EventSink;
  signal: AbortSignal | undefined;
}

export async function runSession(req: SessionRequest, post: EventSink, signal?: AbortSignal): Promise<RunSummary> {
  const { config } = req;
  const startedAt = req.created?.startedAt ?? new Date();
  const backend = await initBackend(req.backend ?? 'auto');
  post({ type: 'log', level: 'info', message: backendLine(backend) });

  const dataset = await loadDataset(config, { signal, onWarning: (message) => post({ type: 'log', level: 'warn', message }) });
  const shape = { inputFeatures: dataset.featureNames.length, outputFeatures: dataset.targetNames.length };
  // Refused before anything of the model's size is allocated.
  const refusal = memoryRefusal(config, { ...shape, windows: dataset.train.count + dataset.validation.count + dataset.heldOut.count }, req.maxMemoryMB);
  if (refusal) throw new MemoryLimitError(refusal.message, refusal.configPath);
  const built = buildAutoencoder(config, { window: config.windowing.length, ...shape, batchSize: config.training.batchSize });
  try {
    const withCoverage = { ...backend, reason: reasonWithCoverage(backend) };
    const epochs = req.resume?.epochsPlanned ?? req.epochs ?? config.training.epochs;
    const opened = req.resume ? await reopenFolder(req.resume, built, dataset, withCoverage, post) : await createFolder(req, dataset, built, withCoverage, startedAt, epochs);
    const { folder, summary } = opened;
    const run: RunContext = {
      req,
      config,
      epochs,
      dataset,
      built,
      folder,
      summary,
      history: req.resume?.history ?? [],
      secondsBefore: req.resume?.summary.seconds ?? 0,
      startedAt,
      post,
      signal,
    };
    announce(run, summary.backendReason);
    try {
      return await trainInFolder(run);
    } catch (err) {
      // The folder exists: leave it saying what happened instead of 'running' forever.
      const message = `training failed: ${(err as Error).message ?? String(err)}`;
      Object.assign(summary, { status: 'failed', reason: message, seconds: run.secondsBefore + elapsed(startedAt) });
      await folder.writeSummary(summary).catch(() => undefined);
      post({ type: 'failed', runDir: folder.dir, message, summary });
      return summary;
    }
  } finally {
    disposeBuilt(built);
  }
}

interface OpenedFolder {
  folder: RunFolder;
  summary: RunSummary;
}

/**
 * A new run folder, appearing with its owner record and first summary, then the start files. When
 * the host created it already (the usual case), its starting summary is replaced by the full one.
 */
async function createFolder(req: SessionRequest, dataset: Dataset, built: BuiltModel, backend: BackendChoice, startedAt: Date, epochs: number): Promise<OpenedFolder> {
  const summary = { ...initialSummary(req, dataset, built, backend, startedAt), epochsPlanned: epochs };
  let folder: RunFolder;
  if (req.created) {
    folder = RunFolder.adopt(req.created.runDir);
    await folder.writeSummary(summary);
  } else {
    folder = await RunFolder.create(req.runsDir, req.config.name, startedAt, summary);
  }
  await writeStartFiles(folder, req, dataset);
  return { folder, summary };
}

/**
 * Takes over a stopped run's folder: the data must scale as it did (else the checkpoint's weights
 * were learned on other numbers), the checkpoint's weights go into the freshly built model, and
 * metrics.jsonl keeps the epochs up to the checkpoint.
 */
async function reopenFolder(point: ResumePoint, built: BuiltModel, dataset: Dataset, backend: BackendChoice, post: EventSink): Promise<OpenedFolder> {
  const changed = await sameScalerAsSaved(point.runDir, dataset.scaler);
  if (changed) throw new Error(changed);
  await restoreWeights(built.model, path.join(point.runDir, RUN_FILES.model));
  const folder = await RunFolder.reopen(point.runDir, point.history);
  const summary = resumedSummary(point, new Date(), { backend: backend.backend, backendReason: backend.reason });
  await folder.writeSummary(summary);
  post({
    type: 'log',
    level: 'info',
    message:
      `resuming ${point.runDir} after epoch ${point.fromEpoch} of ${point.epochsPlanned}; ` +
      `the optimizer's state and early stopping's patience were not saved, so they start afresh from the checkpoint's weights`,
  });
  return { folder, summary };
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

async function writeStartFiles(folder: RunFolder, req: SessionRequest, dataset: Dataset): Promise<void> {
  const { config } = req;
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
  const history: EpochMetrics[] = [...run.history];
  let lastBatchEvent = 0;
  const report = (fresh: ReturnType<RunFindings['check']>) => {
    for (const finding of fresh) post({ type: 'finding', finding });
  };

  const result = await trainModel(built, config, dataset, {
    epochs: run.epochs,
    startEpoch: run.history.length > 0 ? run.history[run.history.length - 1].epoch : 0,
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
      post({ type: 'reconstructions', epoch: metrics.epoch, features: dataset.targetNames, ...probes.liveReconstructions() });
      post({ type: 'latents', epoch: metrics.epoch, ...probes.liveLatents() });
      report(findings.check(probes.detectorInput(history, false)));
      // A checkpoint every epoch: what an interrupted run is resumed from.
      await folder.saveModel(built.model, metrics.epoch);
      Object.assign(summary, {
        epochs: history.length,
        trainLoss: metrics.loss,
        valLoss: metrics.valLoss,
        seconds: run.secondsBefore + elapsed(startedAt),
        findings: findings.all(),
      });
      await folder.writeSummary(summary);
    },
  });

  const cancelled = result.status === 'cancelled';
  report(findings.check(probes.detectorInput(history, true, finalPassFacts(result)), cancelled));
  await folder.saveModel(built.model, result.restoredEpoch ?? history[history.length - 1]?.epoch ?? 0);
  const final = await writeFinalEvaluation(folder, built, config, dataset);

  const last = history[history.length - 1];
  Object.assign(summary, {
    status: result.status,
    epochs: history.length,
    trainLoss: last?.loss ?? null,
    valLoss: last?.valLoss ?? null,
    seconds: run.secondsBefore + elapsed(startedAt),
    findings: findings.all(),
    ...final,
    ...(result.reason !== undefined ? { reason: result.reason } : {}),
    ...(result.restoredEpoch !== undefined ? { restoredEpoch: result.restoredEpoch } : {}),
  });
  await folder.writeSummary(summary);
  post(
    result.status === 'failed' ? { type: 'failed', runDir: folder.dir, message: result.reason ?? 'training failed', summary } : { type: 'finished', runDir: folder.dir, summary },
  );
  return summary;
}

function elapsed(since: Date): number {
  return (Date.now() - since.getTime()) / 1000;
}
