// How long each trial of a diagnosis trains: sized from the run being diagnosed (its seconds per
// window and epoch) so that the first round of trials (the control, beside the top candidate when
// there are two workers) fits the time budget. Further rounds are not planned ahead: they run on
// the pool's warm workers, sized from what the control measured, while the budget leaves time
// (diagnose.ts). Fewer candidates with enough epochs beat many starved ones: the candidates are
// ranked, so the budget goes to the top one first. Fewer windows are cut before fewer epochs: a
// symptom such as a mean collapse needs a few epochs to show, while an even subset of windows
// still spans the data.

import type { RunSummary } from '../run/types';
import type { TrialPlan } from './types';

/** A trial trains at least this many epochs, and at most this many. */
const MIN_EPOCHS = 3;
const MAX_EPOCHS = 10;
/** Below this many windows a trial says little about the full run. */
const MIN_WINDOWS = 64;
/**
 * What a trial costs besides its epochs, whatever its size: starting the worker and its backend,
 * reading the data, building the model and the final evaluation (measured 1.5-2.5 s at load 7 on
 * 2 cores, more under heavier load).
 */
const OVERHEAD_SECONDS = 2;
/**
 * A fresh worker's first epoch costs about two (compiling the kernels on first use: measured
 * 1.8-2.1x the later epochs, for ECG windows of 140 steps and art_daily windows of 48).
 */
const COLD_EPOCHS = 1;
/** How much slower each of several trials running at once is than the run was alone (measured 1.3-2x on 2 cores). */
const PARALLEL_SLOWDOWN = 1.5;
/** A trial is stopped when it takes this many times its share of the budget. */
const TIMEOUT_FACTOR = 3;

/**
 * `rounds`: rounds of trials the budget must hold (1 when the control and the top candidate run
 * side by side, 2 when they run one after the other); `longest`: how many times the control's
 * length the longest trial of those rounds trains ("train longer" beside the control trains twice).
 */
export function planTrials(summary: RunSummary, budgetSeconds: number, rounds: number, parallel: number, longest = 1): TrialPlan | { skip: string } {
  if (!(budgetSeconds > 0)) return { skip: 'trials are turned off (budget 0 s)' };
  const epochsRun = Math.max(1, summary.epochs);
  const windows = Math.max(1, summary.windows.train);
  if (!(summary.seconds > 0)) return { skip: 'the run has no timing to size the trials from' };
  // Trials side by side share the cores with each other and with the editor: each runs slower
  // than the run it was sized from did alone.
  const perWindowEpoch = (summary.seconds / (epochsRun * windows)) * (parallel > 1 ? PARALLEL_SLOWDOWN : 1) * Math.max(1, longest);
  const share = budgetSeconds / Math.max(1, rounds);
  const perTrial = Math.max(1, share - OVERHEAD_SECONDS);
  let epochs = Math.min(Math.max(epochsRun, MIN_EPOCHS), MAX_EPOCHS);
  const fitting = (e: number) => Math.floor(perTrial / ((e + COLD_EPOCHS) * perWindowEpoch));
  let fit = fitting(epochs);
  while (fit < MIN_WINDOWS && epochs > MIN_EPOCHS) {
    epochs--;
    fit = fitting(epochs);
  }
  const maxTrainWindows = Math.min(windows, Math.max(MIN_WINDOWS, fit));
  return { epochs, maxTrainWindows, timeoutSeconds: Math.max(30, Math.ceil(share * TIMEOUT_FACTOR)) };
}
/** Budget by default: about what the run itself took, at least 20 s and at most 60 s. */
export function defaultBudgetSeconds(summary: RunSummary): number {
  return Math.min(60, Math.max(20, Math.round(summary.seconds)));
}
