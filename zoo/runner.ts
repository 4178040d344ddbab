// Running one zoo case: lint it (the linter in-process), train it with the real CLI and its
// diagnosis (`tsae train --json --diagnose`), then retrain with the fix the diagnosis offered and
// with the case's own fix, to see whether each cures the symptom. Only what was measured is kept
// (codes, blamed keys, certainties, comparable errors, timings); scoring is done in score.ts, so
// saved results can be re-scored after the annotations change.

import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { lintFile } from '../src/core/lint';
import { applyConfigChanges } from '../src/core/fixes/configChanges';
import type { RunFinding, RunSummary } from '../src/core/run/types';
import type { ConfigChange } from '../src/core/types';
import type { TrialOutcome } from '../src/core/diagnosis/types';
import { runtimeCodes, type ZooCase } from './cases';

export interface StaticRecord {
  findings: Array<{ code: string; severity: string; configPath: string }>;
}

export interface RunRecord {
  /** completed, failed, cancelled, or `no-summary` when the CLI printed none (see message). */
  status: string;
  exitCode: number | null;
  /** Wall time of the CLI, training and diagnosis together. */
  wallSeconds: number;
  epochs: number;
  /** Normalised input-space error of the validation windows (1 = predicting each feature's mean); null when not finite or not reported. */
  nmse: number | null;
  /** Training loss of each epoch, oldest first (to tell a settled model from one still learning). */
  losses?: number[];
  findings: Array<{ code: string; severity: string; certainty?: string; configPath: string; fix?: ConfigChange[] }>;
  diagnosis?: {
    status: string;
    seconds: number;
    /** Each candidate with what its trial measured and why it got its verdict, so a miss can be read without rerunning the case. */
    candidates: Array<{
      source: string;
      configPath: string;
      verdict: string;
      errorChange?: number;
      trialFailure?: string;
      why?: string;
      trial?: { nmse: number | null; symptoms: string[]; epochs: number; seconds: number };
    }>;
    /** The control trial: its error and symptoms, or why it did not finish. */
    control?: { nmse: number | null; symptoms: string[]; failure?: string };
    notes: string[];
  };
  message?: string;
}

export interface FixRecord {
  changes: ConfigChange[];
  /** The finding whose fix this is (offered fixes only). */
  from?: string;
  run: RunRecord;
}

export interface CaseResult {
  id: string;
  at: string;
  static: StaticRecord;
  run?: RunRecord;
  offeredFix?: FixRecord;
  expectedFix?: FixRecord;
}

export interface RunOptions {
  cli: string;
  /** Seconds of diagnosis trials per case (--diagnose-budget); absent: the CLI's default (about the run's own time). */
  budgetSeconds?: number;
  backend?: string;
  /** Skip the fix retrains. */
  noFix?: boolean;
  log?: (line: string) => void;
}

const RUN_TIMEOUT_MS = 10 * 60_000;

export function lintCase(zooCase: ZooCase): StaticRecord {
  const lint = lintFile(zooCase.file);
  return { findings: lint.findings.map((f) => ({ code: f.code, severity: f.severity, configPath: f.configPath })) };
}

