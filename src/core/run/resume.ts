// Resuming a run: where an interrupted or cancelled run stands (its checkpoint's epoch, the
// epochs it set out to train, its history so far) or, when it cannot be resumed, why not.
// The training side (session.ts) continues from such a point in the same folder.
//
// What a resumed run does not get back, said in its log: the optimizer's moments (Adam restarts
// from the checkpoint's weights) and early stopping's patience. The batch order and the
// learning-rate schedule go on as if the run had never stopped.

import * as path from 'node:path';
import type { ResolvedConfig } from '../config/types';
import { readJson, readMetrics, readSavedModelEpoch } from './read';
import { readRunStatus } from './status';
import { RUN_FILES, type EpochMetrics, type RunSummary, type ScalerFile } from './types';
import { formatRunFolderProblems, validateRunFolder } from './validate';

export interface ResumePoint {
  runDir: string;
  config: ResolvedConfig;
  /** Epochs already trained: the epoch the saved model is from. */
  fromEpoch: number;
  /** The epoch the resumed run trains up to. */
  epochsPlanned: number;
  /** metrics.jsonl up to `fromEpoch`. */
  history: EpochMetrics[];
  summary: RunSummary;
}

export type ResumePlan = { ok: true; point: ResumePoint } | { ok: false; reason: string };

export interface ResumeOptions {
  /** Train up to this epoch instead of the run's planned epochs. */
  epochs?: number;
}

export async function planResume(runDir: string, options: ResumeOptions = {}): Promise<ResumePlan> {
  const problems = (await validateRunFolder(runDir, 'resume')).filter((p) => p.severity === 'error');
  if (problems.length > 0) return { ok: false, reason: `the run cannot be resumed:\n${formatRunFolderProblems(problems)}` };
  const status = await readRunStatus(runDir);
  if (status === undefined) return { ok: false, reason: `${runDir} holds no run summary` };
  const summary = status.summary;

  // Older runs saved no epoch with the model; a cancelled one saved it at its last finished epoch.
  const savedEpoch = (await readSavedModelEpoch(runDir)) ?? (summary.status === 'cancelled' ? summary.epochs : undefined);
  const modelFile = path.join(runDir, RUN_FILES.model, 'model.json');
  if (savedEpoch === undefined)
    return { ok: false, reason: `${modelFile}: does not record which epoch its weights are from, so the run cannot be continued exactly; train it again` };
  if (savedEpoch === 0) return { ok: false, reason: `${modelFile}: holds no trained epoch (the run stopped during its first); train it again` };

  const config = (await readJson(path.join(runDir, RUN_FILES.config))) as ResolvedConfig;
  const epochsPlanned = options.epochs ?? summary.epochsPlanned ?? config.training.epochs;
  if (savedEpoch >= epochsPlanned) {
    return {
      ok: false,
      reason: `the saved model is from epoch ${savedEpoch} and the run planned ${epochsPlanned}; nothing left to train (pass --epochs N with N > ${savedEpoch} to go on)`,
    };
  }
  const history = (await readMetrics(runDir)).filter((m) => m.epoch <= savedEpoch);
  return { ok: true, point: { runDir, config, fromEpoch: savedEpoch, epochsPlanned, history, summary } };
}

/**
 * The scaler a resumed run refits on its data must be the one the run saved: otherwise the data
 * file changed since and the checkpoint's weights were learned on other numbers.
 */
export async function sameScalerAsSaved(runDir: string, refitted: ScalerFile): Promise<string | undefined> {
  const saved = (await readJson(path.join(runDir, RUN_FILES.scaler))) as ScalerFile | undefined;
  if (JSON.stringify(saved) === JSON.stringify(refitted)) return undefined;
  return `${path.join(runDir, RUN_FILES.scaler)}: the data scales differently now than when the run started (the data file changed?); the checkpoint cannot be continued on it. Train the config again.`;
}

/** The summary a resumed run starts from: running again, history kept, the resume recorded. */
export function resumedSummary(point: ResumePoint, at: Date, backend: Pick<RunSummary, 'backend' | 'backendReason'>): RunSummary {
  const last = point.history[point.history.length - 1];
  const { reason: _endedBecause, ...rest } = point.summary;
  return {
    ...rest,
    ...backend,
    status: 'running',
    epochs: point.history.length,
    trainLoss: last && Number.isFinite(last.loss) ? last.loss : null,
    valLoss: last?.valLoss ?? null,
    epochsPlanned: point.epochsPlanned,
    resumes: [...(point.summary.resumes ?? []), { at: at.toISOString(), fromEpoch: point.fromEpoch }],
  };
}
