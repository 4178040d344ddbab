// What the training loop hands the runtime detectors (TSAE2xx). The worker fills this per epoch
// (final=false) and once at the end (final=true); detectors are pure functions of it.

import type { ResolvedConfig } from '../config/types';
import type { EpochMetrics, RunFinding } from '../run/types';
import type { Severity } from '../types';

export interface DetectorInput {
  config: ResolvedConfig;
  /** Every epoch so far, oldest first. */
  history: EpochMetrics[];
  /** A fixed sample of validation windows, scaled units, [window][time][feature]. */
  inputs?: number[][][];
  /** The model's reconstructions of `inputs` (already un-reversed when the config asks for it). */
  outputs?: number[][][];
  /**
   * What the model was trained to emit for `inputs`, when that is not `inputs` itself (seq2seq:
   * the target columns), scaled units, [window][time][feature]. Detectors compare `outputs`
   * with `targets ?? inputs`.
   */
  targets?: number[][][];
  /** Latent vectors of the same windows, [window][unit]. */
  latents?: number[][];
  /** Set when the loss became NaN or Inf in this epoch. */
  nonFiniteLoss?: { epoch: number; batch: number };
  final: boolean;
}

/**
 * `condition`: a state of the model that later training can cure (mean collapse, dead units);
 * the final pass decides whether it still holds. `event`: something that happened once and
 * stays part of the run's story (a NaN loss, a gradient explosion).
 */
export type DetectorKind = 'condition' | 'event';

export interface Detector {
  code: string;
  title: string;
  severity: Severity;
  kind: DetectorKind;
  /** One sentence for hovers and the rule index; the doc page docs/rules/<code>.md has the rest. */
  summary: string;
  /** Returns findings (usually zero or one). Must not throw on odd input. */
  detect(input: DetectorInput): RunFinding[];
}
