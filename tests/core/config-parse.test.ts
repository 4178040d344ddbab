// Parsing configs into values and source maps: exact LSP ranges in YAML and JSON, TSAE001 on
// syntax errors, and no exceptions on hostile input.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig } from '../../src/core/config/parse';
import type { Range } from '../../src/core/types';

function r(startLine: number, startChar: number, endLine: number, endChar: number): Range {
  return { start: { line: startLine, character: startChar }, end: { line: endLine, character: endChar } };
}

const YAML_TEXT = [
  'data:', //                      0
  '  path: data/ecg.txt', //       1
  'model:', //                     2
  '  encoder:', //                 3
  '    - units: 32', //            4
  '      activation: tanh', //     5
  '    - {units: 16}', //          6
  '  latent: {size: 8}', //        7
  '  # ünïcödé 😀 comment', //     8
  '  decoder: [ {units: 16} ]', // 9
  'name: "😀x"', //                10
].join('\n');

describe('YAML source map', () => {
  const parsed = parseConfig(YAML_TEXT, '/w/a.tsae.yaml');

  test('parses without findings and yields the plain value', () => {
    assert.equal(parsed.format, 'yaml');
    assert.deepEqual(parsed.syntaxFindings, []);
    assert.deepEqual((parsed.value as any).model.encoder[1], { units: 16 });
    assert.equal((parsed.value as any).name, '😀x');
  });

  test('nested keys and values have exact ranges', () => {
    assert.deepEqual(parsed.spans.get('data.path'), { key: r(1, 2, 1, 6), value: r(1, 8, 1, 20) });
    assert.deepEqual(parsed.spans.get('data')?.key, r(0, 0, 0, 4));
  });

  test('array items in block and flow style', () => {
    assert.deepEqual(parsed.spans.get('model.encoder.0.units'), { key: r(4, 6, 4, 11), value: r(4, 13, 4, 15) });
    assert.deepEqual(parsed.spans.get('model.encoder.0.activation'), { key: r(5, 6, 5, 16), value: r(5, 18, 5, 22) });
    assert.equal(parsed.spans.get('model.encoder.1')?.key, undefined);
    assert.deepEqual(parsed.spans.get('model.encoder.1')?.value, r(6, 6, 6, 17));
    assert.deepEqual(parsed.spans.get('model.encoder.1.units'), { key: r(6, 7, 6, 12), value: r(6, 14, 6, 16) });
    assert.deepEqual(parsed.spans.get('model.latent.size'), { key: r(7, 11, 7, 15), value: r(7, 17, 7, 18) });
    assert.deepEqual(parsed.spans.get('model.decoder.0.units'), { key: r(9, 14, 9, 19), value: r(9, 21, 9, 23) });
  });

  test('characters count UTF-16 code units (an emoji is two)', () => {
    assert.deepEqual(parsed.spans.get('name'), { key: r(10, 0, 10, 4), value: r(10, 6, 10, 11) });
  });

  test('a key without a value gets an empty value range after the colon', () => {
    const empty = parseConfig('training:\n  epochs:\n', '/w/a.tsae.yaml');
    assert.deepEqual(empty.spans.get('training.epochs'), { key: r(1, 2, 1, 8), value: r(1, 9, 1, 9) });
  });
});

const JSON_TEXT = [
  '{', //                                            0
  '  // comments are allowed', //                    1
  '  "data": { "path": "x.csv", "columns": ["value"] },', // 2
  '  "model": {', //                                 3
  '    "encoder": [ { "units": 32 }, { "units": 16 } ],', // 4
  '    "latent": { "size": 4, },', //                5
  '  }', //                                          6
  '}',
].join('\n');

