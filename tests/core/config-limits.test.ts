// Config parsing in linear time and the same in YAML and JSON (issue 11 items 2 and 9): duplicate
// keys are found in one pass and reported in both formats; only real brackets and indentation
// count toward the nesting limit, never those inside comments or block scalars; a text over the
// size limit is refused before the (slow) YAML parser sees it.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_CONFIG_ENTRIES, MAX_NESTING, parseConfig } from '../../src/core/config/parse';
import { lintText } from '../../src/core/lint';

const YAML = '/w/a.tsae.yaml';
const JSON_FILE = '/w/a.tsae.json';

function messages(text: string, file: string): string[] {
  return parseConfig(text, file).syntaxFindings.map((f) => `${f.range.start.line}:${f.range.start.character} ${f.message}`);
}

describe('duplicate keys', () => {
  test('YAML: each repeat is reported on its key, naming the first line', () => {
    const text = 'data:\n  path: a.csv\n  path: b.csv\nmodel: {}\nmodel: {}\n';
    assert.deepEqual(messages(text, YAML), ['2:2 duplicate key "path" (first on line 2); keys must be unique', '4:0 duplicate key "model" (first on line 4); keys must be unique']);
  });

  test('JSON: repeats are reported like YAML, not silently resolved to the last value', () => {
    const text = '{\n  "data": {"path": "a.csv", "path": "b.csv"},\n  "windowing": {"length": 8}\n}';
    assert.deepEqual(messages(text, JSON_FILE), ['1:28 duplicate key "path" (first on line 2); keys must be unique']);
    assert.equal(parseConfig(text, JSON_FILE).value, undefined);
    // The same key in different mappings is no repeat.
    assert.deepEqual(messages('{"a": {"x": 1}, "b": {"x": 2}}', JSON_FILE), []);
  });

  test('9,000 keys (under the entry limit) parse in one pass, with a repeat found at the end', () => {
    const keys = Array.from({ length: 9_000 }, (_, i) => `  k${i}: ${i}`);
    const yaml = `extra:\n${keys.join('\n')}\n  k7: again\n`;
    assert.deepEqual(messages(yaml, YAML), ['9001:2 duplicate key "k7" (first on line 9); keys must be unique']);
    const json = `{"extra": {${Array.from({ length: 9_000 }, (_, i) => `"k${i}": ${i}`).join(', ')}}}`;
    assert.deepEqual(messages(json, JSON_FILE), []);
  });

  test('60,000 keys (under 1 MB) are refused before parsing, saying how many; long text alone is not', () => {
    const keys = Array.from({ length: 60_000 }, (_, i) => `  k${i}: ${i}`);
    const yaml = `data: {path: x.csv}\nwindowing: {length: 8}\nmodel: {encoder: [{units: 4}], latent: {size: 2}, decoder: [{units: 4}]}\nextra:\n${keys.join('\n')}\n`;
    assert.ok(yaml.length < 1024 * 1024);
    const linted = lintText(yaml, { fileName: YAML, readFile: () => undefined });
    assert.deepEqual(
      linted.findings.map((f) => `${f.code} ${f.range.start.line}`),
      ['TSAE001 0'],
    );
    assert.match(
      linted.findings[0].message,
      /^the config has about 60,00\d entries \(keys and list items\), over the limit of 10,000 for a config, so it was not parsed or checked/,
    );
    assert.equal(linted.parsed?.value, undefined);
    const json = `{"extra": {${Array.from({ length: 60_000 }, (_, i) => `"k${i}": ${i}`).join(', ')}}}`;
    assert.match(messages(json, JSON_FILE)[0], /about 59,999 entries/);
    const flow = `extra: [${Array.from({ length: MAX_CONFIG_ENTRIES + 1 }, (_, i) => i).join(', ')}]\n`;
    assert.match(messages(flow, YAML)[0], /over the limit/);
    // Commas and lines inside quotes, comments and block scalars are no entries.
    const text = `# ${','.repeat(20_000)}\nname: "${','.repeat(20_000)}"\ndescription: |\n${'  text, text\n'.repeat(20_000)}windowing: {length: 8}\n`;
    assert.deepEqual(messages(text, YAML), []);
  });
});

describe('nesting limit', () => {
  const deep = '['.repeat(MAX_NESTING + 5);

  test('brackets in YAML comments and block scalars do not count', () => {
    const text = `# ${deep}\nname: x # ${deep}\ndescription: |\n  ${deep}\n  more ${deep}\nnote: >-\n    ${deep}\nwindowing:\n  length: 8\n`;
    const parsed = parseConfig(text, YAML);
    assert.deepEqual(parsed.syntaxFindings, []);
    assert.equal((parsed.value as { description: string }).description, `${deep}\nmore ${deep}\n`);
  });

  test('brackets in JSON comments and strings (with escaped quotes) do not count', () => {
    const text = `{\n  // ${deep}\n  /* ${deep} */\n  "name": "a\\"${deep}",\n  "windowing": {"length": 8}\n}`;
    assert.deepEqual(parseConfig(text, JSON_FILE).syntaxFindings, []);
  });

  test('real nesting past the limit is still refused', () => {
    assert.match(messages(`a: ${deep}${']'.repeat(MAX_NESTING + 5)}\n`, YAML)[0], /nested more than 100 levels/);
    assert.match(messages(`{"a": ${deep}}`, JSON_FILE)[0], /nested more than 100 levels/);
  });
});
