// The runtime detectors' acceptance test: every pitfall config that carries an
// `# expect-runtime: TSAE2NN` line (examples/pitfalls/ and tests/detectors/fixtures/) is trained
// for real (`node dist/cli.js train`); the expected detector must fire on the config line it
// blames, and training again with the detector's fix applied must clear every runtime finding
// (the fixed config is then a good one) with a reconstruction error lower by a margin. Figures
// are printed for the closing note.
//
// Runs are slow on a shared 2-core machine, so epochs come from `# runtime-epochs: N` in each
// file (default 6) and the suite is skipped when dist/cli.js has not been built.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findRange, lintFile, setValueEdits } from '../../src/core/lint';
import type { RunFinding, RunSummary } from '../../src/core/run/types';
import { applyEdits } from '../helpers/textEdits';
import { REPO_ROOT } from '../core/dataConfig';

const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');
const PITFALL_DIRS = [path.join(REPO_ROOT, 'examples', 'pitfalls'), path.join(REPO_ROOT, 'tests', 'detectors', 'fixtures')];
const DEFAULT_EPOCHS = 6;
/** The fixed run's error must be at least this much lower, so "better" is not noise. */
const REQUIRED_IMPROVEMENT = 0.1;
const RUN_TIMEOUT_MS = 8 * 60_000;

interface Annotated {
  file: string;
  expected: string[];
  epochs: number;
}

function annotatedPitfalls(): Annotated[] {
  return PITFALL_DIRS.filter((dir) => existsSync(dir)).flatMap((dir) =>
    readdirSync(dir)
      .filter((name) => name.endsWith('.tsae.yaml'))
      .sort()
      .flatMap((name) => {
        const file = path.join(dir, name);
        const text = readFileSync(file, 'utf8');
        const expect = /^# expect-runtime:\s*(.+)$/m.exec(text);
        if (!expect) return [];
        const epochs = Number(/^# runtime-epochs:\s*(\d+)\s*$/m.exec(text)?.[1] ?? DEFAULT_EPOCHS);
        return [{ file, expected: expect[1].trim().split(/\s+/), epochs }];
      }),
  );
}

/** Trains `config` with the real CLI; returns the run summary it prints last. */
function train(config: string, epochs: number, out: string): RunSummary {
  const result = spawnSync(process.execPath, [CLI, 'train', config, '--out', out, '--json', '--epochs', String(epochs)], {
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
  const key = configPath.split('.').pop()!.replace(/\[\d+\]$/, '');
  return text.split('\n').findIndex((line) => new RegExp(`^\\s*-?\\s*${key}\\s*:`).test(line));
}

const haveCli = existsSync(CLI);

describe('runtime detectors on the pitfall examples', { skip: haveCli ? false : 'dist/cli.js not built (run npm run build)' }, () => {
  const work = mkdtempSync(path.join(os.tmpdir(), 'tsae-pitfalls-'));
  process.on('exit', () => rmSync(work, { recursive: true, force: true }));

  for (const pitfall of annotatedPitfalls()) {
    const name = path.basename(pitfall.file, '.tsae.yaml');
    test(`${name}: ${pitfall.expected.join(' ')} fires on the blamed line and its fix leaves a clean run`, { timeout: 4 * RUN_TIMEOUT_MS }, () => {
      const text = readFileSync(pitfall.file, 'utf8');
      const before = train(pitfall.file, pitfall.epochs, path.join(work, 'runs'));
      const codes = before.findings.map((f) => f.code);
      for (const code of pitfall.expected) assert.ok(codes.includes(code), `${name}: expected ${code}, got ${JSON.stringify(codes)}`);
      const finding = before.findings.find((f) => f.code === pitfall.expected[0]) as RunFinding;

      const lint = lintFile(pitfall.file);
      assert.ok(lint.parsed, `${name} does not parse`);
      const range = findRange(lint.parsed, finding.configPath);
      const keyLine = blamedLine(text, finding.configPath);
      if (keyLine >= 0) assert.equal(range.start.line, keyLine, `${finding.code} range is not on the ${finding.configPath} line`);

      assert.ok(finding.fix, `${finding.code} offers no fix for ${name}`);
      // The fixed copy lives in a temp folder, so its data path becomes absolute (a second edit).
      assert.ok(lint.resolved, `${name} does not resolve`);
      const edits = [
        ...setValueEdits(lint.parsed, finding.fix.configPath, finding.fix.value),
        ...setValueEdits(lint.parsed, 'data.path', lint.resolved.dataFile),
      ];
      const fixedText = applyEdits(text, edits);
      const fixedFile = path.join(work, `${name}.fixed.tsae.yaml`);
      writeFileSync(fixedFile, fixedText);
      const after = train(fixedFile, pitfall.epochs, path.join(work, 'runs'));

      const figures = {
        example: name,
        finding: finding.code,
        blamed: finding.configPath,
        fix: `${finding.fix.configPath} = ${JSON.stringify(finding.fix.value)}`,
        data: finding.data,
        errorBefore: errorOf(before),
        errorAfter: errorOf(after),
        findingsAfter: after.findings.map((f) => f.code),
      };
      console.log(JSON.stringify(figures));
      assert.deepEqual(after.findings, [], `runtime findings after the fix`);
      assert.ok(
        figures.errorAfter < (1 - REQUIRED_IMPROVEMENT) * figures.errorBefore,
        `the fix did not improve the reconstruction error by ${REQUIRED_IMPROVEMENT * 100}%: ${figures.errorBefore} -> ${figures.errorAfter}`,
      );
    });
  }
});