describe('JSON source map', () => {
  const parsed = parseConfig(JSON_TEXT, '/w/a.tsae.json');

  test('JSON with comments and trailing commas parses cleanly', () => {
    assert.equal(parsed.format, 'json');
    assert.deepEqual(parsed.syntaxFindings, []);
    assert.deepEqual((parsed.value as any).model.latent, { size: 4 });
    const proto = parseConfig('{"__proto__": {"polluted": 1}}', '/w/a.tsae.json');
    assert.equal(Object.getPrototypeOf(proto.value), Object.prototype);
    assert.deepEqual(Object.keys(proto.value as object), ['__proto__']);
  });

  test('keys include their quotes; values are exact', () => {
    assert.deepEqual(parsed.spans.get('data.path'), { key: r(2, 12, 2, 18), value: r(2, 20, 2, 27) });
    assert.deepEqual(parsed.spans.get('data.columns.0'), { value: r(2, 41, 2, 48) });
    assert.deepEqual(parsed.spans.get('model.encoder.1.units'), { key: r(4, 36, 4, 43), value: r(4, 45, 4, 47) });
    assert.deepEqual(parsed.spans.get('model.latent')?.key, r(5, 4, 5, 12));
  });
});

describe('TSAE001 syntax errors', () => {
  test('malformed YAML is reported on the offending range', () => {
    const tabs = parseConfig('data:\n\tpath: x\n', '/w/a.tsae.yaml');
    assert.equal(tabs.syntaxFindings.length, 1);
    assert.equal(tabs.syntaxFindings[0].code, 'TSAE001');
    assert.equal(tabs.syntaxFindings[0].severity, 'error');
    assert.equal(tabs.syntaxFindings[0].message, 'YAML syntax error: Tabs are not allowed as indentation');
    assert.deepEqual(tabs.syntaxFindings[0].range, r(1, 0, 1, 1));
    const compact = parseConfig('name: a\nmodel: b: c\n', '/w/a.tsae.yaml');
    assert.deepEqual(compact.syntaxFindings[0].range, r(1, 7, 1, 8));
    assert.equal(compact.value, undefined);
  });

  test('duplicate YAML keys are a syntax error on the second key', () => {
    const parsed = parseConfig('name: a\nname: b\n', '/w/a.tsae.yaml');
    assert.equal(parsed.syntaxFindings.length, 1);
    assert.equal(parsed.syntaxFindings[0].range.start.line, 1);
  });

  test('malformed JSON is reported at the exact offset', () => {
    const parsed = parseConfig('{\n  "data": { "path": "x.csv" \n  "model": {}\n}', '/w/a.tsae.json');
    assert.equal(parsed.syntaxFindings[0].code, 'TSAE001');
    assert.match(parsed.syntaxFindings[0].message, /JSON syntax error: comma expected/);
    assert.deepEqual(parsed.syntaxFindings[0].range, r(2, 2, 2, 9));
    assert.equal(parsed.value, undefined);
  });
});

describe('hostile input never throws', () => {
  const cases: Array<[string, string]> = [
    ['binary garbage', String.fromCharCode(...Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256))],
    ['NUL bytes', 'data:\0\0\0\n  path: x'],
    ['deep flow nesting', '['.repeat(50_000) + ']'.repeat(50_000)],
    ['deep block nesting', Array.from({ length: 2000 }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n')],
    [
      'alias bomb',
      'a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n',
    ],
    ['empty', ''],
    ['scalar document', '42\n'],
    ['several documents', 'a: 1\n---\nb: 2\n'],
  ];
  for (const format of ['yaml', 'json'] as const) {
    for (const [name, text] of cases) {
      test(`${format}: ${name}`, () => {
        const parsed = parseConfig(text, format === 'json' ? '/w/a.tsae.json' : '/w/a.tsae.yaml');
        assert.equal(parsed.text, text);
        for (const finding of parsed.syntaxFindings) assert.equal(finding.code, 'TSAE001');
        if (name === 'binary garbage' || name === 'deep flow nesting') assert.ok(parsed.syntaxFindings.length > 0 || parsed.value !== undefined);
      });
    }
  }

  test('a 5 MB config parses', () => {
    const line = `  ${'lorem ipsum '.repeat(8)}\n`;
    const text = `data:\n  path: x.csv\ndescription: |\n${line.repeat(Math.ceil(5_000_000 / line.length))}`;
    const parsed = parseConfig(text, '/w/big.tsae.yaml');
    assert.deepEqual(parsed.syntaxFindings, []);
    assert.equal((parsed.value as any).data.path, 'x.csv');
  });
});
