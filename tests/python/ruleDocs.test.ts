// Each static rule's page has an "In Keras and PyTorch code" section, and every Python example in
// it gets that rule's finding from the Python front end (the docs cannot drift from the code).

import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { rules } from '../../src/core/rules/index';
import { lintPython } from '../../src/core/python/lint';
import { initPythonParser } from '../../src/core/python/parser';
import { repoRoot } from '../helpers/textEdits';

/** Rules that read only what code can hold get both a Keras and a PyTorch example. */
const BOTH = ['TSAE101', 'TSAE103', 'TSAE104', 'TSAE105', 'TSAE107', 'TSAE109', 'TSAE110'];

before(async () => {
  await initPythonParser();
});

test('every static rule page has a Keras/PyTorch section whose examples get the rule', () => {
  let examples = 0;
  for (const rule of rules) {
    const text = readFileSync(join(repoRoot(), 'docs', 'rules', `${rule.code}.md`), 'utf8');
    const start = text.indexOf('## In Keras and PyTorch code');
    assert.ok(start > 0, `${rule.code}: no "In Keras and PyTorch code" section`);
    const end = text.indexOf('\n## ', start + 1);
    const section = text.slice(start, end < 0 ? undefined : end);
    const blocks = [...section.matchAll(/```python\n([\s\S]*?)```/g)].map((m) => m[1]);
    if (BOTH.includes(rule.code)) {
      assert.match(section, /Keras:\n\n```python/, `${rule.code}: Keras example`);
      assert.match(section, /PyTorch:\n\n```python/, `${rule.code}: PyTorch example`);
    }
    for (const block of blocks) {
      examples++;
      const codes = lintPython(block, `${rule.code}.py`).findings.map((f) => f.code);
      assert.ok(codes.includes(rule.code), `${rule.code}: an example gets ${codes.join(', ') || 'nothing'}:\n${block}`);
    }
  }
  assert.ok(examples >= 17, `${examples} examples`);
});
