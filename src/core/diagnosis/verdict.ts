// Whether a trial proves its candidate: the symptoms the candidate explains, where the control
// showed them, must be gone in the trial, and the comparable error must be lower than the
// control's by the margin. A trial that does not improve by half the margin refutes the
// candidate; anything between is inconclusive (shown as a hypothesis, never as a verified cause).

import type { CandidateVerdict, DiagnosisCandidate, TrialOutcome } from './types';

/** Default required improvement: the trial's error at least 20 % below the control's. */
export const DEFAULT_MARGIN = 0.2;

export interface Judgement {
  verdict: CandidateVerdict;
  /** Relative change of the trial's error against the control's; undefined when neither is finite. */
  errorChange?: number;
}

export function judgeTrial(candidate: Pick<DiagnosisCandidate, 'explains'>, trial: TrialOutcome, control: TrialOutcome, margin = DEFAULT_MARGIN): Judgement {
  if (trial.failure === 'cancelled' || control.failure === 'cancelled') return { verdict: 'untested' };
  if (trial.failure === 'timed out') return { verdict: 'inconclusive' };
  const ctrl = control.nmse ?? Infinity;
  const tried = trial.nmse ?? Infinity;
  if (!Number.isFinite(ctrl) && !Number.isFinite(tried)) return { verdict: 'inconclusive' };
  // A control that diverged against a trial that did not: the fix removed the divergence.
  const errorChange = Number.isFinite(ctrl) ? (tried - ctrl) / Math.max(ctrl, 1e-12) : -1;
  const targeted = candidate.explains.filter((code) => control.symptoms.includes(code));
  const cleared = targeted.every((code) => !trial.symptoms.includes(code));
  if (errorChange <= -margin && cleared) return { verdict: 'verified', errorChange };
  if (errorChange > -margin / 2) return { verdict: 'refuted', errorChange };
  return { verdict: 'inconclusive', errorChange };
}
