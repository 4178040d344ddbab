// What the training loop hands the runtime detectors (TSAE2xx). The worker fills this per epoch
// (final=false) and once at the end (final=true); detectors are pure functions of it.

import type { ResolvedConfig } from '../config/types';
import type { EpochMetrics, RunFinding } from '../run/types';

export interface DetectorInput {
  config: ResolvedConfig;
  /** Every epoch so far, oldest first. */
  history: EpochMetrics[];
  /** A fixed sample of validation windows, scaled units, [window][time][feature]. */
  inputs?: number[][][];
  /** The model's reconstructions of `inputs` (already un-reversed when the config asks for it). */
  outputs?: number[][][];
  /** Latent vectors of the same windows, [window][unit]. */
  latents?: number[][];
  /** Set when the loss became NaN or Inf in this epoch. */
  nonFiniteLoss?: { epoch: number; batch: number };
  final: boolean;
}

export interface Detector {
  code: string;
  title: string;
  /** Returns findings (usually zero or one). Must not throw on odd input. */
  detect(input: DetectorInput): RunFinding[];
}
