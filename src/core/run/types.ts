// Shapes of the files a training run leaves in `.tsae/runs/<timestamp>-<name>/`. The panels, the
// detectors, `tsae eval` and the tests read runs only through these types.

import type { Diagnosis, InputSpaceError } from '../diagnosis/types';
import type { ConfigFix, Severity, TrainingBackend } from '../types';

/**
 * `interrupted`: the summary still said `running` but the process that owned the run is gone
 * (killed, crashed, machine restarted) or its training worker was killed. Written by the host
 * that killed the worker, or derived by `readRunStatus` from the owner record.
 */
export type RunStatus = 'running' | 'completed' | 'cancelled' | 'failed' | 'interrupted';
export type { TrainingBackend } from '../types';

/** One line of `metrics.jsonl`. */
export interface EpochMetrics {
  epoch: number;
  loss: number;
  valLoss: number | null;
  lr: number;
  seconds: number;
  /** Mean over the epoch's batches of each trainable layer's gradient norm (before clipping). */
  gradNorms?: Record<string, number>;
  /** Per trainable layer, the gradient norm over every batch of the epoch. */
  gradStats?: Record<string, GradientStats>;
}

/**
 * A layer's gradient norm (all its variables together, before clipping) over an epoch's batches.
 * mean, max and min are over the batches with a finite norm (0 when there were none).
 */
export interface GradientStats {
  mean: number;
  max: number;
  min: number;
  /** Share of batches whose norm was exactly zero (dead or saturated units pass no gradient). */
  zeroFraction: number;
  /** Batches whose norm was not finite. */
  nonFinite: number;
  batches: number;
}

/** A config key that could cause a runtime symptom, why, and the change that would remove the cause. */
export interface RunCause {
  configPath: string;
  /** Why this key is suspected, appended to the measurement in the message. */
  reason: string;
  fix?: ConfigFix;
}

/**
 * How sure the blamed cause is. `hypothesis`: the detector's or the diagnosis's best guess;
 * `verified`: a counterfactual trial with the fix applied cleared the symptom and lowered the
 * error by the diagnosis margin against a control with the same budget.
 */
export type Certainty = 'hypothesis' | 'verified';

export interface RunFinding {
  code: string;
  /** `error` only for a verified failure; a hypothesis is at most a warning. */
  severity: Severity;
  /** The measurement, then the blamed cause with its certainty (and a verified cause's trial figures). */
  message: string;
  /** What was measured, without the cause (the message is rebuilt from it when the blame changes). */
  measurement?: string;
  /** Dotted config path the finding blames, e.g. `model.latent.activation` (empty: no cause known). */
  configPath: string;
  /** The epoch at which the detector fired (undefined: at the end). */
  epoch?: number;
  data?: Record<string, number | string | boolean>;
  /** The change expected to cure the failure; the language server turns it into an edit. */
  fix?: ConfigFix;
  certainty?: Certainty;
  /** Every cause considered, most likely first; the first is `configPath`. */
  causes?: RunCause[];
  /** For a verified cause: the trial that proved it, in one sentence with its figures. */
  verification?: string;
}

/** `summary.json`. */
export interface RunSummary {
  status: RunStatus;
  name: string;
  configFile: string;
  startedAt: string;
  backend: TrainingBackend;
  /** Why this backend ran, e.g. "auto: tfjs-node not installed, fused kernel loaded". */
  backendReason: string;
  epochs: number;
  trainLoss: number | null;
  valLoss: number | null;
  seconds: number;
  windows: { train: number; validation: number; heldOut: number };
  parameters: number;
  compressionRatio: number;
  /** Mean reconstruction error over validation windows, in scaled units. */
  reconstructionError?: number;
  reason?: string;
  findings: RunFinding[];
  /** ROC AUC of per-window reconstruction error, held-back normal windows vs held-out (anomalous) ones. */
  heldOutAuc?: number;
  /** sha256 (hex) of the config text the run used (the editor's unsaved text when it was dirty). */
  configHash?: string;
  /** Quantiles of the training windows' reconstruction error, for `tsae eval` thresholds. */
  thresholds?: ErrorQuantiles;
  /** The epoch whose weights were restored by early stopping. */
  restoredEpoch?: number;
  /** The epochs the run set out to train (training.epochs or the --epochs override); resume trains up to it. */
  epochsPlanned?: number;
  /** Each time the run was resumed: when, and after which completed epoch. */
  resumes?: RunResume[];
  /** Reconstruction error in the data's own space, comparable between configs. */
  inputSpaceError?: InputSpaceError;
  /** The diagnosis of the run's findings, when one ran (also in diagnosis.json). */
  diagnosis?: Diagnosis;
}

export interface RunResume {
  at: string;
  fromEpoch: number;
}

/**
 * `owner.json`: the process that trains (or trained) the run, so a reader can tell a run that is
 * still going from one whose process is gone. Written when the folder is created or resumed.
 */
