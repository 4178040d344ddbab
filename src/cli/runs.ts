// `tsae runs [DIR] [--json]`: the runs in a runs folder, newest first, with the status the core
// reader judges (a run whose process is gone reads as interrupted, with why), start time,
// duration, epochs and the key figures. Reading tidies what dead writers left (temp files).

import * as fs from 'node:fs';
import * as path from 'node:path';
import { listRunStatuses, type RunStatusReport } from '../core/run/status';
import { formatNumber, formatSeconds } from '../core/format';
import { EXIT_FINDINGS, EXIT_OK, processIo, type CliIo, exitForUsage } from './io';

const USAGE = `Usage: tsae runs [DIR] [--json]

Lists the training runs in DIR, newest first: status (completed, cancelled, failed, running, or
interrupted when the process that trained it is gone), start time, duration, epochs done of
planned, losses, reconstruction error, held-out AUC and findings.

DIR is a runs folder, or a folder holding .tsae/runs (default: the current directory).

Options:
  --json       print one JSON object {"runsDir": ..., "runs": [...]}
  -h, --help   show this help

Exit codes: 0 listed (also when there are no runs), 1 DIR does not exist, 2 bad command line.
`;

export interface RunsArgs {
  dir?: string;
  json: boolean;
}

export function parseRunsArgs(argv: string[]): RunsArgs | { help: true } | { error: string } {
  const args: RunsArgs = { json: false };
  for (const arg of argv) {
    if (arg === '-h' || arg === '--help') return { help: true };
    if (arg === '--json') args.json = true;
    else if (arg.startsWith('-')) return { error: `unknown option ${arg}` };
    else if (args.dir !== undefined) return { error: `one DIR only, got ${args.dir} and ${arg}` };
    else args.dir = arg;
  }
  return args;
}

/** DIR itself when it holds runs, else DIR/.tsae/runs when that exists. */
export function runsFolderOf(dir: string): string {
  const nested = path.join(dir, '.tsae', 'runs');
  return fs.existsSync(nested) ? nested : dir;
}

export async function runRuns(argv: string[], io: CliIo = processIo()): Promise<number> {
  const parsed = parseRunsArgs(argv);
  if ('help' in parsed || 'error' in parsed) return exitForUsage('runs', parsed, USAGE, io);
  const given = path.resolve(io.cwd, parsed.dir ?? '.');
  if (!fs.existsSync(given)) {
    io.stderr(`tsae runs: ${given}: no such folder\n`);
    return EXIT_FINDINGS;
  }
  const runsDir = runsFolderOf(given);
  const runs = await listRunStatuses(runsDir);
  if (parsed.json) io.stdout(`${JSON.stringify({ runsDir, runs: runs.map(jsonRow) })}\n`);
  else printTable(io, runsDir, runs);
  return EXIT_OK;
}

function jsonRow(r: RunStatusReport) {
  const s = r.summary;
  return {
    runDir: r.runDir,
    name: s.name,
    status: r.status,
    ...(r.recordedStatus !== undefined ? { recordedStatus: r.recordedStatus } : {}),
    evidence: r.evidence,
    ...(r.note !== undefined ? { note: r.note } : {}),
    startedAt: s.startedAt,
    seconds: s.seconds,
    epochs: s.epochs,
    ...(s.epochsPlanned !== undefined ? { epochsPlanned: s.epochsPlanned } : {}),
    lastEpoch: r.lastEpoch,
    backend: s.backend,
    trainLoss: s.trainLoss,
    valLoss: s.valLoss,
    ...(s.reconstructionError !== undefined ? { reconstructionError: s.reconstructionError } : {}),
    ...(s.inputSpaceError !== undefined ? { nmse: s.inputSpaceError.nmse } : {}),
    ...(s.heldOutAuc !== undefined ? { heldOutAuc: s.heldOutAuc } : {}),
    findings: s.findings.map((f) => f.code),
    ...(s.resumes !== undefined ? { resumes: s.resumes } : {}),
    ...(s.reason !== undefined ? { reason: s.reason } : {}),
  };
}

const COLUMNS = ['STATUS', 'STARTED', 'DURATION', 'EPOCHS', 'LOSS', 'VAL', 'ERROR', 'AUC', 'FINDINGS', 'RUN'];

function printTable(io: CliIo, runsDir: string, runs: RunStatusReport[]): void {
  if (runs.length === 0) {
    io.stdout(`no runs in ${runsDir}\n`);
    return;
  }
  const rows = runs.map((r) => {
    const s = r.summary;
    return [
      r.status,
      localTime(s.startedAt),
      formatSeconds(s.seconds),
      s.epochsPlanned !== undefined ? `${s.epochs}/${s.epochsPlanned}` : String(s.epochs),
      formatNumber(s.trainLoss),
      formatNumber(s.valLoss),
      formatNumber(s.reconstructionError),
      s.heldOutAuc !== undefined ? s.heldOutAuc.toFixed(3) : '-',
      s.findings.length > 0 ? [...new Set(s.findings.map((f) => f.code))].join(',') : '-',
      path.basename(r.runDir),
    ];
  });
  const widths = COLUMNS.map((c, i) => Math.max(c.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join('  ');
  io.stdout(`${runsDir}\n${line(COLUMNS)}\n`);
  runs.forEach((r, i) => {
    io.stdout(`${line(rows[i])}\n`);
    // Why a run reads as interrupted (or could not be checked), under its row.
    if (r.note !== undefined) io.stdout(`  ${r.note}\n`);
  });
}

function localTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '-';
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}
