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
import {
  compareVerified,
  countedSymptoms,
  DEFAULT_MARGIN,
  judgeLongerTraining,
  judgeStaticHazard,
  judgeTrial,
  reproducedSymptoms,
  setAsideSymptoms,
  takesVerifiedBlame,
} from './verdict';
import { isTrainLonger } from '../detectors/configFacts';
import { formatNumber, formatSignedPercent } from '../format';

/** One short training of a config text; resolves with its outcome, never rejects. */
export interface TrialRunner {
  /** Trials that can run at the same time (one per core for worker threads). */
  readonly parallelism: number;
  run(config: ConfigSourceFile, plan: TrialPlan, signal: AbortSignal | undefined): Promise<TrialOutcome>;
  /** Prepares for trials soon to come (starts workers and their backends); the diagnosis calls it once it knows it will try something. */
  warm?(): void;
  /** Frees what the runner holds (terminates its workers); called by whoever created the runner, when the diagnosis ends. */
  close?(): Promise<void>;
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
  // Trials are likely from here on: workers start their backends while the candidates are ranked and vetted.
  options.runner.warm?.();

  const baseline = lintText(source.text, { fileName: source.fileName });
  if (!baseline.resolved || !baseline.parsed) return done('skipped', { notes: ['the config the run used no longer resolves, so no fix can be tried'] });
  const columns = inputColumns(createRuleContext(baseline.parsed, baseline.resolved, baseline.probe));
  const evidence = gatherEvidence(history, symptoms, baseline.probe, columns);
  const staticHazards = baseline.findings.filter((f) => f.severity === 'error' || f.severity === 'warning').map((f) => `${f.code}@${f.configPath}`);
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
  if (candidates.length === 0) return done('hypothesis', { staticHazards, notes: [...notes, 'no candidate cause with a fix the linter accepts'] });

  const maxTrials = options.maxTrials ?? DEFAULT_TRIALS;
  const tried = candidates.slice(0, maxTrials);
  for (const c of candidates.slice(maxTrials)) c.why = `not tried: only the top ${maxTrials} candidate${maxTrials === 1 ? '' : 's'} get a trial`;
  const parallel = Math.max(1, options.runner.parallelism);
  // Fewer candidates with enough epochs beat many starved ones: the plan is sized for the first
  // round (the control beside the top candidate, or the two one after the other on one worker);
  // further candidates run on the warm workers only when the measured rounds leave time.
  const rounds = parallel > 1 ? 1 : Math.min(2, 1 + tried.length);
  const longest = parallel > 1 && tried.length > 0 && isTrainLonger(tried[0].changes) ? LONGER_BESIDE_CONTROL : 1;
  const plan = planTrials(summary, budgetSeconds, rounds, parallel, longest);
  if ('skip' in plan) return done('hypothesis', { candidates, staticHazards, notes: [...notes, plan.skip] });

  const runSymptoms = symptoms.map((s) => s.code);
  const { control, outcomes } = await runTrials(source, tried, plan, budgetSeconds, started, options, notes, runSymptoms, summary.epochs);
  if (!control || control.failure === 'cancelled') return done('cancelled', { candidates, staticHazards, plan, notes: [...notes, 'trials were cancelled'] });
  if (control.failure && control.diverged) notes.push(`the control diverged (${control.failure}): a trial that trains to a finite error counts as a fix`);
  else if (control.failure) notes.push(`the control did not finish (${control.failure}): no trial can be judged against it`);
  if (!control.failure && reproducedSymptoms({ explains: runSymptoms }, control).length === 0) {
    notes.push(
      `the control (${control.epochs} epochs on ${control.trainWindows} windows) did not reproduce ${runSymptoms.join(' ')}: no trial can show a cure, so none is verified`,
    );
  }
  tried.forEach((candidate, i) => {
    const reported = outcomes[i];
    if (!reported) return;
    const longer = isTrainLonger(candidate.changes);
    const trial = countedSymptoms(reported, { trainLonger: longer, staticHazard: hasStaticHazard(source, candidate) });
    const judged = judgeTrial(candidate, trial, control, margin);
    const forEpochs = longer ? judgeLongerTraining(judged, trial, summary.inputSpaceError?.nmse, margin) : judged;
    const judgement = candidate.fromRule ? judgeStaticHazard(forEpochs, trial, { epochs: summary.epochs, trainWindows: summary.windows.train }) : forEpochs;
    Object.assign(candidate, { trial, verdict: judgement.verdict }, judgement.errorChange !== undefined ? { errorChange: judgement.errorChange } : {});
    const why = explainVerdict(candidate, trial, control, margin, longer ? summary.inputSpaceError?.nmse : undefined, {
      epochs: summary.epochs,
      trainWindows: summary.windows.train,
    });
    if (why) candidate.why = why;
  });
  const order = (c: DiagnosisCandidate) => (c.verdict === 'verified' ? 0 : c.verdict === 'untested' || c.verdict === 'inconclusive' ? 1 : 2);
  candidates.sort((a, b) => order(a) - order(b) || (a.verdict === 'verified' ? compareVerified(a, b) : 0));
  const verified = candidates.some((c) => takesVerifiedBlame(c, candidates));
  return done(verified ? 'verified' : 'hypothesis', { candidates, control, plan, staticHazards, notes });
}

