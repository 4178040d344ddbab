// The runtime detector contract (TSAE2xx), parallel to the static Rule contract: metadata plus
// two pure functions. `detect` measures a symptom on what the training loop hands over; `blame`
// lists the config keys that could cause it, most likely first. Which cause is reported, and how
// sure TSAE is of it, is decided after the run by the diagnosis (src/core/diagnosis/), which also
// weighs the static hazards of the config and verifies causes by counterfactual trials.

import type { ResolvedConfig } from '../config/types';
import type { EpochMetrics, RunCause } from '../run/types';
import type { Severity } from '../types';

export interface DetectorInput {
  config: ResolvedConfig;
  /** Every epoch so far, oldest first. */
  history: EpochMetrics[];
  /** A fixed sample of validation windows, scaled units, [window][time][feature]. */
  inputs?: number[][][];
  /** The model's reconstructions of `inputs`, as the config compares them (un-reversed when it asks for it). */
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
  /** Final pass: the epoch whose weights early stopping put back at the end (the model measured holds them). */
  restoredEpoch?: number;
  final: boolean;
}

/**
 * `condition`: a state of the model that later training can cure (mean collapse, dead units);
 * the final pass decides whether it still holds, and a cancelled run reports none. `event`:
 * something that happened once and stays part of the run's story (a NaN loss, an explosion).
 */
export type DetectorKind = 'condition' | 'event';

/** What a detector measured: one sentence with the figures, and the figures themselves. */
export interface Symptom {
  measurement: string;
  data: Record<string, number | string | boolean>;
}

/** A config key that could cause a symptom, why, and the change that would remove the cause. */
export type Blame = RunCause;

export interface Detector {
  /** `TSAE2NN`; the doc page is docs/rules/<code>.md. */
  code: string;
  /** kebab-case slug, e.g. `mean-collapse`. */
  name: string;
  /** Human title for the rule index and panels. */
  title: string;
  /** Severity of the finding once a trial has verified its cause; unverified findings are warnings. */
  severity: Severity;
  kind: DetectorKind;
  /** One sentence for hovers and the rule index; the doc page has the rest. */
  summary: string;
  /**
   * The severity of one measured symptom when its harm depends on what was measured (dead latent
   * units under a good reconstruction waste capacity but do not fail the model): at most
   * `severity`. Absent: always `severity`.
   */
  severityOf?(symptom: Symptom): Severity;
  /** The symptom, or undefined when it is absent. Must not throw on odd input. */
  detect(input: DetectorInput): Symptom | undefined;
  /**
   * Candidate causes for the symptom, most likely first; each names a key and, when one is
   * known, the fix. Only causes the config actually has (or, for "train longer", that the loss
   * curve supports) are listed; an empty list means no cause is known.
   */
  blame(input: DetectorInput, symptom: Symptom): Blame[];
}
