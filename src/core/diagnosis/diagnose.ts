// The diagnosis of a finished run: rank the candidate causes of its symptoms, vet their fixes
// with the fix planner, and run counterfactual trials for the top ones against a control with
// the same budget. Trials run through a TrialRunner (worker threads in the CLI and the editor,
// in-process in tests), side by side up to its parallelism, and can be cancelled.

import { lintText } from '../lint';
import { vetFix } from '../fixes/vetFix';
import { applyConfigChanges } from '../fixes/configChanges';
import { inputColumns } from '../rules/facts';
import { createRuleContext } from '../rules/engine';
import type { ConfigSourceFile, EpochMetrics, RunSummary } from '../run/types';
import { rankCandidates } from './candidates';
import { gatherEvidence } from './evidence';
import { defaultBudgetSeconds, planTrials } from './plan';
import type { Diagnosis, DiagnosisCandidate, TrialOutcome, TrialPlan } from './types';
import { DEFAULT_MARGIN, judgeLongerTraining, judgeStaticError, judgeTrial } from './verdict';

/** One short training of a config text; resolves with its outcome, never rejects. */
export interface TrialRunner {
  /** Trials that can run at the same time (one per core for worker threads). */
  readonly parallelism: number;
  run(config: ConfigSourceFile, plan: TrialPlan, signal: AbortSignal | undefined): Promise<TrialOutcome>;
}

export interface DiagnosisProgress {
  /** Trials finished so far, control included, and how many there are. */
  done: number;
  total: number;
  /** What just finished, e.g. "control" or "model.outputActivation = linear". */
  label: string;
}

export interface DiagnoseOptions {
  runner: TrialRunner;
  /** Total seconds for the trials; default about the run's own time, 20-60 s; 0 turns trials off. */
  budgetSeconds?: number;
  /** Candidates given a trial (default 3). */
  maxTrials?: number;
  margin?: number;
  signal?: AbortSignal;
  onProgress?(progress: DiagnosisProgress): void;
}

export interface DiagnosisInput {
  summary: RunSummary;
  history: readonly EpochMetrics[];
  source: ConfigSourceFile;
}

const DEFAULT_TRIALS = 3;

