// What a diagnosis after a failed run records (summary.json `diagnosis`): the symptoms the runtime
// detectors saw, the candidate causes (static hazards of the config and the detectors' blames),
// ranked by evidence, and for the top ones a counterfactual trial: the same short training with
// the fix applied against a control with the same budget. A cause is `verified` only when its
// trial cleared the symptoms and improved the comparable error by the stated margin.

import type { ConfigChange } from '../types';

export type { ConfigChange } from '../types';

/** The outcome of one short training (a trial or its control). */
export interface TrialOutcome {
  /** Normalised reconstruction error in input space (see InputSpaceError.nmse); null when it diverged. */
  nmse: number | null;
  /** Runtime detector codes present at the end of the short run. */
  symptoms: string[];
  epochs: number;
  trainWindows: number;
  seconds: number;
  /** Set when the short run did not finish (diverged, failed to build, timed out, cancelled). */
  failure?: string;
  /** The short run trained and its loss or outputs became non-finite: a result, not a missing one. */
  diverged?: boolean;
  /**
   * Seconds of `seconds` that a warm trial worker does not pay again: starting the backend, and
   * reading the data when the worker had not read the same data already. Sizes later rounds.
   */
  overheadSeconds?: number;
  /**
   * Symptoms the trial's detectors reported only as information: nothing but "train longer"
   * suspected, the loss still falling. A diagnosis removes them from `symptoms` when the trial's
   * config has no static hazard (verdict.ts `countedSymptoms`); then they are listed here only.
   */
  generic?: string[];
}

export type CandidateVerdict = 'verified' | 'refuted' | 'inconclusive' | 'untested';

export interface DiagnosisCandidate {
  /** The rule (TSAE1xx) or detector (TSAE2xx) that proposed this cause. */
  source: string;
  /** The config key blamed: the first change's path. */
  configPath: string;
  title: string;
  /** Why this cause would produce the symptoms (the proposing rule's or detector's words). */
  reason: string;
  changes: ConfigChange[];
  /** Symptom codes this cause can explain. */
  explains: string[];
  /** Proposed by an error-level static finding: a fact about the config, not a guess. */
  staticError?: boolean;
  /** Proposed by a static rule (TSAE1xx), alone or with a detector: a trial that trained less than the run cannot refute it. */
  fromRule?: boolean;
  /** Sentences saying why the candidate ranks where it does (measured facts). */
  evidence: string[];
  /** Ranking score, higher first; only the order matters. */
  score: number;
  verdict: CandidateVerdict;
  trial?: TrialOutcome;
  /** Relative change of the trial's nmse against the control's (-0.73 = 73 % lower). */
  errorChange?: number;
  /** Why a candidate stayed unverified or untested, in one sentence (not tried, control without the symptom, ...). */
  why?: string;
}

export type DiagnosisStatus = 'verified' | 'hypothesis' | 'no-symptoms' | 'skipped' | 'cancelled';

export interface Diagnosis {
  status: DiagnosisStatus;
  /** Runtime finding codes of the run being diagnosed. */
  symptoms: string[];
  /** Ranked best first; verified candidates first among those tried. */
  candidates: DiagnosisCandidate[];
  control?: TrialOutcome;
  /** Required relative error reduction for a verdict of verified (0.2 = 20 % lower than the control). */
  margin: number;
  budgetSeconds: number;
  seconds: number;
  /** The short training each trial and the control got. */
  plan?: TrialPlan;
  /** Why trials were skipped or stopped early, when they were, and candidates the fix planner rejected. */
  notes: string[];
  /**
   * The warning- and error-level static findings of the config the run used (`TSAE112@preprocessing.scaling`).
   * Without any, a symptom whose only suspect is "train longer" is information, not a warning.
   * Absent in diagnoses written before it existed (then treated as unknown).
   */
  staticHazards?: string[];
}

export interface TrialPlan {
  epochs: number;
  maxTrainWindows: number;
  /** Seconds each trial may take before it is stopped. */
  timeoutSeconds: number;
}

/**
 * Reconstruction error in the data's own space: the decoder output flipped back when the decoder
 * was trained on a reversed target, compared with the full (not time-averaged) target, so runs of
 * different configs can be compared. `nmse` is the mean over features of MSE / variance of that
 * feature (unit-free: 1 = as bad as predicting each feature's mean).
 */
export interface InputSpaceError {
  set: 'validation' | 'train';
  windows: number;
  /** Mean squared error in scaled units. */
  scaledMse: number;
  /** Mean squared error in the data's original units. */
  originalMse: number;
  nmse: number;
}
