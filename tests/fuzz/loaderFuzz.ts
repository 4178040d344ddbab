// The loader fuzzer: seeded mutations of CSV and UCR data (bad cells, quotes, line ends, BOMs,
// NULs, ragged rows, huge and constant values) loaded through the real pipeline. Every case must
// end in a dataset or a DataError within `hangMs`; anything else is a crash. And lint and the
// loader must agree: the linter reports bad cells (TSAE117) exactly when the loader refuses the
// file for them.

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataError, loadDataset } from '../../src/core/data';
import { lintText } from '../../src/core/lint';
import { dataConfig } from '../core/dataConfig';
import { EXAMPLES_DIR, percentile, pick, seededRng, type Rng } from './inputs';
import type { FuzzProblem } from './lspFuzz';

export interface LoaderFuzzReport {
  cases: number;
  loaded: number;
  dataErrors: number;
  crashes: FuzzProblem[];
  hangs: FuzzProblem[];
  disagreements: FuzzProblem[];
  latencies: number[];
  wallSeconds: number;
}

const CELLS = [
  'N/A',
  '"1,234.5"',
  '0x1F',
  '0b11',
  '0o7',
  '',
  'NaN',
  'nan',
  'null',
  '1e308',
  '-1e308',
  '1e400',
  'Infinity',
  'abc',
  '"',
  '""',
  '" x "',
  ' 5 ',
  '+.5',
  '1_000',
  '\0',
  '\uFEFF1',
];

function baseCsv(rng: Rng): string {
  const lines = readFileSync(join(EXAMPLES_DIR, 'data', 'nab_sensors.csv'), 'utf8').split('\n');
  const start = 1 + Math.floor(rng() * 3000);
  return [lines[0], ...lines.slice(start, start + 40 + Math.floor(rng() * 160))].join('\n') + '\n';
}

function baseUcr(rng: Rng): string {
  const lines = readFileSync(join(EXAMPLES_DIR, 'data', 'ECG5000_TRAIN.txt'), 'utf8').split('\n');
  const start = Math.floor(rng() * 400);
  return lines.slice(start, start + 20 + Math.floor(rng() * 40)).join('\n') + '\n';
}