/** "Train longer" beside the control, before any trial is timed, trains twice the control's epochs. */
const LONGER_BESIDE_CONTROL = 2;
/** Past this many times the budget, trials still running are stopped and count as timed out. */
const DEADLINE_FACTOR = 2;
/** A further round of trials starts only when its estimate (the measured rounds) ends within this share of the budget. */
const ROUND_OVERRUN = 1.2;

interface TrialJob {
  label: string;
  config: ConfigSourceFile;
  plan: TrialPlan;
  /** Index into the tried candidates; undefined for the control. */
  candidate?: number;
}

/**
 * The control first, with the top candidate beside it when there are two workers; then, sized
 * from how long that round really took (not from the run's timing alone), further rounds while
 * they fit the budget. When the control cannot be a baseline (it failed to train or timed out),
 * the remaining candidates are not tried. Candidates left untried get a `why`.
 */
async function runTrials(
  source: ConfigSourceFile,
  tried: DiagnosisCandidate[],
  plan: TrialPlan,
  budgetSeconds: number,
  started: number,
  options: DiagnoseOptions,
  notes: string[],
  runSymptoms: readonly string[],
  epochsRun: number,
): Promise<{ control: TrialOutcome | undefined; outcomes: Array<TrialOutcome | undefined> }> {
  const parallel = Math.max(1, options.runner.parallelism);
  const jobOf = (candidate: DiagnosisCandidate, index: number, besideControl = false): TrialJob => {
    const text = applyConfigChanges(source.text, source.fileName, candidate.changes);
    // "Train longer" is tried as what it is: the same subset for as many times the control's
    // epochs as the fix asks of the run (twice at least, four times at most). Beside the control,
    // before any trial has been timed, it gets twice: four times a trial sized for the budget
    // would run past the deadline (twice the budget) and prove nothing.
    const factor = isTrainLonger(candidate.changes) ? (besideControl ? LONGER_BESIDE_CONTROL : longerTrialFactor(candidate.changes[0].value, epochsRun)) : 1;
    return {
      label: candidate.title,
      config: { fileName: source.fileName, text },
      plan: factor > 1 ? { ...plan, epochs: Math.round(plan.epochs * factor), timeoutSeconds: Math.ceil(plan.timeoutSeconds * factor) } : plan,
      candidate: index,
    };
  };
  const deadline = AbortSignal.timeout(budgetSeconds * DEADLINE_FACTOR * 1000);
  const signal = options.signal ? AbortSignal.any([options.signal, deadline]) : deadline;
  // Progress counts the trials that will run: candidates left untried leave the total.
  let total = 1 + tried.length;
  let finished = 0;
  const runOne = async (job: TrialJob): Promise<TrialOutcome> => {
    const outcome = await options.runner.run(job.config, job.plan, signal);
    finished++;
    options.onProgress?.({ done: finished, total, label: job.label });
    // Stopped by the deadline rather than by the user: the trial ran out of time.
    return outcome.failure === 'cancelled' && !options.signal?.aborted ? { ...outcome, failure: 'timed out' } : outcome;
  };

  const outcomes: Array<TrialOutcome | undefined> = new Array(tried.length);
  const first = tried.slice(0, parallel - 1).map((c, i) => jobOf(c, i, true));
  const [control, ...firstOutcomes] = await Promise.all([runOne({ label: 'control', config: source, plan }), ...first.map(runOne)]);
  firstOutcomes.forEach((o, i) => (outcomes[i] = o));
  let next = first.length;
  const skipRest = (why: string) => {
    for (let i = next; i < tried.length; i++) tried[i].why = why;
    const skipped = tried.length - next;
    next = tried.length;
    if (skipped === 0) return;
    total -= skipped;
    options.onProgress?.({ done: finished, total, label: `${skipped} candidate${skipped === 1 ? '' : 's'} not tried` });
  };
  if (options.signal?.aborted || control.failure === 'cancelled') return { control, outcomes };
  if (control.failure && !control.diverged) skipRest(`not tried: the control did not finish (${control.failure}), so no trial could be judged`);
  // A control without the run's failure cannot show a cure: more trials of the same length would only compare errors.
  if (!control.failure && reproducedSymptoms({ explains: [...runSymptoms] }, control).length === 0) {
    skipRest(`not tried: the control (${control.epochs} epochs on ${control.trainWindows} windows) did not reproduce ${runSymptoms.join(' ')}`);
  }
  // Seconds per unit of trial length (epochs), as measured under the machine's present load,
  // without what a warm worker does not pay again (starting its backend, reading the same data).
  const warmSeconds = (o: TrialOutcome) => Math.max(0, o.seconds - (o.overheadSeconds ?? 0));
  const perEpoch = Math.max(warmSeconds(control), ...firstOutcomes.map((o, i) => warmSeconds(o) / (first[i].plan.epochs / plan.epochs))) / plan.epochs;
  while (next < tried.length && !options.signal?.aborted) {
    const round = tried.slice(next, next + parallel).map((c, i) => jobOf(c, next + i));
    const estimate = Math.max(...round.map((j) => j.plan.epochs * perEpoch));
    const elapsed = (Date.now() - started) / 1000;
    if (elapsed + estimate > budgetSeconds * ROUND_OVERRUN) {
      const why = `not tried: another round of trials (about ${formatSeconds(estimate)} s, measured on the control) would overrun the ${formatSeconds(budgetSeconds)} s budget after ${formatSeconds(elapsed)} s`;
      notes.push(`${tried.length - next} candidate${tried.length - next === 1 ? '' : 's'} ${why}`);
      skipRest(why);
      break;
    }
    const results = await Promise.all(round.map(runOne));
    results.forEach((o, i) => (outcomes[round[i].candidate!] = o));
    next += round.length;
  }
  return { control, outcomes };
}

