// `tsae diagnose RUN_DIR`: the diagnosis of a finished run (also what `tsae train --diagnose`
// runs after training): candidate causes ranked by evidence, counterfactual trials in worker
// threads, and the run's findings re-blamed on what the trials verified.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { BACKEND_NAMES, isBackendName, type BackendName } from '../core/config/types';
import { diagnoseRunFolder, DiagnosisError, type DiagnosedRun } from '../core/diagnosis/diagnoseRunFolder';
import { WorkerTrialRunner } from '../core/diagnosis/workerTrialRunner';
import type { Diagnosis } from '../core/diagnosis/types';
import { trialSentence } from '../core/diagnosis/applyDiagnosis';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, processIo, type CliIo } from './io';
import { formatNumber } from '../core/format';

const USAGE = `Usage: tsae diagnose RUN_DIR [options]

Finds which config key caused a finished run's findings: ranks the candidate causes (static
hazards of the config and the detectors' blames) by evidence, then trains short trials with each
top fix against a control with the same budget. A cause is "verified" only when its trial clears
the symptom and lowers the comparable error by the margin.

Options:
  --budget S      seconds for all trials (default: about the run's own time, 20-60; 0: no trials)
  --trials N      candidates to try (default 3)
  --backend B     auto | fused | tensorflow | wasm | cpu (default: auto)
  --json          print the diagnosis as one JSON object
  -h, --help      show this help

Exit codes: 0 diagnosed, 1 the run could not be read, 2 bad command line.
`;

export interface DiagnosisSettings {
  budgetSeconds?: number;
  maxTrials?: number;
  backend?: BackendName;
}

/** Parses --budget, --trials and --backend at argv[i]; returns how many arguments it used (0: not one of them). */
export function parseDiagnosisOption(argv: string[], i: number, into: DiagnosisSettings): number | { error: string } {
  const value = argv[i + 1];
  switch (argv[i]) {
    case '--budget':
    case '--diagnose-budget': {
      const n = Number(value);
      if (value === undefined || value.trim() === '' || !(n >= 0)) return { error: `${argv[i]} needs seconds >= 0, got ${value ?? 'nothing'}` };
      into.budgetSeconds = n;
      return 2;
    }
    case '--trials': {
      const n = Number(value);
      if (value === undefined || !Number.isInteger(n) || n < 1) return { error: `--trials needs a whole number >= 1, got ${value ?? 'nothing'}` };
      into.maxTrials = n;
      return 2;
    }
    default:
      return 0;
  }
}

export async function runDiagnose(argv: string[], io: CliIo = processIo(), workerPath = findWorkerBundle()): Promise<number> {
  const settings: DiagnosisSettings = {};
  let runDir: string | undefined;
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '-h' || arg === '--help') {
      io.stdout(USAGE);
      return EXIT_OK;
    }
    if (arg === '--json') {
      json = true;
      continue;
    }
    if (arg === '--backend') {
      const v = argv[++i];
      if (!isBackendName(v)) return usage(io, `--backend must be one of ${BACKEND_NAMES.join(', ')}, got ${v ?? 'nothing'}`);
      settings.backend = v;
      continue;
    }
    const used = parseDiagnosisOption(argv, i, settings);
    if (typeof used === 'object') return usage(io, used.error);
    if (used > 0) {
      i += used - 1;
      continue;
    }
    if (arg.startsWith('-')) return usage(io, `unknown option ${arg}`);
    if (runDir !== undefined) return usage(io, `one RUN_DIR only, got ${runDir} and ${arg}`);
    runDir = arg;
  }
  if (runDir === undefined) return usage(io, 'missing RUN_DIR');
  if (workerPath === undefined) {
    io.stderr('tsae diagnose: the worker bundle (worker.js) was not found; run the build first\n');
    return EXIT_FINDINGS;
  }
  try {
    const result = await diagnoseRun(path.resolve(io.cwd, runDir), workerPath, settings, json ? undefined : io);
    if (json) io.stdout(`${JSON.stringify(result.diagnosis)}\n`);
    else printDiagnosis(io, result);
    return EXIT_OK;
  } catch (error) {
    if (error instanceof DiagnosisError) {
      io.stderr(`tsae diagnose: ${error.message}\n`);
      return EXIT_FINDINGS;
    }
    throw error;
  }
}

/** Diagnoses `runDir` with trials in worker threads (a pool for this diagnosis only); progress lines go to `progress` when given. */
export async function diagnoseRun(runDir: string, workerPath: string, settings: DiagnosisSettings, progress?: CliIo, signal?: AbortSignal): Promise<DiagnosedRun> {
  const runner = new WorkerTrialRunner(workerPath, settings.backend);
  try {
    return await diagnoseRunFolder(runDir, {
      runner,
      ...(settings.budgetSeconds !== undefined ? { budgetSeconds: settings.budgetSeconds } : {}),
      ...(settings.maxTrials !== undefined ? { maxTrials: settings.maxTrials } : {}),
      ...(signal ? { signal } : {}),
      onProgress: (p) => progress?.stderr(`diagnosis: ${p.done}/${p.total} trials done (${p.label})\n`),
    });
  } finally {
    await runner.close();
  }
}

export function printDiagnosis(io: CliIo, { diagnosis }: DiagnosedRun): void {
  io.stdout(`diagnosis: ${describeStatus(diagnosis)} (${diagnosis.seconds.toFixed(1)} s)\n`);
  if (diagnosis.control) io.stdout(`  control: error ${formatError(diagnosis.control.nmse)}, symptoms ${diagnosis.control.symptoms.join(' ') || 'none'}\n`);
  for (const c of diagnosis.candidates) {
    const figures = c.trial ? ` — ${trialSentence(c, diagnosis)}` : '';
    io.stdout(`  ${c.verdict.padEnd(12)} ${c.title}${figures}\n`);
    if (c.why) io.stdout(`  ${''.padEnd(12)} ${c.verdict === 'untested' ? '' : 'unverified: '}${c.why}\n`);
  }
  for (const note of diagnosis.notes) io.stdout(`  note: ${note}\n`);
}

function describeStatus(d: Diagnosis): string {
  switch (d.status) {
    case 'verified':
      return `cause verified for ${d.symptoms.join(' ')}`;
    case 'hypothesis':
      return `no cause verified for ${d.symptoms.join(' ')}; the findings stay hypotheses`;
    case 'no-symptoms':
      return 'the run has no runtime findings';
    case 'cancelled':
      return 'cancelled';
    case 'skipped':
      return 'skipped';
  }
}

function formatError(nmse: number | null): string {
  return nmse === null ? 'not finite' : formatNumber(nmse, 3);
}

function usage(io: CliIo, error: string): number {
  io.stderr(`tsae diagnose: ${error}\n\n${USAGE}`);
  return EXIT_USAGE;
}

/** dist/worker.js beside this bundle; when running from compiled sources, the repo's dist/. */
export function findWorkerBundle(): string | undefined {
  const beside = path.join(__dirname, 'worker.js');
  if (fs.existsSync(beside)) return beside;
  for (let dir = __dirname; path.dirname(dir) !== dir; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'dist', 'worker.js');
    if (fs.existsSync(candidate)) return candidate;
  }
  return undefined;
}