export async function diagnose(input: DiagnosisInput, options: DiagnoseOptions): Promise<Diagnosis> {
  const started = Date.now();
  const { summary, history, source } = input;
  const margin = options.margin ?? DEFAULT_MARGIN;
  const budgetSeconds = options.budgetSeconds ?? defaultBudgetSeconds(summary);
  const symptoms = summary.findings.filter((f) => /^TSAE2\d\d$/.test(f.code));
  const done = (status: Diagnosis['status'], rest: Partial<Diagnosis> = {}): Diagnosis => ({
    status,
    symptoms: symptoms.map((s) => s.code),
    candidates: [],
    margin,
    budgetSeconds,
    notes: [],
    ...rest,
    seconds: (Date.now() - started) / 1000,
  });
  if (summary.status === 'cancelled') return done('cancelled', { notes: ['the run was cancelled: an unfinished model is not diagnosed'] });
  if (symptoms.length === 0) return done('no-symptoms');

  const baseline = lintText(source.text, { fileName: source.fileName });
  if (!baseline.resolved || !baseline.parsed) return done('skipped', { notes: ['the config the run used no longer resolves, so no fix can be tried'] });
  const columns = inputColumns(createRuleContext(baseline.parsed, baseline.resolved, baseline.probe));
  const evidence = gatherEvidence(history, symptoms, baseline.probe, columns);
  const notes: string[] = [];
  const candidates: DiagnosisCandidate[] = [];
  for (const candidate of rankCandidates(symptoms, baseline.findings, baseline.resolved, evidence)) {
    const vetted = vetFix(source.text, source.fileName, { title: candidate.title, safety: 'unsafe', changes: candidate.changes }, baseline);
    if (!vetted.ok) {
      notes.push(`${candidate.title}: not offered, ${vetted.reason}`);
      continue;
    }
    candidates.push({ ...candidate, title: vetted.fix.title, changes: vetted.fix.changes });
  }
  if (candidates.length === 0) return done('hypothesis', { notes: [...notes, 'no candidate cause with a fix the linter accepts'] });

  const tried = candidates.slice(0, options.maxTrials ?? DEFAULT_TRIALS);
  const plan = planTrials(summary, budgetSeconds, tried.length + 1, options.runner.parallelism);
  if ('skip' in plan) return done('hypothesis', { candidates, notes: [...notes, plan.skip] });

  const outcomes = await runAll(source, tried, plan, budgetSeconds, options);
  const control = outcomes[0];
  if (!control || control.failure === 'cancelled') return done('cancelled', { candidates, plan, notes: [...notes, 'trials were cancelled'] });
  if (control.failure && control.diverged) notes.push(`the control diverged (${control.failure}): a trial that trains to a finite error counts as a fix`);
  else if (control.failure) notes.push(`the control did not finish (${control.failure}): no trial can be judged against it`);
  tried.forEach((candidate, i) => {
    const trial = outcomes[i + 1];
    if (!trial) return;
    const judged = judgeTrial(candidate, trial, control, margin);
    const longer = candidate.changes.some((c) => c.path === 'training.epochs');
    const forEpochs = longer ? judgeLongerTraining(judged, trial, summary.inputSpaceError?.nmse, margin) : judged;
    const judgement = candidate.staticError ? judgeStaticError(forEpochs, trial, summary.epochs) : forEpochs;
    Object.assign(candidate, { trial, verdict: judgement.verdict }, judgement.errorChange !== undefined ? { errorChange: judgement.errorChange } : {});
  });
  const order = (c: DiagnosisCandidate) => (c.verdict === 'verified' ? 0 : c.verdict === 'untested' || c.verdict === 'inconclusive' ? 1 : 2);
  candidates.sort((a, b) => order(a) - order(b) || (a.verdict === 'verified' ? (a.errorChange ?? 0) - (b.errorChange ?? 0) : b.score - a.score));
  const verified = candidates.some((c) => c.verdict === 'verified');
  return done(verified ? 'verified' : 'hypothesis', { candidates, control, plan, notes });
}

/** Past this many times the budget, trials still running are stopped and count as timed out. */
const DEADLINE_FACTOR = 2;

/** The control first, then each candidate's trial; up to `parallelism` at once, all within the deadline. */
async function runAll(
  source: ConfigSourceFile,
  tried: DiagnosisCandidate[],
  plan: TrialPlan,
  budgetSeconds: number,
  options: DiagnoseOptions,
): Promise<Array<TrialOutcome | undefined>> {
  const jobs: Array<{ label: string; config: ConfigSourceFile; plan: TrialPlan }> = [{ label: 'control', config: source, plan }];
  for (const candidate of tried) {
    const text = applyConfigChanges(source.text, source.fileName, candidate.changes);
    // "Train longer" is tried as what it is: the same subset for more epochs than the control.
    const longer = candidate.changes.some((c) => c.path === 'training.epochs');
    jobs.push({
      label: candidate.title,
      config: { fileName: source.fileName, text },
      plan: longer ? { ...plan, epochs: plan.epochs * 2, timeoutSeconds: plan.timeoutSeconds * 2 } : plan,
    });
  }
  const deadline = AbortSignal.timeout(budgetSeconds * DEADLINE_FACTOR * 1000);
  const signal = options.signal ? AbortSignal.any([options.signal, deadline]) : deadline;
  const results: Array<TrialOutcome | undefined> = new Array(jobs.length);
  let next = 0;
  let finished = 0;
  const worker = async () => {
    while (next < jobs.length && !options.signal?.aborted) {
      const index = next++;
      const job = jobs[index];
      const outcome = await options.runner.run(job.config, job.plan, signal);
      // Stopped by the deadline rather than by the user: the trial ran out of time.
      results[index] = outcome.failure === 'cancelled' && !options.signal?.aborted ? { ...outcome, failure: 'timed out' } : outcome;
      finished++;
      options.onProgress?.({ done: finished, total: jobs.length, label: job.label });
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.runner.parallelism, jobs.length)) }, worker));
  return results;
}
