// Turns the measurements into what people read: a console table with PyTorch beside each TSAE
// backend as ratios, bench/results/latest.json, and the results section of BENCHMARKS.md.

import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { TrainOutcome } from './trainChild';

export interface LatestJson {
  runs: Array<{
    workload: string;
    backend: string;
    secondsPerEpoch: number;
    ratioToPytorch: number | null;
    peakRssMb: number;
    secondsToTargetMse: number | null;
  }>;
  pytorch: Array<{ workload: string; secondsPerEpoch: number; peakRssMb: number; secondsToTargetMse: number | null }>;
}

export interface BenchContext {
  date: string;
  machine: string;
  versions: string;
  targetMse: number;
  mode: string;
  workloads: Array<{ name: string; description: string }>;
  /** Lines said once under the table: skipped runners, fallbacks, lint latency. */
  notes: string[];
}

type Measured = TrainOutcome & { secondsPerEpoch: number };

export function isMeasured(o: TrainOutcome): o is Measured {
  return o.unavailable === undefined && typeof o.secondsPerEpoch === 'number';
}

export function ratioToPytorch(run: Measured, pytorch: TrainOutcome[]): number | null {
  const reference = pytorch.find((p) => p.workload === run.workload);
  return reference !== undefined && isMeasured(reference) ? run.secondsPerEpoch / reference.secondsPerEpoch : null;
}

export function latestJson(runs: TrainOutcome[], pytorch: TrainOutcome[]): LatestJson {
  return {
    runs: runs.filter(isMeasured).map((r) => ({
      workload: r.workload,
      backend: r.backend,
      secondsPerEpoch: r.secondsPerEpoch,
      ratioToPytorch: ratioToPytorch(r, pytorch),
      peakRssMb: r.peakRssMb,
      secondsToTargetMse: r.secondsToTargetMse ?? null,
    })),
    pytorch: pytorch.filter(isMeasured).map((p) => ({
      workload: p.workload,
      secondsPerEpoch: p.secondsPerEpoch,
      peakRssMb: p.peakRssMb,
      secondsToTargetMse: p.secondsToTargetMse ?? null,
    })),
  };
}

/** Writes through a temporary file and a rename, so readers never see half a file. */
export function writeAtomically(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, file);
}

interface Row {
  workload: string;
  runner: string;
  secondsPerEpoch: string;
  ratio: string;
  peakRss: string;
  toTarget: string;
  measuredAs: string;
}

function rows(runs: TrainOutcome[], pytorch: TrainOutcome[], targetMse: number): Row[] {
  const out: Row[] = [];
  const workloads = [...new Set([...pytorch, ...runs].map((r) => r.workload))];
  for (const workload of workloads) {
    for (const r of [...pytorch, ...runs].filter((x) => x.workload === workload)) {
      const isReference = r.backend === 'pytorch';
      if (!isMeasured(r)) {
        out.push({ workload, runner: runnerName(r), secondsPerEpoch: 'skipped', ratio: '', peakRss: '', toTarget: '', measuredAs: r.unavailable ?? '' });
        continue;
      }
      const ratio = isReference ? 1 : ratioToPytorch(r, pytorch);
      out.push({
        workload,
        runner: runnerName(r),
        secondsPerEpoch: r.secondsPerEpoch.toFixed(r.secondsPerEpoch < 10 ? 3 : 1),
        ratio: ratio === null ? 'n/a' : `${ratio.toFixed(2)}x`,
        peakRss: r.peakRssMb.toFixed(0),
        toTarget:
          r.secondsToTargetMse === undefined
            ? 'not measured'
            : r.secondsToTargetMse === null
              ? `n/a (>${targetMse} after ${r.epochLosses?.length ?? 0} epochs)`
              : r.secondsToTargetMse.toFixed(2),
        measuredAs: r.measuredAs ?? '',
      });
    }
  }
  return out;
}

function runnerName(r: TrainOutcome): string {
  return r.backend === 'pytorch' ? 'PyTorch CPU' : `TSAE ${r.backend}`;
}

const HEADERS = ['workload', 'runner', 's/epoch', 'vs PyTorch', 'peak RSS MB', 's to target MSE', 'measured as'];

function cells(r: Row): string[] {
  return [r.workload, r.runner, r.secondsPerEpoch, r.ratio, r.peakRss, r.toTarget, r.measuredAs];
}

export function consoleTable(runs: TrainOutcome[], pytorch: TrainOutcome[], targetMse: number): string {
  const table = [HEADERS, ...rows(runs, pytorch, targetMse).map(cells)];
  const widths = HEADERS.map((_, c) => Math.max(...table.map((row) => row[c].length)));
  return table
    .map((row) =>
      row
        .map((cell, c) => cell.padEnd(widths[c]))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

export function markdownTable(runs: TrainOutcome[], pytorch: TrainOutcome[], targetMse: number): string {
  const line = (cs: string[]) => `| ${cs.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`;
  return [line(HEADERS), line(HEADERS.map(() => '---')), ...rows(runs, pytorch, targetMse).map((r) => line(cells(r)))].join('\n');
}

export const MARKER_START = '<!-- bench:results:start (written by `npm run bench`; edit outside the markers) -->';
export const MARKER_END = '<!-- bench:results:end -->';

export function resultsSection(runs: TrainOutcome[], pytorch: TrainOutcome[], ctx: BenchContext): string {
  return [
    MARKER_START,
    `Measured ${ctx.date} (${ctx.mode}) on ${ctx.machine}.`,
    `Versions: ${ctx.versions}.`,
    '',
    ...ctx.workloads.map((w) => `- **${w.name}**: ${w.description}`),
    '',
    `"vs PyTorch" is seconds per epoch divided by PyTorch's in the same run (below 1 is faster). ` +
      `"s to target MSE" is training time until an epoch's mean loss is at most ${ctx.targetMse} (data standardised: predicting the mean scores 1).`,
    '',
    markdownTable(runs, pytorch, ctx.targetMse),
    '',
    ...ctx.notes.map((n) => `- ${n}`),
    MARKER_END,
  ].join('\n');
}

/** Replaces the text between the markers (or appends the section), keeping the rest of the file. */
export function updateBenchmarksMd(file: string, section: string, preamble: string): void {
  const current = existsSync(file) ? readFileSync(file, 'utf8') : preamble;
  const start = current.indexOf(MARKER_START);
  const end = current.indexOf(MARKER_END);
  const next = start >= 0 && end > start ? current.slice(0, start) + section + current.slice(end + MARKER_END.length) : `${current.trimEnd()}\n\n${section}\n`;
  writeAtomically(file, next);
}
