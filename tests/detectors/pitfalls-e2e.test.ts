// The runtime detectors' acceptance test. Every pitfall config with an `# expect-runtime: TSAE2NN`
// line (examples/pitfalls/) is trained for real (`node dist/cli.js train`); the expected
// detector must fire on the config line it blames. Then the test does what a user does in the
// editor: apply the quick fix of a runtime finding, retrain, and repeat while findings remain.
// A pitfall config carries several mistakes (pitfall 03 has three), so one fix need not clear
// every finding: each round fixes one finding (the expected one first, then the first finding
// that offers a fix), at most MAX_FIX_ROUNDS times. Every finding met on the way must offer a
// fix, and the chain must end in a run with no runtime finding whose reconstruction error is
// lower by a margin than the original's. Only runtime fixes are applied, never static ones, so
// the runtime detectors alone must lead the user to a good config.
// The good examples (examples/*.tsae.*) must train without any runtime finding that asks for a
// change: no warning or error, and nothing with a fix. Information stays allowed: the NAB
// machine-temperature example learns from NAB's 2.6-day probationary period, where the validation
// loss (the last 17 hours) rises after its best epoch and TSAE207 reports, as information, that
// early stopping kept that epoch's weights. The information findings are printed.
// Figures are printed (one JSON line per config) for the closing note.
//
// Runs are slow on a shared 2-core machine, so epochs come from `# runtime-epochs: N` in each
// pitfall (default 6) and from GOOD_EXAMPLES below; the suite is skipped when dist/cli.js has
// not been built.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findRange, lintFile } from '../../src/core/lint';
import { applyConfigChanges } from '../../src/core/fixes/configChanges';
import type { RunFinding, RunSummary } from '../../src/core/run/types';
import { REPO_ROOT } from '../core/dataConfig';

const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');
const PITFALL_DIR = path.join(REPO_ROOT, 'examples', 'pitfalls');
const DEFAULT_EPOCHS = 6;
/** The final run's error must be at least this much lower, so "better" is not noise. */
const REQUIRED_IMPROVEMENT = 0.1;
/** More rounds than any pitfall has mistakes: a chain that needs more is going in circles. */
const MAX_FIX_ROUNDS = 3;
const RUN_TIMEOUT_MS = 8 * 60_000;
/**
 * Good examples and the epochs they get: their own configured epochs where that fits the CI
 * budget, since a detector that fires on an unfinished run is right to. ECG5000 at its 20 epochs
 * is clean (held-out AUC 0.96); at 12 it still kept under half the beats' range and TSAE203
 * fired. nab-art-daily learns its daily shape in 8 of its 20. nab-machine-temperature trains its
 * own 40 epochs (stride 16, Adam 2e-3; early stopping may end it a little sooner): its earlier
 * setup (stride 8, 1e-3, 20 epochs) kept 17% of the peaks and TSAE203 rightly fired.
 */
const GOOD_EXAMPLES: ReadonlyArray<{ file: string; epochs: number }> = [
  { file: 'nab-art-daily.tsae.json', epochs: 8 },
  { file: 'ecg5000.tsae.yaml', epochs: 20 },
  { file: 'nab-machine-temperature.tsae.yaml', epochs: 40 },
];

interface Annotated {
  file: string;
  expected: string[];
  /** `# expect-blame: a | b`: the keys the diagnosis may blame (a pitfall with several mistakes lists each). */
  blame: string[];
  epochs: number;
}

/** Seconds the diagnosis of each pitfall's first run may spend on trials. */
const DIAGNOSIS_BUDGET = 30;