/** Whether the linter finds a warning or error in the config with the candidate's fix made (then no trial symptom is set aside). */
function hasStaticHazard(source: ConfigSourceFile, candidate: DiagnosisCandidate): boolean {
  try {
    const text = applyConfigChanges(source.text, source.fileName, candidate.changes);
    return lintText(text, { fileName: source.fileName }).findings.some((f) => f.severity === 'error' || f.severity === 'warning');
  } catch {
    return true;
  }
}

/** How many times the control's epochs a "train longer" trial gets: what the fix asks of the run, 2-4 times. */
export function longerTrialFactor(proposedEpochs: unknown, epochsRun: number): number {
  const asked = typeof proposedEpochs === 'number' && epochsRun > 0 ? proposedEpochs / epochsRun : 2;
  return Math.min(4, Math.max(2, asked));
}

function formatSeconds(seconds: number): string {
  return formatNumber(Number(seconds.toFixed(seconds < 10 ? 1 : 0)));
}

/** One sentence on why a tried candidate is not verified (or, when it is, nothing). */
function explainVerdict(
  candidate: DiagnosisCandidate,
  trial: TrialOutcome,
  control: TrialOutcome,
  margin: number,
  runNmse: number | undefined,
  run: { epochs: number; trainWindows: number },
): string | undefined {
  if (candidate.verdict === 'verified') return undefined;
  if (trial.failure === 'timed out') return `the trial ran out of time after ${formatSeconds(trial.seconds)} s`;
  if (control.failure && !control.diverged) return `the control did not finish (${control.failure})`;
  if (trial.failure && !trial.diverged) return `the trial failed (${trial.failure})`;
  if (trial.diverged) return `the trial diverged too (${trial.failure ?? 'not finite'})`;
  const change = candidate.errorChange;
  const targeted = reproducedSymptoms(candidate, control);
  const left = [...new Set([...targeted, ...candidate.explains])].filter((code) => trial.symptoms.includes(code));
  const parts: string[] = [];
  if (targeted.length === 0) {
    parts.push(`the control (${control.epochs} epochs on ${control.trainWindows} windows) did not reproduce ${candidate.explains.join(' ')}, so no trial could show a cure`);
  }
  if (change !== undefined) parts.push(`error ${formatSignedPercent(change)} against the control${change > -margin ? `, short of the ${Math.round(margin * 100)} % margin` : ''}`);
  if (left.length > 0) parts.push(`the trial still shows ${left.join(' ')}`);
  const aside = setAsideSymptoms(trial);
  if (aside.length > 0) parts.push(`${aside.join(' ')} remained only as information (nothing but "train longer" suspected, the loss still falling)`);
  if (runNmse !== undefined && trial.nmse !== null && change !== undefined && change <= -margin && left.length === 0) {
    parts.push(`the longer trial's error ${formatNumber(trial.nmse, 3)} is not ${Math.round(margin * 100)} % below the run's own ${formatNumber(runNmse, 3)}`);
  }
  if (
    candidate.verdict === 'inconclusive' &&
    candidate.fromRule &&
    (trial.epochs < run.epochs || trial.trainWindows < run.trainWindows) &&
    change !== undefined &&
    change > -margin / 2
  ) {
    parts.push(`a trial that trained less than the run (${trial.epochs} epochs on ${trial.trainWindows} windows) cannot refute a hazard the linter found`);
  }
  return parts.length > 0 ? parts.join('; ') : undefined;
}
