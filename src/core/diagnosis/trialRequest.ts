// A worker's 'trial' request: resolve the (patched) config text exactly as a run would, train
// the trial, and post its outcome. Every way it can fail is an outcome with a `failure`, so the
// diagnosis always gets one answer per trial. `cache` keeps the data between a worker's trials.

import type { WorkerEvent, WorkerRequest } from '../protocol/worker';
import { resolveText } from '../train/checkConfig';
import { runTrial, type TrialDataCache } from './trial';
import type { TrialOutcome } from './types';

export type TrialRequest = Extract<WorkerRequest, { type: 'trial' }>;

export async function runTrialRequest(req: TrialRequest, post: (event: WorkerEvent) => void, signal?: AbortSignal, cache?: TrialDataCache): Promise<TrialOutcome> {
  const outcome = await trialOutcome(req, signal, cache);
  post({ type: 'trialResult', outcome });
  return outcome;
}

async function trialOutcome(req: TrialRequest, signal: AbortSignal | undefined, cache: TrialDataCache | undefined): Promise<TrialOutcome> {
  const failed = (failure: string): TrialOutcome => ({ nmse: null, symptoms: [], epochs: 0, trainWindows: 0, seconds: 0, failure });
  const resolved = resolveText(req.configText, req.configFile);
  if ('error' in resolved) return failed(resolved.error);
  try {
    return await runTrial(
      resolved.config,
      { epochs: req.plan.epochs, maxTrainWindows: req.plan.maxTrainWindows, ...(req.backend ? { backend: req.backend } : {}) },
      signal,
      undefined,
      cache,
    );
  } catch (error) {
    return failed(signal?.aborted ? 'cancelled' : `the trial failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}
