// Whether a trial proves its candidate: the control must reproduce the failure the candidate
// claims to cure (the same symptom or another degree of it: collapse, lost peaks, lost features),
// the trial must show none of it, and the comparable error must be lower than the control's by
// the margin. A trial that does not improve by half the margin refutes the
// candidate, but only when the control reproduced a symptom the candidate explains and the trial
// cleared none of them: a short control without the symptom cannot show that the fix fails to
// cure it, and a trial that cleared one has shown part of what it claims. Anything else is
// inconclusive (shown as a hypothesis, never as a verified cause), and so is every trial whose
// control did not finish: comparing with a missing result proves nothing.

import { isTrainLonger } from '../detectors/configFacts';
import type { CandidateVerdict, DiagnosisCandidate, TrialOutcome } from './types';

/**
 * Which of a trial's remaining symptoms count as the failure its candidate claims to cure. The
 * principle: a trial's symptoms are judged under the same severity policy a full run of the
 * trial's config gets. A full run reports a symptom as information, not as a failure, when its
 * detector suspects nothing but "train longer" with the loss still falling and the linter finds
 * no warning or error in the config (detectors/finding.ts `severityFor`, applyDiagnosis.ts). A
 * trial is a short run by design, so a cured config often still shows such a symptom at its last
 * epoch: that is the trial's length, not the failure. So on a trial config without a static
 * hazard, information-level symptoms (`generic`) are set aside: removed from `symptoms`, kept in
 * `generic`. Not for the control (it must reproduce the run's failure as the run showed it), not
 * for "train longer" itself (its claim is exactly that more epochs clear the symptom, verified as
 * before by judgeLongerTraining), and never for the error margin, which still has to be met.
 */
export function countedSymptoms(trial: TrialOutcome, context: { trainLonger: boolean; staticHazard: boolean }): TrialOutcome {
  const generic = trial.generic ?? [];
  if (context.trainLonger || context.staticHazard || generic.length === 0) return trial;
  return { ...trial, symptoms: trial.symptoms.filter((code) => !generic.includes(code)) };
}

/** The symptoms `countedSymptoms` set aside: reported by the trial, information only on its config. */
export function setAsideSymptoms(trial: TrialOutcome): string[] {
  return (trial.generic ?? []).filter((code) => !trial.symptoms.includes(code));
}

/** Default required improvement: the trial's error at least 20 % below the control's. */
export const DEFAULT_MARGIN = 0.2;

export interface Judgement {
  verdict: CandidateVerdict;
  /** Relative change of the trial's error against the control's; undefined when neither is finite. */
  errorChange?: number;
}

/**
 * Mean collapse, lost peaks and unreconstructed features are degrees of one failure (a collapse is
 * the extreme of lost amplitude): a short control that shows any of them reproduces the others.
 */
const RECONSTRUCTION_FAILURE = new Set(['TSAE201', 'TSAE203', 'TSAE208']);
const family = (code: string): string => (RECONSTRUCTION_FAILURE.has(code) ? 'reconstruction' : code);

/** The symptoms of the control that the candidate claims to cure (its own, or another degree of the same failure). */
export function reproducedSymptoms(candidate: Pick<DiagnosisCandidate, 'explains'>, control: TrialOutcome): string[] {
  const families = new Set(candidate.explains.map(family));
  return control.symptoms.filter((code) => families.has(family(code)));
}

export function judgeTrial(candidate: Pick<DiagnosisCandidate, 'explains'>, trial: TrialOutcome, control: TrialOutcome, margin = DEFAULT_MARGIN): Judgement {
  if (trial.failure === 'cancelled' || control.failure === 'cancelled') return { verdict: 'untested' };
  if (trial.failure === 'timed out') return { verdict: 'inconclusive' };
  // A control that timed out or could not train is no baseline; one that diverged is.
  if (control.failure !== undefined && !control.diverged) return { verdict: 'inconclusive' };
  if (trial.failure !== undefined && !trial.diverged) return { verdict: 'inconclusive' };
  const ctrl = control.nmse ?? Infinity;
  const tried = trial.nmse ?? Infinity;
  if (!Number.isFinite(ctrl) && !Number.isFinite(tried)) return { verdict: 'inconclusive' };
  // A control that diverged against a trial that did not: the fix removed the divergence.
  const errorChange = Number.isFinite(ctrl) ? (tried - ctrl) / Math.max(ctrl, 1e-12) : -1;
  const targeted = reproducedSymptoms(candidate, control);
  const cleared = targeted.filter((code) => !trial.symptoms.includes(code));
  // A control without the symptom cannot show that the fix cures it: the error alone proves nothing.
  if (targeted.length === 0) return { verdict: 'inconclusive', errorChange };
  const stillThere = candidate.explains.some((code) => trial.symptoms.includes(code));
  if (errorChange <= -margin && cleared.length === targeted.length && !stillThere) return { verdict: 'verified', errorChange };
  // Clearing a symptom the control showed is evidence for the candidate even when the error moved little.
  if (errorChange > -margin / 2 && cleared.length === 0) return { verdict: 'refuted', errorChange };
  return { verdict: 'inconclusive', errorChange };
}

