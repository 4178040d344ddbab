// How `tsae lint` turns its arguments into config files (in process, on a temp tree).

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { expandTargets, globToRegExp, TargetError } from '../../src/cli/lintTargets';

function withTree(files: string[], body: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'tsae-targets-'));
  try {
    for (const file of files) {
      mkdirSync(join(dir, file, '..'), { recursive: true });
      writeFileSync(join(dir, file), '');
    }
    body(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const tree = ['a.tsae.yaml', 'b.tsae.json', 'notes.yaml', 'sub/c.tsae.yml', 'sub/deeper/d.tsae.yaml', 'sub/data.csv', 'node_modules/pkg/e.tsae.yaml', '.hidden/f.tsae.yaml'];

describe('expandTargets', () => {
  test('a directory expands recursively to configs, skipping node_modules and dot folders', () => {
    withTree(tree, (dir) => {
      const files = expandTargets(['.'], dir).map((f) => relative(dir, f).split('\\').join('/'));
      assert.deepEqual(files, ['a.tsae.yaml', 'b.tsae.json', 'sub/c.tsae.yml', 'sub/deeper/d.tsae.yaml']);
    });
  });

  test('globs match *, **, ? and {a,b} against config files', () => {
    withTree(tree, (dir) => {
      const rel = (args: string[]) => expandTargets(args, dir).map((f) => relative(dir, f).split('\\').join('/'));
      assert.deepEqual(rel(['*.tsae.*']), ['a.tsae.yaml', 'b.tsae.json']);
      assert.deepEqual(rel(['**/*.tsae.yaml']), ['a.tsae.yaml', 'sub/deeper/d.tsae.yaml']);
      assert.deepEqual(rel(['sub/*']), ['sub/c.tsae.yml', 'sub/deeper/d.tsae.yaml']);
      assert.deepEqual(rel(['?.tsae.{json,yml}']), ['b.tsae.json']);
    });
  });

  test('a file named explicitly is kept whatever its name; duplicates are dropped', () => {
    withTree(tree, (dir) => {
      const files = expandTargets(['notes.yaml', 'a.tsae.yaml', '.'], dir).map((f) => relative(dir, f));
      assert.deepEqual(files.slice(0, 2), ['notes.yaml', 'a.tsae.yaml']);
      assert.equal(files.filter((f) => f === 'a.tsae.yaml').length, 1);
    });
  });

  test('missing paths, empty directories and unmatched globs are target errors', () => {
    withTree(['empty/readme.txt'], (dir) => {
      assert.throws(
        () => expandTargets(['missing.tsae.yaml'], dir),
        (e: unknown) => e instanceof TargetError && /missing\.tsae\.yaml/.test(e.message),
      );
      assert.throws(() => expandTargets(['empty'], dir), TargetError);
      assert.throws(() => expandTargets(['*.tsae.yaml'], dir), TargetError);
    });
  });
});

describe('globToRegExp', () => {
  test('keeps * within a folder and lets ** span folders', () => {
    assert.ok(globToRegExp('*.yaml').test('a.yaml'));
    assert.ok(!globToRegExp('*.yaml').test('x/a.yaml'));
    assert.ok(globToRegExp('**/a.yaml').test('a.yaml'));
    assert.ok(globToRegExp('**/a.yaml').test('x/y/a.yaml'));
    assert.ok(!globToRegExp('a.yaml').test('axyaml'), 'dots are literal');
    assert.ok(globToRegExp('a,b').test('a,b'), 'a comma outside braces is literal');
  });
});