/** Lints, trains with diagnosis and retrains with the fixes; never throws for a case that fails to train. */
export function runCase(zooCase: ZooCase, options: RunOptions): CaseResult {
  const result: CaseResult = { id: zooCase.id, at: new Date().toISOString(), static: lintCase(zooCase) };
  if (zooCase.kind === 'failing' && zooCase.expectRuntime === undefined) return result;
  const work = fs.mkdtempSync(path.join(os.tmpdir(), `tsae-zoo-${zooCase.id}-`));
  try {
    const text = fs.readFileSync(zooCase.file, 'utf8');
    result.run = train(zooCase.file, zooCase.epochs, work, options, true);
    options.log?.(`  ${zooCase.id}: ${describeRun(result.run)}`);
    if (options.noFix || zooCase.kind === 'good') return result;

    const expected = new Set(runtimeCodes(zooCase));
    const offered = result.run.findings.find((f) => expected.has(f.code) && f.fix && f.fix.length > 0);
    if (zooCase.fix.length > 0) {
      result.expectedFix = { changes: zooCase.fix, run: trainFixed(zooCase, text, zooCase.fix, work, 'expected', options) };
      options.log?.(`  ${zooCase.id} + expected fix: ${describeRun(result.expectedFix.run)}`);
    }
    if (offered?.fix) {
      const same = result.expectedFix && sameChanges(offered.fix, zooCase.fix);
      const run = same ? result.expectedFix!.run : trainFixed(zooCase, text, offered.fix, work, 'offered', options);
      result.offeredFix = { changes: offered.fix, from: offered.code, run };
      if (!same) options.log?.(`  ${zooCase.id} + offered fix: ${describeRun(run)}`);
    }
    return result;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

function sameChanges(a: readonly ConfigChange[], b: readonly ConfigChange[]): boolean {
  const key = (changes: readonly ConfigChange[]) => JSON.stringify([...changes].map((c) => [c.path, c.value]).sort());
  return key(a) === key(b);
}

/** Trains the case with `changes` made (data.path made absolute so the copy can live in `work`). */
export function trainFixed(zooCase: ZooCase, text: string, changes: ConfigChange[], work: string, label: string, options: RunOptions): RunRecord {
  const lint = lintFile(zooCase.file);
  const dataFile = lint.resolved?.dataFile;
  let fixed: string;
  try {
    fixed = applyConfigChanges(text, zooCase.file, dataFile ? [...changes, { path: 'data.path', value: dataFile }] : changes);
  } catch (error) {
    return { status: 'fix-not-applicable', exitCode: null, wallSeconds: 0, epochs: 0, nmse: null, findings: [], message: (error as Error).message };
  }
  const file = path.join(work, `${zooCase.id}.${label}.tsae.yaml`);
  fs.writeFileSync(file, fixed);
  // A fix that sets the epochs is trained for those epochs, up to twice the case's own (or the
  // case's fix, when that is more): "train for 40 epochs" offered for a config whose
  // training.epochs is 20 means "twice as long" for a case the zoo trains for 6. Any other fix
  // trains for the case's own epochs.
  const epochsChange = changes.find((c) => c.path === 'training.epochs');
  const caseEpochs = zooCase.fix.find((c) => c.path === 'training.epochs')?.value;
  const cap = Math.max(2 * zooCase.epochs, typeof caseEpochs === 'number' ? caseEpochs : 0);
  const epochs = typeof epochsChange?.value === 'number' ? Math.min(epochsChange.value, cap) : zooCase.epochs;
  return train(file, epochs, work, options, false);
}

export function train(config: string, epochs: number, work: string, options: RunOptions, diagnose: boolean): RunRecord {
  const started = Date.now();
  const args = [options.cli, 'train', config, '--out', path.join(work, 'runs'), '--json', '--epochs', String(epochs)];
  if (options.backend) args.push('--backend', options.backend);
  if (diagnose) args.push('--diagnose', ...(options.budgetSeconds !== undefined ? ['--diagnose-budget', String(options.budgetSeconds)] : []));
  const child = spawnSync(process.execPath, args, { encoding: 'utf8', timeout: RUN_TIMEOUT_MS, cwd: path.dirname(config), maxBuffer: 64 * 1024 * 1024 });
  const wallSeconds = Math.round((Date.now() - started) / 100) / 10;
  const line = (child.stdout ?? '')
    .trim()
    .split('\n')
    .reverse()
    .find((l) => l.includes('"type":"summary"'));
  if (!line) {
    const why = child.error ? child.error.message : (child.stderr ?? '').trim().split('\n').slice(-3).join(' | ');
    return { status: 'no-summary', exitCode: child.status, wallSeconds, epochs: 0, nmse: null, findings: [], message: why };
  }
  const summary = JSON.parse(line) as RunSummary & { message?: string };
  const nmse = summary.inputSpaceError?.nmse;
  return {
    status: summary.status,
    exitCode: child.status,
    wallSeconds,
    epochs: summary.epochs ?? 0,
    nmse: typeof nmse === 'number' && Number.isFinite(nmse) ? nmse : null,
    losses: epochLosses(child.stdout ?? ''),
    findings: (summary.findings ?? []).map(findingRecord),
    ...(summary.diagnosis
      ? {
          diagnosis: {
            status: summary.diagnosis.status,
            seconds: summary.diagnosis.seconds,
            candidates: summary.diagnosis.candidates.map((c) => ({
              source: c.source,
              configPath: c.configPath,
              verdict: c.verdict,
              ...(c.errorChange !== undefined ? { errorChange: c.errorChange } : {}),
              ...(c.trial?.failure ? { trialFailure: c.trial.failure } : {}),
              ...(c.why ? { why: c.why } : {}),
              ...(c.trial ? { trial: { nmse: c.trial.nmse, symptoms: c.trial.symptoms, epochs: c.trial.epochs, seconds: c.trial.seconds } } : {}),
            })),
            ...(summary.diagnosis.control ? { control: controlRecord(summary.diagnosis.control) } : {}),
            notes: summary.diagnosis.notes,
          },
        }
      : {}),
    ...(summary.message || summary.reason ? { message: summary.message ?? summary.reason } : {}),
  };
}

/** The training loss of every `{"type":"epoch"}` line of the CLI's JSON output (NaN when not finite). */
function epochLosses(stdout: string): number[] {
  const losses: number[] = [];
  for (const l of stdout.split('\n')) {
    if (!l.includes('"type":"epoch"')) continue;
    try {
      const epoch = JSON.parse(l) as { loss?: unknown };
      losses.push(typeof epoch.loss === 'number' ? epoch.loss : NaN);
    } catch {
      // A line cut short by a killed process is not an epoch.
    }
  }
  return losses;
}

function controlRecord(control: TrialOutcome): NonNullable<RunRecord['diagnosis']>['control'] {
  return { nmse: control.nmse, symptoms: control.symptoms, ...(control.failure ? { failure: control.failure } : {}) };
}

function findingRecord(f: RunFinding): RunRecord['findings'][number] {
  return { code: f.code, severity: f.severity, ...(f.certainty ? { certainty: f.certainty } : {}), configPath: f.configPath, ...(f.fix ? { fix: f.fix.changes } : {}) };
}

export function describeRun(run: RunRecord): string {
  const codes = run.findings.map((f) => `${f.code}${f.severity === 'error' ? '!' : ''}@${f.configPath || '-'}${f.certainty === 'verified' ? '(v)' : ''}`).join(' ');
  return `${run.status}, ${run.epochs} epochs, nmse ${run.nmse === null ? '-' : run.nmse.toPrecision(3)}, ${run.wallSeconds} s; ${codes || 'no findings'}${run.message && run.status !== 'completed' ? ` (${run.message})` : ''}`;
}
