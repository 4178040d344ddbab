// Messages between the extension/CLI and the training worker (worker_threads). Both sides
// validate what they receive with the guards below: a worker is untrusted in the sense that it
// may die half-way through a message stream.

import type { BackendName } from '../config/types';
import type { TrialOutcome, TrialPlan } from '../diagnosis/types';
import type { EpochMetrics, RunFinding, RunSummary, TrainingBackend, WindowReconstruction } from '../run/types';

/** Host -> worker. */
export type WorkerRequest =
  | {
      type: 'start';
      /** Absolute path of the config file; the worker parses it itself. */
      configFile: string;
      /** Unsaved editor text, when the config is open and dirty. */
      configText?: string;
      /** Folder under which `<timestamp>-<name>/` is created (default `<workspace>/.tsae/runs`). */
      runsDir: string;
      epochs?: number;
      backend?: BackendName;
    }
  | {
      /** One short training of a diagnosis (no run folder); answered by one 'trialResult'. */
      type: 'trial';
      configFile: string;
      configText: string;
      plan: TrialPlan;
      backend?: BackendName;
    }
  | { type: 'cancel' };

/** Worker -> host. */
export type WorkerEvent =
  | {
      type: 'started';
      runDir: string;
      backend: TrainingBackend;
      backendReason: string;
      parameters: number;
      compressionRatio: number;
      windows: { train: number; validation: number; heldOut: number };
      epochs: number;
      batchesPerEpoch: number;
    }
  | ({ type: 'epoch' } & EpochMetrics)
  | { type: 'batch'; epoch: number; batch: number; batches: number; loss: number }
  | { type: 'reconstructions'; epoch: number; features: string[]; windows: WindowReconstruction[] }
  | { type: 'latents'; epoch: number; vectors: number[][]; labels?: Array<number | string> }
  | { type: 'finding'; finding: RunFinding }
  | { type: 'log'; level: 'info' | 'warn'; message: string }
  | { type: 'finished'; runDir: string; summary: RunSummary }
  | { type: 'failed'; runDir?: string; message: string; location?: ErrorLocation; summary?: RunSummary }
  | { type: 'trialResult'; outcome: TrialOutcome };

/** Where bad input was found, so the message can name file, line and field. */
export interface ErrorLocation {
  file: string;
  line?: number;
  column?: number;
  field?: string;
}

const EVENT_TYPES = new Set(['started', 'epoch', 'batch', 'reconstructions', 'latents', 'finding', 'log', 'finished', 'failed', 'trialResult']);

export function isWorkerEvent(value: unknown): value is WorkerEvent {
  return typeof value === 'object' && value !== null && EVENT_TYPES.has((value as { type?: unknown }).type as string);
}

export function isWorkerRequest(value: unknown): value is WorkerRequest {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  if (v.type === 'cancel') return true;
  if (v.type === 'trial') return typeof v.configFile === 'string' && typeof v.configText === 'string' && isTrialPlan(v.plan);
  return v.type === 'start' && typeof v.configFile === 'string' && typeof v.runsDir === 'string';
}

function isTrialPlan(value: unknown): value is TrialPlan {
  if (typeof value !== 'object' || value === null) return false;
  const p = value as Record<string, unknown>;
  const positiveInteger = (n: unknown) => typeof n === 'number' && Number.isInteger(n) && n > 0;
  return positiveInteger(p.epochs) && positiveInteger(p.maxTrainWindows) && typeof p.timeoutSeconds === 'number' && p.timeoutSeconds > 0;
}