export interface RunOwner {
  pid: number;
  hostname: string;
  /** When the owning process started (ISO), for people; `processStartTicks` is what tells a reused pid apart. */
  processStartedAt: string;
  /** Linux: the process's start time in clock ticks since boot (field 22 of /proc/PID/stat). */
  processStartTicks?: string;
  /** Refreshed by the host's main thread while the run trains (ISO); absent when nothing refreshes it. */
  heartbeatAt?: string;
}

/** Quantiles of per-window reconstruction error (MSE, scaled units) over the training windows. */
export interface ErrorQuantiles {
  windows: number;
  /** Keyed by the quantile written as a decimal, e.g. "0.99"; includes "0" and "1". */
  quantiles: Record<string, number>;
  /** Mean and standard deviation of the same errors (for mean + k std thresholds); absent in older runs. */
  mean?: number;
  std?: number;
}

/** One validation (or held-out) window in `reconstructions.json`; arrays are [time][feature]. */
export interface WindowReconstruction {
  index: number;
  /** Start offset in the source series (series layout) or row number (rows layout). */
  start: number;
  /** The timestamp of the window's first row, when the data has a timestamp column. */
  timestamp?: string;
  label?: number | string;
  heldOut?: boolean;
  input: number[][];
  output: number[][];
  /** Mean squared error over the window, in scaled units. */
  error: number;
  /** Squared error per time step (mean over features), in scaled units. */
  stepError: number[];
}

/** One window's error without its values: an entry of the ranking of every window of a set. */
export type WindowError = Pick<WindowReconstruction, 'index' | 'start' | 'timestamp' | 'label' | 'heldOut' | 'error'>;

export interface ReconstructionsFile {
  features: string[];
  /** Values are in the data's original units (scaling and differencing undone). */
  units: 'original';
  /** Windows with their values: the worst ones of `ranking` and an even sample of the rest. */
  windows: WindowReconstruction[];
  /**
   * The error of every validation window (and every held-out one), in set order: what "worst
   * first" ranks. A window not in `windows` is reconstructed on demand. Absent in runs written
   * before this field, where `windows` is all there is.
   */
  ranking?: WindowError[];
}

export interface LatentsFile {
  size: number;
  /** One latent vector per window, in the same order as `indices`. */
  vectors: number[][];
  indices: number[];
  labels?: Array<number | string>;
  /** Which split each vector's window comes from (validation windows first, then held-out ones). */
  sets?: Array<'validation' | 'heldOut'>;
}

export interface ScalerFile {
  kind: 'standard' | 'minmax' | 'none';
  features: string[];
  /** standard: mean/std; minmax: min/max and the target range. */
  mean?: number[];
  std?: number[];
  min?: number[];
  max?: number[];
  range?: [number, number];
  differencing: 0 | 1;
}

/**
 * A run that has trained nothing (yet): no epochs, windows, parameters or losses. The backend is
 * only a placeholder ('cpu'); `backendReason` says why none is recorded.
 */
export function untrainedSummary(fields: Pick<RunSummary, 'status' | 'name' | 'configFile' | 'startedAt' | 'backendReason'>): RunSummary {
  return {
    ...fields,
    backend: 'cpu',
    epochs: 0,
    trainLoss: null,
    valLoss: null,
    seconds: 0,
    windows: { train: 0, validation: 0, heldOut: 0 },
    parameters: 0,
    compressionRatio: 0,
    findings: [],
  };
}

/**
 * `backendReason` of the summary a new run's folder starts with (src/core/run/createFolder.ts),
 * until the worker has loaded the data and built the model: its backend, windows and parameters
 * are placeholders until then.
 */
export const STARTING_REASON = 'not chosen yet: the run was loading its data and building its model';

/** Whether a summary is still the starting one: the run had not loaded its data or built its model. */
export function isStartingSummary(summary: Pick<RunSummary, 'backendReason'>): boolean {
  return summary.backendReason === STARTING_REASON;
}

export const RUN_FILES = {
  config: 'config.resolved.json',
  metrics: 'metrics.jsonl',
  summary: 'summary.json',
  model: 'model',
  scaler: 'scaler.json',
  reconstructions: 'reconstructions.json',
  latents: 'latents.json',
  owner: 'owner.json',
  thresholds: 'thresholds.json',
  targetScaler: 'target-scaler.json',
  configSource: 'config.source.json',
  diagnosis: 'diagnosis.json',
  /** Every window of a data file scored (src/core/scoring/types.ts ScoresFile). */
  scores: 'scores.json',
  /** The threshold rule the user chose for this run ({ rule }). */
  thresholdRule: 'anomaly-threshold.json',
  /** The user's name, tags and note for the run (src/core/run/experiments.ts); absent until one is set. */
  notes: 'notes.json',
} as const;

/** `config.source.json`: the config text a run used, so a diagnosis can lint and patch it later. */
export interface ConfigSourceFile {
  /** Absolute path of the config file (decides YAML or JSON and anchors data.path). */
  fileName: string;
  text: string;
}
