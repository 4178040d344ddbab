// Shapes of the files a training run leaves in `.tsae/runs/<timestamp>-<name>/`. The panels, the
// detectors, `tsae eval` and the tests read runs only through these types.

import type { Severity } from '../types';

/**
 * `interrupted`: the summary still said `running` but the process that owned the run is gone
 * (killed, crashed, machine restarted) or its training worker was killed. Written by the host
 * that killed the worker, or derived by `readRunStatus` from the owner record.
 */
export type RunStatus = 'running' | 'completed' | 'cancelled' | 'failed' | 'interrupted';
export type TrainingBackend = 'fused' | 'tensorflow' | 'wasm' | 'cpu';

/** One line of `metrics.jsonl`. */
export interface EpochMetrics {
  epoch: number;
  loss: number;
  valLoss: number | null;
  lr: number;
  seconds: number;
  /** Global gradient norm per trainable layer, when measured this epoch. */
  gradNorms?: Record<string, number>;
}

export interface RunFinding {
  code: string;
  severity: Severity;
  message: string;
  /** Dotted config path the finding blames, e.g. `model.latent.activation`. */
  configPath: string;
  /** The epoch at which the detector fired (undefined: at the end). */
  epoch?: number;
  data?: Record<string, number | string | boolean>;
  /** A config change the detector expects to cure the failure; the language server turns it into an edit. */
  fix?: { title: string; configPath: string; value: unknown };
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
}

/** One validation (or held-out) window in `reconstructions.json`; arrays are [time][feature]. */
export interface WindowReconstruction {
  index: number;
  /** Start offset in the source series (series layout) or row number (rows layout). */
  start: number;
  label?: number | string;
  heldOut?: boolean;
  input: number[][];
  output: number[][];
  /** Mean squared error over the window, in scaled units. */
  error: number;
  /** Squared error per time step (mean over features), in scaled units. */
  stepError: number[];
}

export interface ReconstructionsFile {
  features: string[];
  /** Values are in the data's original units (scaling and differencing undone). */
  units: 'original';
  windows: WindowReconstruction[];
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
} as const;

/** The target columns' scaler, only in seq2seq runs (so not among RUN_FILES, which every run has). */
export const TARGET_SCALER_FILE = 'target-scaler.json';
