// Bad Python never breaks the linter: every fixture cut at seeded points, with seeded lines
// deleted or duplicated, lints without throwing, and every finding lies inside the text.

import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRng } from '../../src/core/data/random';
import { lintPython } from '../../src/core/python/lint';
import { lintNotebookCells } from '../../src/core/python/notebook';
import { initPythonParser } from '../../src/core/python/parser';
import { repoRoot } from '../helpers/textEdits';

const dir = join(repoRoot(), 'tests', 'fixtures', 'python');

before(async () => {
  await initPythonParser();
});

function assertInside(text: string, findings: { range: { start: { line: number }; end: { line: number } }; code: string }[], what: string): void {
  const lines = text.split('\n').length;
  for (const f of findings) {
    assert.ok(f.range.start.line >= 0 && f.range.end.line < lines, `${what}: ${f.code} at line ${f.range.start.line} of ${lines}`);
    assert.notEqual(f.code, 'TSAE000', `${what}: internal error`);
  }
}

test('truncated, shuffled and mangled Python lints without throwing', () => {
  const rng = createRng(13);
  let variants = 0;
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.py'))) {
    const text = readFileSync(join(dir, file), 'utf8');
    const lines = text.split('\n');
    for (let i = 0; i < 8; i++) {
      const cut = text.slice(0, Math.floor(rng() * text.length));
      const dropped = lines.filter(() => rng() > 0.15).join('\n');
      const doubled = lines.flatMap((l) => (rng() < 0.1 ? [l, l] : [l])).join('\n');
      const garbled = text.replace(/[()[\]]/g, (c) => (rng() < 0.05 ? '' : c));
      for (const [kind, variant] of [
        ['cut', cut],
        ['dropped', dropped],
        ['doubled', doubled],
        ['garbled', garbled],
      ] as const) {
        variants++;
        assertInside(variant, lintPython(variant, file).findings, `${file} (${kind} ${i})`);
      }
    }
  }
  assert.ok(variants > 1000, `${variants} variants`);
});

test('deep nesting, huge literals and recursion stay bounded', () => {
  const deep = `x = ${'['.repeat(500)}1${']'.repeat(500)}\n`;
  const recursive = 'def f(n):\n    return f(n + 1)\n\nf(0)\n';
  const loop = 'for i in range(10**9):\n    model.add(LSTM(i))\n';
  const selfRef = 'class A(nn.Module):\n    def forward(self, x):\n        return self(x)\n\nA()(1)\n';
  for (const text of [deep, recursive, loop, selfRef, '\u0000\u0001', '']) assertInside(text, lintPython(text, 'odd.py').findings, JSON.stringify(text.slice(0, 20)));
  assert.deepEqual(
    lintNotebookCells(
      [
        { kind: 'code', text: '%%bash\nls\n' },
        { kind: 'markup', text: '# title' },
      ],
      'nb.ipynb',
    ).cellFindings,
    [],
  );
});