function annotatedPitfalls(): Annotated[] {
  return readdirSync(PITFALL_DIR)
    .filter((name) => name.endsWith('.tsae.yaml'))
    .sort()
    .flatMap((name) => {
      const file = path.join(PITFALL_DIR, name);
      const text = readFileSync(file, 'utf8');
      const expect = /^# expect-runtime:\s*(.+)$/m.exec(text);
      if (!expect) return [];
      const epochs = Number(/^# runtime-epochs:\s*(\d+)\s*$/m.exec(text)?.[1] ?? DEFAULT_EPOCHS);
      const blame = (/^# expect-blame:\s*(.+)$/m.exec(text)?.[1] ?? '')
        .split('|')
        .map((k) => k.trim())
        .filter(Boolean);
      return [{ file, expected: expect[1].trim().split(/\s+/), blame, epochs }];
    });
}

/** Trains `config` with the real CLI (and diagnoses its findings when asked); returns the run summary it prints last. */
function train(config: string, epochs: number, out: string, diagnose = false): RunSummary {
  const diagnosis = diagnose ? ['--diagnose', '--diagnose-budget', String(DIAGNOSIS_BUDGET)] : [];
  const result = spawnSync(process.execPath, [CLI, 'train', config, '--out', out, '--json', '--epochs', String(epochs), ...diagnosis], {
    encoding: 'utf8',
    timeout: RUN_TIMEOUT_MS,
    cwd: path.dirname(config),
  });
  const lines = (result.stdout ?? '').trim().split('\n');
  const summaryLine = lines.reverse().find((line) => line.includes('"type":"summary"'));
  assert.ok(summaryLine, `no summary from tsae train ${config} (exit ${result.status}): ${result.stderr}\n${result.stdout?.slice(-2000)}`);
  const summary = JSON.parse(summaryLine) as RunSummary & { type: string; message?: string };
  assert.equal(summary.status, 'completed', `training ${path.basename(config)} did not complete: ${summary.message ?? summary.reason ?? ''}`);
  return summary;
}

/** A score that compares runs: the validation reconstruction error, else the validation loss. */
function errorOf(summary: RunSummary): number {
  const error = summary.reconstructionError ?? summary.valLoss;
  assert.ok(typeof error === 'number' && Number.isFinite(error), 'the run reported no reconstruction error');
  return error;
}

/** 0-based line of the key at the end of a dotted path such as `model.latent.activation`. */
function blamedLine(text: string, configPath: string): number {
  const key = configPath
    .split('.')
    .pop()!
    .replace(/\[\d+\]$/, '');
  return text.split('\n').findIndex((line) => new RegExp(`^\\s*-?\\s*${key}\\s*:`).test(line));
}

/** Asserts that the finding's range in `file` is the line of the key it blames (when written). */
function assertBlamesItsLine(file: string, finding: RunFinding): void {
  const lint = lintFile(file);
  assert.ok(lint.parsed, `${file} does not parse`);
  const range = findRange(lint.parsed, finding.configPath);
  const keyLine = blamedLine(readFileSync(file, 'utf8'), finding.configPath);
  if (keyLine >= 0) assert.equal(range.start.line, keyLine, `${finding.code} range is not on the ${finding.configPath} line of ${path.basename(file)}`);
}

/** Writes `file` with the finding's fix applied to `target`; the data path is made absolute so the copy can live elsewhere. */
function writeFixed(file: string, finding: RunFinding, target: string): void {
  assert.ok(finding.fix, `${finding.code} (${finding.configPath}) offers no fix for ${path.basename(file)}`);
  const lint = lintFile(file);
  assert.ok(lint.parsed && lint.resolved, `${file} does not resolve`);
  writeFileSync(target, applyConfigChanges(readFileSync(file, 'utf8'), file, [...finding.fix.changes, { path: 'data.path', value: lint.resolved.dataFile }]));
}

const haveCli = existsSync(CLI);

describe('runtime detectors on the pitfall examples', { skip: haveCli ? false : 'dist/cli.js not built (run npm run build)' }, () => {
  const work = mkdtempSync(path.join(os.tmpdir(), 'tsae-pitfalls-'));
  process.on('exit', () => rmSync(work, { recursive: true, force: true }));
  const runs = path.join(work, 'runs');

  // The acceptance asks every pitfall to reproduce its failure; any that does not yet is listed
  // here so the gap shows in every test report instead of passing silently.
  const notReproduced = new Set<string>();
  test('every pitfall declares the runtime failure it reproduces', { todo: notReproduced.size > 0 ? `not reproduced yet: ${[...notReproduced].join(', ')}` : false }, () => {
    const pitfalls = readdirSync(PITFALL_DIR).filter((name) => name.endsWith('.tsae.yaml'));
    assert.deepEqual(
      annotatedPitfalls().map((p) => path.basename(p.file)),
      pitfalls.sort(),
    );
  });

  for (const pitfall of annotatedPitfalls()) {
    const name = path.basename(pitfall.file, '.tsae.yaml');
    test(`${name}: ${pitfall.expected.join(' ')} fires on the blamed line and its fixes lead to a clean, better run`, { timeout: (MAX_FIX_ROUNDS + 1) * RUN_TIMEOUT_MS }, () => {
      const started = Date.now();
      const before = train(pitfall.file, pitfall.epochs, runs, true);
      const codes = before.findings.map((f) => f.code);
      for (const code of pitfall.expected) assert.ok(codes.includes(code), `${name}: expected ${code}, got ${JSON.stringify(codes)}`);
      // The diagnosis blames the expected key; the figures say whether a trial verified it.
      const diagnosed = before.findings.find((f) => f.code === pitfall.expected[0])!;
      assert.ok(
        pitfall.blame.includes(diagnosed.configPath),
        `${name}: ${diagnosed.code} blamed ${diagnosed.configPath}, expected ${pitfall.blame.join(' or ')}: ${diagnosed.message}`,
      );
      const diagnosis = {
        status: before.diagnosis?.status,
        certainty: diagnosed.certainty,
        candidates: before.diagnosis?.candidates.map((c) => `${c.verdict} ${c.configPath}${c.errorChange === undefined ? '' : ` ${Math.round(c.errorChange * 100)}%`}`),
        seconds: before.diagnosis?.seconds,
      };

      const steps: Array<{ finding: string; blamed: string; fix: string; data: unknown; errorAfter: number; findingsAfter: string[] }> = [];
      let current = pitfall.file;
      let last = before;
      let finding: RunFinding | undefined = before.findings.find((f) => f.code === pitfall.expected[0]);
      for (let round = 1; finding; round++) {
        assert.ok(round <= MAX_FIX_ROUNDS, `${name}: still ${JSON.stringify(last.findings.map((f) => f.code))} after ${MAX_FIX_ROUNDS} fixes`);
        assertBlamesItsLine(current, finding);
        const fixed = path.join(work, `${name}.fix${round}.tsae.yaml`);
        writeFixed(current, finding, fixed);
        last = train(fixed, pitfall.epochs, runs);
        steps.push({
          finding: finding.code,
          blamed: finding.configPath,
          fix: finding.fix!.changes.map((c) => `${c.path} = ${JSON.stringify(c.value)}`).join(', '),
          data: finding.data,
          errorAfter: errorOf(last),
          findingsAfter: last.findings.map((f) => `${f.code} ${f.configPath}`),
        });
        current = fixed;
        // Prefer a finding that offers a fix; one that offers none fails in writeFixed.
        finding = last.findings.find((f) => f.fix) ?? last.findings[0];
      }

      const errorBefore = errorOf(before);
      const errorAfter = errorOf(last);
      console.log(JSON.stringify({ example: name, epochs: pitfall.epochs, diagnosis, errorBefore, steps, errorAfter, seconds: Math.round((Date.now() - started) / 1000) }));
      assert.deepEqual(last.findings, [], 'runtime findings after the fixes');
      assert.ok(
        errorAfter < (1 - REQUIRED_IMPROVEMENT) * errorBefore,
        `the fixes did not improve the reconstruction error by ${REQUIRED_IMPROVEMENT * 100}%: ${errorBefore} -> ${errorAfter}`,
      );
    });
  }

  for (const good of GOOD_EXAMPLES) {
    test(`${good.file} (a good example) trains ${good.epochs} epochs without a finding that asks for a change`, { timeout: RUN_TIMEOUT_MS }, () => {
      const started = Date.now();
      const run = train(path.join(REPO_ROOT, 'examples', good.file), good.epochs, runs);
      console.log(
        JSON.stringify({
          example: good.file,
          epochs: good.epochs,
          error: errorOf(run),
          findings: run.findings.map((f) => `${f.code} ${f.severity}`),
          seconds: Math.round((Date.now() - started) / 1000),
        }),
      );
      const actionable = run.findings.filter((f) => f.severity !== 'info' || f.fix !== undefined);
      assert.deepEqual(
        actionable.map((f) => `${f.code} ${f.severity}: ${f.message}`),
        [],
      );
    });
  }
});
