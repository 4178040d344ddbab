// Messages between the extension/CLI and the training worker (worker_threads). Both sides
// validate what they receive with the guards below, every field of every message: a worker is
// untrusted in the sense that it may die half-way through a message stream or be a different
// build, and a host passes on what it accepts to panels and files.

import { BACKEND_NAMES, type BackendName } from '../types';
import type { TrialOutcome, TrialPlan } from '../diagnosis/types';
import type { EpochMetrics, RunFinding, RunSummary, TrainingBackend, WindowError, WindowReconstruction } from '../run/types';
import type { ThresholdRule } from '../scoring/types';
import { arrayOf, isCount, isLabel, isNonEmptyString, isNumber, isPositiveInteger, isRecord, isRectangular, isString, oneOf, optional, type Guard } from './guards';
import { isBackend, isEpochMetrics, isRunFinding, isRunSummary, isTrialOutcome, isTrialPlan, isWindowError, isWindowReconstruction } from './webview';

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
      /** Continue this interrupted or cancelled run folder instead of starting a new one (configFile is then its config). */
      resumeRunDir?: string;
      /** Refuse to train when the memory estimate exceeds this many MB (default DEFAULT_MAX_MEMORY_MB). */
      maxMemoryMB?: number;
      /**
       * The run's folder, created by the host after the config passed its checks (createRunFolder):
       * the worker trains into it instead of creating one. `startedAt` (ISO) is the time in its name.
       */
      created?: { runDir: string; startedAt: string };
    }
  | {
      /**
       * One short training of a diagnosis (no run folder); answered by one 'trialResult'. A worker
       * that got a trial (or 'warm') stays for further trials, one at a time, until the host ends it.
       */
      type: 'trial';
      configFile: string;
      configText: string;
      plan: TrialPlan;
      backend?: BackendName;
    }
  | {
      /** Score every window of a data file with a finished run; answered by 'scoreProgress' events and one 'scored'. */
      type: 'score';
      runDir: string;
      /** Default: the run's own data file (all rows). */
      dataFile?: string;
      /** A label file, or 'column' (see ScoreOptions.labels). */
      labels?: string;
      threshold?: ThresholdRule;
      backend?: BackendName;
    }
  | {
      /** One window of a data file, input vs reconstruction in original units; answered by one 'windowReconstruction'. */
      type: 'reconstruct';
      runDir: string;
      dataFile?: string;
      /** Window index as in scores.json; with `set`, the index of a window of the run's own validation or held-out set (as in reconstructions.json). */
      window: number;
      set?: 'validation' | 'heldOut';
      backend?: BackendName;
    }
  | {
      /** Start the backend now so that the diagnosis's first trial need not wait for it; no answer. Makes the worker a trial worker. */
      type: 'warm';
      backend?: BackendName;
    }
  | { type: 'cancel' };

/** The request that starts (or resumes) a training run; the host builds it, the worker runs it. */
export type StartRequest = Extract<WorkerRequest, { type: 'start' }>;

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
  | { type: 'reconstructions'; epoch: number; features: string[]; windows: WindowReconstruction[]; ranking?: WindowError[] }
  | { type: 'latents'; epoch: number; vectors: number[][]; indices?: number[]; labels?: Array<number | string> }
  | { type: 'finding'; finding: RunFinding }
  | { type: 'log'; level: 'info' | 'warn'; message: string }
  | { type: 'finished'; runDir: string; summary: RunSummary }
  | { type: 'failed'; runDir?: string; message: string; location?: ErrorLocation; summary?: RunSummary }
  | { type: 'trialResult'; outcome: TrialOutcome }
  | { type: 'scoreProgress'; done: number; total: number }
  /** scores.json was written into the run folder. */
  | { type: 'scored'; runDir: string; scoresFile: string; windows: number; events: number; threshold: number; seconds: number }
  | { type: 'windowReconstruction'; features: string[]; window: WindowReconstruction };

/** Where bad input was found, so the message can name file, line and field. */
export interface ErrorLocation {
  file: string;
  line?: number;
  column?: number;
  field?: string;
}

const isBackendName = oneOf<BackendName>(...BACKEND_NAMES);

function isErrorLocation(v: unknown): v is ErrorLocation {
  return isRecord(v) && isString(v.file) && optional(isPositiveInteger)(v.line) && optional(isPositiveInteger)(v.column) && optional(isString)(v.field);
}

function isWindowCounts(v: unknown): v is { train: number; validation: number; heldOut: number } {
  return isRecord(v) && isCount(v.train) && isCount(v.validation) && isCount(v.heldOut);
}

/** A window's input, output and per-step error agree in length, and rows have one value per feature. */
function isConsistentWindow(features: number): Guard<WindowReconstruction> {
  return (v: unknown): v is WindowReconstruction =>
    isWindowReconstruction(v) &&
    isRectangular(v.input, features) &&
    isRectangular(v.output, features) &&
    v.input.length === v.output.length &&
    v.stepError.length === v.input.length;
}

