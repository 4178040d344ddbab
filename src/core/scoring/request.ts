// The worker side of scoring: a 'score' request scores the whole file, writes scores.json into
// the run folder and posts progress then 'scored'; a 'reconstruct' request answers with one
// window's input and reconstruction. Every way this can go wrong ends in one 'failed' event
// naming the file; nothing throws.

import * as path from 'node:path';
import { DataError } from '../data/errors';
import type { WorkerEvent, WorkerRequest } from '../protocol/worker';
import { RUN_FILES } from '../run/types';
import { LabelError } from './labels';
import { reconstructWindow, RunFolderError, scoreRun, writeScores } from './score';
import { ThresholdError } from './threshold';

type Post = (event: WorkerEvent) => void;
export type ScoreRequest = Extract<WorkerRequest, { type: 'score' }>;
export type ReconstructRequest = Extract<WorkerRequest, { type: 'reconstruct' }>;

/** Progress at most this often (plus the last chunk), so a 100k-row file does not flood the host. */
const PROGRESS_MS = 200;

export async function runScoreRequest(req: ScoreRequest, post: Post, signal: AbortSignal): Promise<void> {
  const started = performance.now();
  let last = 0;
  try {
    const result = await scoreRun(req.runDir, req.dataFile, {
      ...(req.threshold ? { threshold: req.threshold } : {}),
      ...(req.labels ? { labels: req.labels } : {}),
      ...(req.backend ? { backend: req.backend } : {}),
      signal,
      onWarning: (message) => post({ type: 'log', level: 'warn', message }),
      onProgress: (done, total) => {
        const now = performance.now();
        if (done < total && now - last < PROGRESS_MS) return;
        last = now;
        post({ type: 'scoreProgress', done, total });
      },
    });
    await writeScores(req.runDir, result.scores);
    post({
      type: 'scored',
      runDir: req.runDir,
      scoresFile: path.join(req.runDir, RUN_FILES.scores),
      windows: result.scores.windows.score.length,
      events: result.scores.events.length,
      threshold: result.scores.threshold.value,
      seconds: (performance.now() - started) / 1000,
    });
  } catch (err) {
    post(failure(err, signal, req.dataFile ?? req.runDir));
  }
}

export async function runReconstructRequest(req: ReconstructRequest, post: Post, signal: AbortSignal): Promise<void> {
  try {
    const { features, window } = await reconstructWindow(req.runDir, req.dataFile, req.window, {
      signal,
      ...(req.backend ? { backend: req.backend } : {}),
      ...(req.set ? { set: req.set } : {}),
    });
    post({ type: 'windowReconstruction', features, window });
  } catch (err) {
    post(failure(err, signal, req.dataFile ?? req.runDir));
  }
}

function failure(err: unknown, signal: AbortSignal, file: string): WorkerEvent {
  if (signal.aborted) return { type: 'failed', message: 'scoring cancelled' };
  if (err instanceof DataError)
    return { type: 'failed', message: err.message, location: { file: err.file || file, ...(err.line ? { line: err.line } : {}), ...(err.field ? { field: err.field } : {}) } };
  if (err instanceof RunFolderError || err instanceof LabelError || err instanceof ThresholdError || err instanceof RangeError) return { type: 'failed', message: err.message };
  return { type: 'failed', message: `scoring failed: ${(err as Error)?.stack ?? String(err)}` };
}
