// How long each trial of a diagnosis trains: sized from the run being diagnosed (its seconds per
// window and epoch) so that the control and the trials, run side by side on the available
// workers, fit the time budget. Fewer windows are cut before fewer epochs: a symptom such as a
// mean collapse needs a few epochs to show, while an even subset of windows still spans the data.

import type { RunSummary } from '../run/types';
import type { TrialPlan } from './types';

/** A trial trains at least this many epochs, and at most this many. */
const MIN_EPOCHS = 3;
const MAX_EPOCHS = 10;
/** Below this many windows a trial says little about the full run. */
const MIN_WINDOWS = 64;
/** Loading data and building the model cost about this much per trial, whatever its size. */
const OVERHEAD_SECONDS = 1.5;
/** How much slower each of several trials running at once is than the run was alone (measured 1.3-2x on 2 cores). */
const PARALLEL_SLOWDOWN = 1.5;
/** A trial is stopped when it takes this many times its share of the budget. */
const TIMEOUT_FACTOR = 3;

export function planTrials(summary: RunSummary, budgetSeconds: number, trials: number, parallel: number): TrialPlan | { skip: string } {
  if (!(budgetSeconds > 0)) return { skip: 'trials are turned off (budget 0 s)' };
  const epochsRun = Math.max(1, summary.epochs);
  const windows = Math.max(1, summary.windows.train);
  if (!(summary.seconds > 0)) return { skip: 'the run has no timing to size the trials from' };
  // Trials side by side share the cores with each other and with the editor: each runs slower
  // than the run it was sized from did alone.
  const perWindowEpoch = (summary.seconds / (epochsRun * windows)) * (parallel > 1 ? PARALLEL_SLOWDOWN : 1);
  const rounds = Math.ceil(trials / Math.max(1, parallel));
  const perTrial = Math.max(1, budgetSeconds / rounds - OVERHEAD_SECONDS);
  let epochs = Math.min(Math.max(epochsRun, MIN_EPOCHS), MAX_EPOCHS);
  let fit = Math.floor(perTrial / (epochs * perWindowEpoch));
  while (fit < MIN_WINDOWS && epochs > MIN_EPOCHS) {
    epochs--;
    fit = Math.floor(perTrial / (epochs * perWindowEpoch));
  }
  const maxTrainWindows = Math.min(windows, Math.max(MIN_WINDOWS, fit));
  return { epochs, maxTrainWindows, timeoutSeconds: Math.max(30, Math.ceil((budgetSeconds / rounds) * TIMEOUT_FACTOR)) };
}

/** Budget by default: about what the run itself took, at least 20 s and at most 60 s. */
export function defaultBudgetSeconds(summary: RunSummary): number {
  return Math.min(60, Math.max(20, Math.round(summary.seconds)));
}
