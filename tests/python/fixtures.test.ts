// The Python fixture suite: every file in tests/fixtures/python states the findings it must get
// with `# expect: CODE ...` comments on the lines they start on (`# expect: none` for clean
// files), and gets exactly those. The five reports re-typed get the findings of their pitfall
// configs in examples/pitfalls/; quick fixes remove their finding.

import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { initPythonParser } from '../../src/core/python/parser';
import { lintPython } from '../../src/core/python/lint';
import { lintNotebookCells, readIpynb } from '../../src/core/python/notebook';
import { applyEdits, repoRoot } from '../helpers/textEdits';
import { PYTHON_BENCH_LINES, thousandLinePython } from '../../bench/python-lint-latency';

const dir = join(repoRoot(), 'tests', 'fixtures', 'python');
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.py') || f.endsWith('.ipynb'))
  .sort();

/** `CODE@line` (1-based) for a .py file, `CODE@cell:line` for a notebook. */
function expectedIn(text: string, prefix = ''): string[] {
  const expected: string[] = [];
  text.split('\n').forEach((line, index) => {
    const match = /#\s*expect:\s*([A-Z0-9 ]+?)\s*$/.exec(line);
    if (!match || match[1] === 'none') return;
    for (const code of match[1].split(/\s+/)) expected.push(`${code}@${prefix}${index + 1}`);
  });
  return expected.sort();
}

function declaresClean(text: string): boolean {
  return /#\s*expect:\s*none\b/.test(text);
}

function lintFixture(file: string): { actual: string[]; expected: string[]; clean: boolean } {
  const text = readFileSync(join(dir, file), 'utf8');
  if (file.endsWith('.ipynb')) {
    const cells = readIpynb(text, file);
    const { cellFindings } = lintNotebookCells(cells, file);
    const expected = cells.flatMap((cell, i) => (cell.kind === 'code' ? expectedIn(cell.text, `${i + 1}:`) : [])).sort();
    const actual = cellFindings.map(({ cell, finding }) => `${finding.code}@${cell + 1}:${finding.range.start.line + 1}`).sort();
    return { actual, expected, clean: cells.some((c) => declaresClean(c.text)) };
  }
  const actual = lintPython(text, file)
    .findings.map((f) => `${f.code}@${f.range.start.line + 1}`)
    .sort();
  return { actual, expected: expectedIn(text), clean: declaresClean(text) };
}

before(async () => {
  await initPythonParser();
});

describe('python fixtures', () => {
  test('the suite has at least 40 files, 12 of them clean, with notebooks, syntax errors and unknowable values', () => {
    assert.ok(files.length >= 40, `${files.length} fixtures`);
    const clean = files.filter((f) => lintFixture(f).clean);
    assert.ok(clean.length >= 12, `${clean.length} clean fixtures`);
    assert.ok(files.some((f) => f.endsWith('.ipynb')));
    assert.ok(files.some((f) => f.startsWith('syntax_')));
    assert.ok(files.some((f) => f.startsWith('unknown_')));
  });

  for (const file of files) {
    test(file, () => {
      const { actual, expected, clean } = lintFixture(file);
      assert.ok(clean || expected.length > 0, `${file} declares its findings (# expect: ... or # expect: none)`);
      if (clean) assert.deepEqual(actual, [], `${file} is declared clean`);
      else assert.deepEqual(actual, expected);
    });
  }
});

describe('the five reports', () => {
  const reports: Record<string, string> = {
    'report1_torch_latent_as_time_axis.py': '01-latent-as-time-axis.tsae.yaml',
    'report2_keras_relu_bottleneck.py': '02-relu-bottleneck.tsae.yaml',
    'report3_torch_lstmcell_mean.py': '03-mean-collapse.tsae.yaml',
    'report4_keras_extreme_compression.py': '04-extreme-compression.tsae.yaml',
    'report5_keras_stateful_seq2seq.py': '05-stateful-seq2seq.tsae.yaml',
  };
  for (const [report, pitfall] of Object.entries(reports)) {
    test(`${report} gets every finding of ${pitfall}`, () => {
      const config = readFileSync(join(repoRoot(), 'examples', 'pitfalls', pitfall), 'utf8');
      const codes = /^# expect: (.+)$/m.exec(config)![1].trim().split(/\s+/);
      const text = readFileSync(join(dir, report), 'utf8');
      const found = new Set(lintPython(text, report).findings.map((f) => f.code));
      for (const code of codes) assert.ok(found.has(code), `${report} lacks ${code} (has ${[...found].join(', ')})`);
    });
  }
});

describe('quick fixes on Python', () => {
  test('each fix edits one literal and removes its finding', () => {
    let exercised = 0;
    for (const file of files.filter((f) => f.endsWith('.py'))) {
      const text = readFileSync(join(dir, file), 'utf8');
      for (const finding of lintPython(text, file).findings) {
        if (!finding.fix || finding.fix.edits.length === 0) continue;
        exercised++;
        assert.equal(finding.fix.edits.length, 1, `${file}: ${finding.fix.title}`);
        const after = lintPython(applyEdits(text, finding.fix.edits), file).findings;
        assert.ok(
          !after.some((f) => f.code === finding.code && f.configPath === finding.configPath),
          `${file}: ${finding.code} on ${finding.configPath} is gone after "${finding.fix.title}"`,
        );
      }
    }
    assert.ok(exercised >= 10, `${exercised} fixes exercised`);
  });
});

describe('the bench file', () => {
  test('the generated Python file for the lint-latency bench has 1,000 lines and a finding to publish', () => {
    const text = thousandLinePython();
    assert.equal(text.split('\n').length - 1, PYTHON_BENCH_LINES);
    assert.deepEqual(
      lintPython(text, 'bench.py')
        .findings.map((f) => f.code)
        .sort(),
      ['TSAE101', 'TSAE103'],
    );
  });
});