/**
 * "Train longer" beats a control of the same short length almost always, which says nothing about
 * the run itself: it is verified only when its trial also ends below the run's own error by the
 * margin. Without the run's error it stays inconclusive.
 */
export function judgeLongerTraining(judgement: Judgement, trial: TrialOutcome, runNmse: number | undefined, margin = DEFAULT_MARGIN): Judgement {
  if (judgement.verdict !== 'verified') return judgement;
  if (runNmse === undefined || trial.nmse === null || !(trial.nmse <= runNmse * (1 - margin))) return { ...judgement, verdict: 'inconclusive' };
  return judgement;
}

/**
 * A static hazard (targets outside the output's range, a latent far too small, a target averaged
 * over time) is a fact about the config that the linter established; a trial that trained less
 * than the run it diagnoses (fewer epochs, or fewer windows and so fewer steps) may simply not
 * have trained long enough to show the fix's gain: a wider latent, for one, learns more slowly at
 * first. Such a trial can leave the hazard open but not refute it.
 */
export function judgeStaticHazard(judgement: Judgement, trial: TrialOutcome, run: { epochs: number; trainWindows: number }): Judgement {
  const shorter = trial.epochs < run.epochs || trial.trainWindows < run.trainWindows;
  return judgement.verdict === 'refuted' && shorter ? { ...judgement, verdict: 'inconclusive' } : judgement;
}

/**
 * Order of verified causes, best first: a change to the config before "train longer"; a fix
 * before a larger fix that contains it (several hazards fixed together, when one of them alone is
 * proven enough, the smaller change is the cause); then the larger error reduction. The "train
 * longer" trial trains several times the control's epochs, so its reduction is not comparable with
 * a config fix's, tried for the control's epochs; and a run with a verified hazard in its config is
 * not cured by more of the same training.
 */
export function compareVerified(a: Pick<DiagnosisCandidate, 'changes' | 'errorChange'>, b: Pick<DiagnosisCandidate, 'changes' | 'errorChange'>): number {
  return (
    Number(isTrainLonger(a.changes)) - Number(isTrainLonger(b.changes)) ||
    Number(contains(a.changes, b.changes)) - Number(contains(b.changes, a.changes)) ||
    (a.errorChange ?? 0) - (b.errorChange ?? 0)
  );
}

/** Whether `larger` makes every change of `smaller` and more. */
function contains(larger: DiagnosisCandidate['changes'], smaller: DiagnosisCandidate['changes']): boolean {
  return larger.length > smaller.length && smaller.every((s) => larger.some((l) => l.path === s.path && JSON.stringify(l.value) === JSON.stringify(s.value)));
}

/**
 * The best hazard found by the linter (a TSAE1xx candidate) among those that explain a symptom,
 * when no trial settled it: untested, or tried without a verdict. Refuted hazards are not open.
 */
export function openStaticHazard(explaining: readonly DiagnosisCandidate[]): DiagnosisCandidate | undefined {
  return explaining
    .filter((c) => c.fromRule && !isTrainLonger(c.changes) && (c.verdict === 'untested' || c.verdict === 'inconclusive'))
    .sort((a, b) => Number(Boolean(b.staticError)) - Number(Boolean(a.staticError)) || b.score - a.score)[0];
}

/**
 * Whether a verified candidate takes the blame for at least one symptom it explains: a verified
 * "train longer" does not where a hazard of the config that explains the symptom stays open
 * (applyDiagnosis names it as what also helps). A diagnosis is "verified" only when one does.
 */
export function takesVerifiedBlame(candidate: DiagnosisCandidate, candidates: readonly DiagnosisCandidate[]): boolean {
  if (candidate.verdict !== 'verified') return false;
  if (!isTrainLonger(candidate.changes)) return true;
  return candidate.explains.some((code) => openStaticHazard(candidates.filter((c) => c.explains.includes(code))) === undefined);
}