/** A few random edits at the cell and line level. */
function mutateData(rng: Rng, text: string, ucr: boolean): { text: string; label: string } {
  const labels: string[] = [];
  let lines = text.split('\n');
  const edits = 1 + Math.floor(rng() * 4);
  for (let e = 0; e < edits; e++) {
    const row = Math.floor(rng() * lines.length);
    const kind = Math.floor(rng() * 8);
    if (kind <= 2) {
      const separator = ucr ? /\s+/ : /,/;
      const cells = lines[row].trim().split(separator);
      const column = Math.floor(rng() * cells.length);
      cells[column] = pick(rng, CELLS);
      lines[row] = cells.join(ucr ? '  ' : ',');
      labels.push(`cell ${row + 1}:${column + 1}`);
    } else if (kind === 3) {
      lines.splice(row, 1);
      labels.push(`delete line ${row + 1}`);
    } else if (kind === 4) {
      lines[row] += ucr ? '  1.0' : ',1.0';
      labels.push(`extra field on line ${row + 1}`);
    } else if (kind === 5) {
      const value = pick(rng, ['5', '0', '1e200']);
      lines = lines.map((line, i) => (i === 0 && !ucr ? line : line.replace(/(-?\d+(\.\d+)?(e[+-]?\d+)?)(?=[,\s]|$)/g, value)));
      labels.push(`all numbers ${value}`);
    } else if (kind === 6) {
      const ends = pick(rng, ['\r\n', '\r']);
      labels.push(`line ends ${JSON.stringify(ends)}`);
      return { text: (rng() < 0.3 ? '\uFEFF' : '') + lines.join(ends), label: labels.join(', ') };
    } else {
      const at = Math.floor(rng() * lines[row].length);
      lines[row] = lines[row].slice(0, at) + pick(rng, ['"', '\0', ',', '\t', '\r']) + lines[row].slice(at);
      labels.push(`insert on line ${row + 1}`);
    }
  }
  return { text: lines.join('\n'), label: labels.join(', ') };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`hang: no result within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

const BAD_CELLS = /cells? (is|are) not (a number|numbers)/;

export async function runLoaderFuzz(options: { cases: number; seed?: number; dir: string; hangMs?: number }): Promise<LoaderFuzzReport> {
  const rng = seededRng(options.seed ?? 2);
  const hangMs = options.hangMs ?? 10_000;
  mkdirSync(options.dir, { recursive: true });
  const report: LoaderFuzzReport = { cases: 0, loaded: 0, dataErrors: 0, crashes: [], hangs: [], disagreements: [], latencies: [], wallSeconds: 0 };
  const started = Date.now();
  for (let n = 0; n < options.cases; n++) {
    const ucr = rng() < 0.3;
    const { text, label } = mutateData(rng, ucr ? baseUcr(rng) : baseCsv(rng), ucr);
    const name = `case-${n % 50}.${ucr ? 'txt' : 'csv'}`;
    const file = join(options.dir, name);
    writeFileSync(file, text);
    const problem = (detail: string): FuzzProblem => ({ case: n, label, detail, input: text.slice(0, 2000) });
    const overrides = ucr
      ? { data: { path: name, format: 'ucr' as const, layout: 'rows' as const, label: 0 }, windowing: { length: 140, stride: 1 } }
      : { data: { path: name, maxRows: rng() < 0.2 ? 50 : undefined }, windowing: { length: 16, stride: 4 } };
    const t0 = performance.now();
    let loaderBadCells = false;
    let loaded = false;
    try {
      await withTimeout(loadDataset(dataConfig(file, overrides)), hangMs);
      report.loaded++;
      loaded = true;
    } catch (error) {
      if (error instanceof DataError) {
        report.dataErrors++;
        loaderBadCells = BAD_CELLS.test(error.message);
      } else if (error instanceof Error && error.message.startsWith('hang:')) report.hangs.push(problem(error.message));
      else report.crashes.push(problem(error instanceof Error ? (error.stack ?? error.message) : String(error)));
    }
    report.latencies.push(performance.now() - t0);
    // The linter on the same file with the same settings.
    const configText = ucr
      ? `data:\n  path: ${name}\n  format: ucr\n  layout: rows\n  label: 0\nwindowing:\n  length: 140\nmodel:\n  encoder: [{units: 8}]\n  latent: {size: 4}\n  decoder: [{units: 8}]\n`
      : `data:\n  path: ${name}\n${overrides.data.maxRows ? `  maxRows: ${overrides.data.maxRows}\n` : ''}windowing:\n  length: 16\n  stride: 4\nmodel:\n  encoder: [{units: 8}]\n  latent: {size: 4}\n  decoder: [{units: 8}]\n`;
    try {
      const linted = lintText(configText, { fileName: join(options.dir, 'fuzz.tsae.yaml') });
      const lintBadCells = linted.findings.some((f) => f.code === 'TSAE117');
      const readable = !linted.findings.some((f) => f.code === 'TSAE005');
      // The loader stops at its first structural error (a ragged row), so only two outcomes contradict
      // the linter: bad cells reported on a file that loads, and a bad-cell refusal the linter missed.
      if (readable && ((lintBadCells && loaded) || (loaderBadCells && !lintBadCells))) {
        report.disagreements.push(problem(`TSAE117 ${lintBadCells ? 'reported' : 'not reported'} but the loader ${loaderBadCells ? 'refused bad cells' : 'did not'}`));
      }
    } catch (error) {
      report.crashes.push(problem(`lint threw: ${error instanceof Error ? error.message : String(error)}`));
    }
    report.cases = n + 1;
  }
  report.wallSeconds = (Date.now() - started) / 1000;
  return report;
}

export function formatLoaderReport(report: LoaderFuzzReport): string {
  const lines = [
    `loader fuzz: ${report.cases} cases in ${report.wallSeconds.toFixed(0)} s: ${report.loaded} loaded, ${report.dataErrors} DataErrors`,
    `  crashes: ${report.crashes.length}, hangs: ${report.hangs.length}, lint/loader disagreements: ${report.disagreements.length}`,
    `  load time p50 ${percentile(report.latencies, 50).toFixed(1)} ms, p99 ${percentile(report.latencies, 99).toFixed(1)} ms`,
  ];
  for (const [name, list] of [
    ['crash', report.crashes],
    ['hang', report.hangs],
    ['disagreement', report.disagreements],
  ] as const) {
    for (const p of list.slice(0, 10)) lines.push(`  ${name} at case ${p.case} (${p.label}): ${p.detail}\n    input: ${JSON.stringify(p.input.slice(0, 300))}`);
  }
  return lines.join('\n');
}
