// Every runtime detector has a unique code, a file named after it and a doc page with the
// sections the static rules use, and the rules index lists it.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { DETECTORS } from '../../src/core/detectors';
import { REPO_ROOT } from '../core/dataConfig';

const SECTIONS = ['## What it does', '## Why is this bad?', '## Example', '## Use instead', '## References'];

test('detector codes are unique, TSAE2xx, in order, one source file each', () => {
  const codes = DETECTORS.map((d) => d.code);
  assert.equal(new Set(codes).size, codes.length);
  assert.deepEqual(codes, [...codes].sort());
  const files = readdirSync(path.join(REPO_ROOT, 'src', 'core', 'detectors'));
  for (const d of DETECTORS) {
    assert.match(d.code, /^TSAE2\d\d$/);
    const file = `tsae${d.code.slice(4)}-${d.name}.ts`;
    assert.ok(files.includes(file), `expected src/core/detectors/${file}`);
    assert.ok(d.summary.length > 20 && d.summary.endsWith('.'), `${d.code} summary`);
  }
});

test('each detector has a doc page with every section and at least one reference', () => {
  const index = readFileSync(path.join(REPO_ROOT, 'docs', 'rules', 'README.md'), 'utf8');
  for (const d of DETECTORS) {
    const page = path.join(REPO_ROOT, 'docs', 'rules', `${d.code}.md`);
    assert.ok(existsSync(page), `missing ${page}`);
    const text = readFileSync(page, 'utf8');
    assert.match(text, new RegExp(`^# ${d.code}: `));
    assert.ok(text.includes(`severity **${d.severity}**`), `${d.code} page states a different severity`);
    let at = -1;
    for (const section of SECTIONS) {
      const next = text.indexOf(section);
      assert.ok(next > at, `${d.code}: "${section}" missing or out of order`);
      at = next;
    }
    assert.match(text.slice(text.indexOf('## References')), /\n- .+\(\d{4}\)|\n- .+https?:\/\//);
    assert.ok(index.includes(`[${d.code}](${d.code}.md)`), `${d.code} missing from docs/rules/README.md`);
  }
});