/** One guard per event type; each checks every field (optional ones when present). */
const EVENT_GUARDS: { [T in WorkerEvent['type']]: (v: Record<string, unknown>) => boolean } = {
  started: (v) =>
    isNonEmptyString(v.runDir) &&
    isBackend(v.backend) &&
    isString(v.backendReason) &&
    isCount(v.parameters) &&
    isNumber(v.compressionRatio) &&
    isWindowCounts(v.windows) &&
    isPositiveInteger(v.epochs) &&
    isCount(v.batchesPerEpoch),
  epoch: (v) => isPositiveInteger(v.epoch) && isEpochMetrics(v),
  batch: (v) => isPositiveInteger(v.epoch) && isPositiveInteger(v.batch) && isPositiveInteger(v.batches) && v.batch <= v.batches && isNumber(v.loss),
  reconstructions: (v) =>
    isPositiveInteger(v.epoch) && arrayOf(isString)(v.features) && arrayOf(isConsistentWindow(v.features.length))(v.windows) && optional(arrayOf(isWindowError))(v.ranking),
  latents: (v) =>
    isPositiveInteger(v.epoch) &&
    isRectangular(v.vectors) &&
    optional(arrayOf(isCount))(v.indices) &&
    (v.indices === undefined || (v.indices as unknown[]).length === (v.vectors as unknown[]).length) &&
    optional(arrayOf(isLabel))(v.labels) &&
    (v.labels === undefined || (v.labels as unknown[]).length === (v.vectors as unknown[]).length),
  finding: (v) => isRunFinding(v.finding),
  log: (v) => oneOf('info', 'warn')(v.level) && isString(v.message),
  finished: (v) => isNonEmptyString(v.runDir) && isRunSummary(v.summary),
  failed: (v) => optional(isNonEmptyString)(v.runDir) && isString(v.message) && optional(isErrorLocation)(v.location) && optional(isRunSummary)(v.summary),
  trialResult: (v) => isTrialOutcome(v.outcome),
  scoreProgress: (v) => isCount(v.done) && isCount(v.total) && v.done <= v.total,
  scored: (v) => isNonEmptyString(v.runDir) && isNonEmptyString(v.scoresFile) && isCount(v.windows) && isCount(v.events) && isNumber(v.threshold) && isNumber(v.seconds),
  windowReconstruction: (v) => arrayOf(isString)(v.features) && isConsistentWindow(v.features.length)(v.window),
};

/** A threshold rule with exactly the fields of its kind. */
export function isThresholdRule(v: unknown): v is ThresholdRule {
  if (!isRecord(v)) return false;
  if (v.kind === 'quantile') return isNumber(v.q) && v.q >= 0 && v.q <= 1;
  if (v.kind === 'meanStd' || v.kind === 'mad') return isNumber(v.k) && Number.isFinite(v.k);
  if (v.kind === 'fixed') return isNumber(v.value) && Number.isFinite(v.value);
  return false;
}

export function isWorkerEvent(value: unknown): value is WorkerEvent {
  if (!isRecord(value) || typeof value.type !== 'string' || !Object.hasOwn(EVENT_GUARDS, value.type)) return false;
  return EVENT_GUARDS[value.type as WorkerEvent['type']](value);
}

export function isWorkerRequest(value: unknown): value is WorkerRequest {
  if (!isRecord(value)) return false;
  if (value.type === 'cancel') return true;
  if (value.type === 'score') {
    return (
      isNonEmptyString(value.runDir) &&
      optional(isNonEmptyString)(value.dataFile) &&
      optional(isNonEmptyString)(value.labels) &&
      optional(isThresholdRule)(value.threshold) &&
      optional(isBackendName)(value.backend)
    );
  }
  if (value.type === 'reconstruct') {
    return (
      isNonEmptyString(value.runDir) &&
      optional(isNonEmptyString)(value.dataFile) &&
      isCount(value.window) &&
      optional(oneOf('validation', 'heldOut'))(value.set) &&
      (value.set === undefined || value.dataFile === undefined) &&
      optional(isBackendName)(value.backend)
    );
  }
  if (value.type === 'warm') return optional(isBackendName)(value.backend);
  if (value.type === 'trial') return isNonEmptyString(value.configFile) && isString(value.configText) && isTrialPlan(value.plan) && optional(isBackendName)(value.backend);
  return (
    value.type === 'start' &&
    isNonEmptyString(value.configFile) &&
    isNonEmptyString(value.runsDir) &&
    optional(isString)(value.configText) &&
    optional(isPositiveInteger)(value.epochs) &&
    optional(isBackendName)(value.backend) &&
    optional(isNonEmptyString)(value.resumeRunDir) &&
    optional((m: unknown): m is number => isNumber(m) && m > 0)(value.maxMemoryMB) &&
    optional(
      (c: unknown): c is { runDir: string; startedAt: string } =>
        isRecord(c) && isNonEmptyString(c.runDir) && isNonEmptyString(c.startedAt) && Number.isFinite(Date.parse(c.startedAt)),
    )(value.created)
  );
}
