// The rule registry and its documentation stay in step: unique ordered codes, one page per rule
// with the required sections, one rule per page, and the index table listing every rule.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { rules } from '../../src/core/rules/index';
import { DOCS_BASE } from '../../src/core/rules/docs';
import { formatNumber } from '../../src/core/rules/facts';
import { MAX_COMPRESSION_RATIO } from '../../src/core/rules/tsae103-undersized-latent';
import { LEARNING_RATE_RANGES } from '../../src/core/rules/tsae104-learning-rate-out-of-range';
import { MAX_LAYER_DROPOUT } from '../../src/core/rules/tsae110-excessive-dropout';
import { MAX_ABS_VALUE, MAX_OFFSET_IN_STDS, MAX_STD } from '../../src/core/rules/tsae112-unscaled-input';
import { repoRoot } from '../helpers/textEdits';

const docsDir = join(repoRoot(), 'docs', 'rules');
const REQUIRED_SECTIONS = ['## What it does', '## Why is this bad?', '## Example', '## Use instead', '## References'];

describe('rule registry', () => {
  test('has at least the twelve pitfall rules TSAE101..TSAE112', () => {
    const codes = rules.map((rule) => rule.code);
    for (let n = 101; n <= 112; n++) assert.ok(codes.includes(`TSAE${n}`), `TSAE${n} is registered`);
  });

  test('codes are unique, well-formed and in ascending order', () => {
    const codes = rules.map((rule) => rule.code);
    assert.equal(new Set(codes).size, codes.length, `duplicate codes in ${codes.join(', ')}`);
    for (const code of codes) assert.match(code, /^TSAE1\d\d$/);
    assert.deepEqual(codes, [...codes].sort());
  });

  test('names are unique kebab-case and match the rule file names', () => {
    const names = rules.map((rule) => rule.name);
    assert.equal(new Set(names).size, names.length);
    const files = readdirSync(join(repoRoot(), 'src', 'core', 'rules')).filter((file) => /^tsae1\d\d-.*\.ts$/.test(file));
    for (const rule of rules) {
      assert.match(rule.name, /^[a-z]+(-[a-z]+)*$/);
      assert.ok(files.includes(`${rule.code.toLowerCase()}-${rule.name}.ts`), `file ${rule.code.toLowerCase()}-${rule.name}.ts exists`);
    }
    assert.equal(files.length, rules.length, `every tsae1NN-*.ts file is registered: ${files.join(', ')}`);
  });

  test('every rule has a title, a one-paragraph summary, a severity and a since-version', () => {
    for (const rule of rules) {
      assert.ok(rule.title.length > 10, rule.code);
      assert.ok(rule.summary.length > 80 && !rule.summary.includes('\n'), `${rule.code} summary is one paragraph`);
      assert.ok(['error', 'warning', 'info', 'hint'].includes(rule.severity), rule.code);
      assert.ok(['always', 'sometimes', 'none'].includes(rule.fixAvailability), rule.code);
      assert.match(rule.since ?? '', /^\d+\.\d+\.\d+$/, `${rule.code} says since which version it exists`);
    }
  });

  test('doc links point at docs/rules/<code>.md', () => {
    assert.equal(DOCS_BASE, 'https://github.com/tsae-lab/tsae/blob/main/docs/rules/');
  });
});

describe('rule documentation', () => {
  for (const rule of rules) {
    test(`${rule.code} has a page with title and all sections in order`, () => {
      const page = readFileSync(join(docsDir, `${rule.code}.md`), 'utf8');
      assert.equal(page.split('\n')[0], `# ${rule.code}: ${rule.title}`);
      let last = -1;
      for (const section of REQUIRED_SECTIONS) {
        const at = page.indexOf(`\n${section}\n`);
        assert.ok(at > last, `${rule.code}.md has "${section}" after the previous section`);
        last = at;
      }
      const example = page.slice(page.indexOf('## Example'), page.indexOf('## Use instead'));
      assert.match(example, /```(yaml|json)\n[\s\S]+?```/, `${rule.code}.md has a config snippet in Example`);
      const references = page.slice(page.indexOf('## References'));
      assert.match(references, /\n- .+/, `${rule.code}.md lists at least one reference`);
    });
  }

  test('every TSAE1xx page belongs to a registered rule', () => {
    const codes = new Set(rules.map((rule) => rule.code));
    const pages = readdirSync(docsDir).filter((file) => /^TSAE1\d\d\.md$/.test(file));
    for (const page of pages) assert.ok(codes.has(page.replace('.md', '')), `${page} has a rule`);
  });

  test('the index lists every rule with its title and severity', () => {
    const index = readFileSync(join(docsDir, 'README.md'), 'utf8');
    for (const rule of rules) {
      const row = index.split('\n').find((line) => line.startsWith(`| [${rule.code}](${rule.code}.md) |`));
      assert.ok(row, `README.md has a row for ${rule.code}`);
      const cells = row.split('|').map((cell) => cell.trim());
      assert.equal(cells[2], rule.title, `${rule.code} title in README.md`);
      assert.equal(cells[3], rule.severity, `${rule.code} severity in README.md`);
      assert.ok(cells[4].startsWith(rule.fixAvailability), `${rule.code} fix availability in README.md`);
    }
  });
});

describe('thresholds in the docs are the ones in the code', () => {
  const page = (code: string): string => readFileSync(join(docsDir, `${code}.md`), 'utf8');

  test('TSAE103 compression threshold', () => {
    assert.ok(page('TSAE103').includes(`**${MAX_COMPRESSION_RATIO}:1**`));
  });

  test('TSAE104 table of ranges and defaults', () => {
    const text = page('TSAE104');
    for (const [optimizer, range] of Object.entries(LEARNING_RATE_RANGES)) {
      const row = `| ${optimizer} | ${formatNumber(range.min)} .. ${formatNumber(range.max)} | ${formatNumber(range.default)} |`;
      assert.ok(text.includes(row), `TSAE104.md has ${row}`);
    }
  });

  test('TSAE110 and TSAE112 limits', () => {
    assert.ok(page('TSAE110').includes(`above ${MAX_LAYER_DROPOUT}`));
    assert.ok(page('TSAE112').includes(`|mean| > ${MAX_OFFSET_IN_STDS} x std, std > ${MAX_STD} or max |x| > ${MAX_ABS_VALUE}`));
  });
});
