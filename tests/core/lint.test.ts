// lintText end to end: each config check TSAE002-006 on its exact range with a message naming
// the field, rules run leniently, hostile input never throws, hover content, speed.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { readFileSync } from 'node:fs';
import { hoverAt, lintText, lintFile, loadConfigFile, findRange } from '../../src/core/lint';
import type { LintOptions } from '../../src/core/lint';
import { runRules } from '../../src/core/rules/engine';
import type { Rule } from '../../src/core/rules/types';
import type { Finding, Range } from '../../src/core/types';
import { fixturesDir, NAB_CONFIG_YAML } from './configFixtures';

function r(startLine: number, startChar: number, endLine: number, endChar: number): Range {
  return { start: { line: startLine, character: startChar }, end: { line: endLine, character: endChar } };
}

const yamlOptions = (): LintOptions => ({ fileName: path.join(fixturesDir(), 'nab.tsae.yaml') });
const jsonOptions = (): LintOptions => ({ fileName: path.join(fixturesDir(), 'nab.tsae.json') });

function only(findings: Finding[], code: string): Finding[] {
  return findings.filter((f) => f.code === code);
}

function configFindings(findings: Finding[]): Finding[] {
  return findings.filter((f) => /^TSAE00\d$/.test(f.code));
}

describe('a valid config', () => {
  test('lints without config findings and resolves with schema defaults', () => {
    const result = lintText(NAB_CONFIG_YAML, yamlOptions());
    assert.deepEqual(configFindings(result.findings), []);
    assert.ok(result.resolved);
    assert.equal(result.resolved.data.format, 'csv');
    assert.equal(result.resolved.data.layout, 'series');
    assert.equal(result.resolved.dataFile, path.join(fixturesDir(), 'art_daily_small_noise.head.csv'));
    assert.equal(result.resolved.training.learningRate, 0.001);
    assert.equal(result.resolved.model.encoder[1].activation, 'tanh');
    assert.equal(result.probe?.rowsRead, 200);
  });

  test('loadConfigFile resolves a valid file and refuses one with errors', () => {
    const ok = loadConfigFile(path.join(fixturesDir(), 'ecg.tsae.json'));
    assert.ok(ok.resolved, JSON.stringify(ok.findings));
    assert.equal(ok.resolved.data.format, 'ucr');
    assert.equal(ok.resolved.data.layout, 'rows');
    assert.equal(ok.resolved.data.label, 0);
    const bad = loadConfigFile(path.join(fixturesDir(), 'missing-data.tsae.yaml'));
    assert.equal(bad.resolved, undefined);
    assert.deepEqual(
      bad.findings.map((f) => f.code),
      ['TSAE005'],
    );
  });
});

describe('TSAE002 unknown key', () => {
  test('YAML: on the key, with a suggestion', () => {
    const text = NAB_CONFIG_YAML.replace('  batchSize: 16', '  batchsize: 16');
    const [finding] = only(lintText(text, yamlOptions()).findings, 'TSAE002');
    assert.equal(finding.message, 'training.batchsize: unknown key; did you mean batchSize?');
    assert.deepEqual(finding.range, r(22, 2, 22, 11));
    assert.equal(finding.configPath, 'training.batchsize');
  });

  test('JSON: on the quoted key inside a list item', () => {
    const text =
      '{"data": {"path": "ECG5000_TRAIN.head.txt"}, "windowing": {"length": 140},\n "model": {"encoder": [{"units": 8, "untis": 3}], "latent": {"size": 2}, "decoder": [{"units": 8}]}}';
    const [finding] = only(lintText(text, jsonOptions()).findings, 'TSAE002');
    assert.equal(finding.message, 'model.encoder.0.untis: unknown key; did you mean units?');
    assert.deepEqual(finding.range, r(1, 36, 1, 43));
  });
});

describe('TSAE003 invalid value', () => {
  test('enum: on the value, listing the allowed values', () => {
    const text = NAB_CONFIG_YAML.replace('    size: 8', '    size: 8\n    activation: rleu');
    const result = lintText(text, yamlOptions());
    const [finding] = only(result.findings, 'TSAE003');
    assert.match(finding.message, /^model\.latent\.activation: must be one of linear, tanh, sigmoid, hardSigmoid, relu, .* \(not "rleu"\)$/);
    assert.deepEqual(finding.range, r(17, 16, 17, 20));
    // The rules still see a config: the bad value falls back to its default.
    assert.equal(result.resolved?.model.latent.activation, 'linear');
  });

  test('type and range errors in JSON', () => {
    const text = readFileSync(path.join(fixturesDir(), 'ecg.tsae.json'), 'utf8').replace('"epochs": 3', '"epochs": "3"').replace('"validation": 0.25', '"validation": 1.5');
    const findings = only(lintText(text, { fileName: path.join(fixturesDir(), 'ecg.tsae.json') }).findings, 'TSAE003');
    const messages = findings.map((f) => f.message).sort();
    assert.deepEqual(messages, ['split.validation: must be less than 1 (not 1.5)', 'training.epochs: must be an integer, not "3"']);
    const epochs = findings.find((f) => f.configPath === 'training.epochs');
    assert.equal(text.split('\n')[epochs!.range.start.line].slice(epochs!.range.start.character, epochs!.range.end.character), '"3"');
  });

  test('earlyStopping: false or a mapping; errors inside the mapping point inside it', () => {
    const withEarlyStopping = (value: string) => NAB_CONFIG_YAML.replace('  batchSize: 16', `  batchSize: 16\n  earlyStopping: ${value}`);
    assert.deepEqual(configFindings(lintText(withEarlyStopping('false'), yamlOptions()).findings), []);
    const [wrong] = only(lintText(withEarlyStopping('yes please'), yamlOptions()).findings, 'TSAE003');
    assert.equal(wrong.message, 'training.earlyStopping: must be false or a mapping with patience and minDelta (not "yes please")');
    assert.deepEqual(wrong.range, r(23, 17, 23, 27));
    const inner = lintText(withEarlyStopping('{patience: 0}'), yamlOptions()).findings;
    assert.deepEqual(
      only(inner, 'TSAE003').map((f) => f.message),
      ['training.earlyStopping.patience: must be at least 1 (not 0)'],
    );
  });

  test('a scalar document is one finding on the whole value', () => {
    const [finding] = lintText('42\n', yamlOptions()).findings;
    assert.equal(finding.code, 'TSAE003');
    assert.equal(finding.message, 'the config: must be a mapping, not 42');
    assert.deepEqual(finding.range, r(0, 0, 0, 2));
  });
});

describe('TSAE004 missing required field', () => {
  test('on the parent key, naming the field', () => {
    const text = NAB_CONFIG_YAML.replace('    size: 8\n', '    activation: tanh\n');
    const result = lintText(text, yamlOptions());
    const [finding] = only(result.findings, 'TSAE004');
    assert.equal(finding.message, 'model.latent.size: required field is missing in model.latent');
    assert.deepEqual(finding.range, r(15, 2, 15, 8));
    assert.equal(result.resolved, undefined);
  });

  test('a missing top-level section is reported on the first line', () => {
    const text = NAB_CONFIG_YAML.replace('windowing:\n  length: 48\n  stride: 4\n', '');
    const [finding] = only(lintText(text, yamlOptions()).findings, 'TSAE004');
    assert.equal(finding.message, 'windowing: required field is missing');
    assert.deepEqual(finding.range, r(0, 0, 0, NAB_CONFIG_YAML.indexOf('\n')));
  });

  test('a list item without units is reported on the item', () => {
    const text = NAB_CONFIG_YAML.replace('    - units: 16\n  latent', '    - {dropout: 0.1}\n  latent');
    const [finding] = only(lintText(text, yamlOptions()).findings, 'TSAE004');
    assert.equal(finding.message, 'model.encoder.1.units: required field is missing in model.encoder.1');
    assert.deepEqual(finding.range, r(14, 6, 14, 20));
  });

  test('an empty file says what is required', () => {
    const findings = lintText('', yamlOptions()).findings;
    assert.deepEqual(
      findings.map((f) => [f.code, f.message]),
      [['TSAE004', 'the config is empty: data, windowing and model are required']],
    );
  });
});

describe('TSAE005 data file not found', () => {
  test('on the data.path value, with the absolute path', () => {
    const text = NAB_CONFIG_YAML.replace('art_daily_small_noise.head.csv', 'nowhere.csv');
    const [finding] = only(lintText(text, yamlOptions()).findings, 'TSAE005');
    assert.equal(finding.message, `data.path: data file not found: ${path.join(fixturesDir(), 'nowhere.csv')}`);
    assert.deepEqual(finding.range, r(3, 8, 3, 19));
  });

  test('a readFile override replaces the disk', () => {
    const options = { ...yamlOptions(), readFile: (p: string) => (p.endsWith('.csv') ? 'timestamp,value\nt0,1\nt1,2\n' : undefined) };
    const result = lintText(NAB_CONFIG_YAML, options);
    assert.deepEqual(configFindings(result.findings), []);
    assert.equal(result.probe?.rowsRead, 2);
    const missing = lintText(NAB_CONFIG_YAML, { ...yamlOptions(), readFile: () => undefined });
    assert.deepEqual(only(missing.findings, 'TSAE005').length, 1);
  });
});

describe('TSAE006 column not in the header', () => {
  test('on the list item and on the timestamp value, with a suggestion', () => {
    const text = NAB_CONFIG_YAML.replace('columns: [value]', 'columns: [value, valeu]').replace('timestamp: timestamp', 'timestamp: time');
    const findings = only(lintText(text, yamlOptions()).findings, 'TSAE006');
    assert.deepEqual(
      findings.map((f) => [f.configPath, f.message, f.range]),
      [
        ['data.timestamp', 'data.timestamp: column "time" is not in the header of art_daily_small_noise.head.csv', r(4, 13, 4, 17)],
        ['data.columns.1', 'data.columns.1: column "valeu" is not in the header of art_daily_small_noise.head.csv; did you mean value?', r(5, 19, 5, 24)],
      ],
    );
  });
});

describe('the rule engine', () => {
  const throwing: Rule = {
    code: 'TSAE199',
    name: 'always-throws',
    title: 'Throws',
    severity: 'warning',
    fixAvailability: 'none',
    explains: [],
    summary: 'test rule',
    check: () => {
      throw new Error('boom');
    },
  };
  const reporting: Rule = {
    code: 'TSAE198',
    name: 'reports-latent',
    title: 'Reports',
    severity: 'info',
    fixAvailability: 'always',
    explains: [],
    summary: 'test rule',
    check: (ctx) => [
      {
        code: 'TSAE198',
        severity: ctx.isPresent('model.latent.activation') ? 'error' : 'info',
        message: `latent ${ctx.config.model.latent.size}`,
        range: ctx.rangeOf('model.latent.activation'),
        configPath: 'model.latent.activation',
        fix: { title: 'set tanh', safety: 'safe', changes: [{ path: 'model.latent.activation', value: 'tanh' }], edits: ctx.setValueEdits('model.latent.activation', 'tanh') },
      },
    ],
  };

  test('a throwing rule becomes TSAE000 and the other rules still report', () => {
    const { parsed, resolved } = lintText(NAB_CONFIG_YAML, yamlOptions());
    const findings = runRules(parsed!, resolved!, undefined, [throwing, reporting]);
    assert.deepEqual(
      findings.map((f) => f.code),
      ['TSAE000', 'TSAE198'],
    );
    assert.equal(findings[0].message, 'internal error in rule TSAE199 (always-throws): boom');
    assert.equal(findings[1].message, 'latent 8');
    // Absent key: the range falls back to the nearest present ancestor's key (model.latent).
    assert.deepEqual(findings[1].range, r(15, 2, 15, 8));
    assert.equal(findings[1].severity, 'info');
    assert.deepEqual(findings[1].fix?.edits, [{ range: r(16, 11, 16, 11), newText: '\n    activation: tanh' }]);
  });

  test('findRange: value, else ancestor key, else first line', () => {
    const { parsed } = lintText(NAB_CONFIG_YAML, yamlOptions());
    assert.deepEqual(findRange(parsed!, 'model.encoder.1.units'), r(14, 13, 14, 15));
    // A list item has no key: its whole value.
    assert.deepEqual(findRange(parsed!, 'model.encoder.1.dropout'), r(14, 6, 14, 15));
    assert.deepEqual(findRange(parsed!, 'training.lrDecay.factor'), r(20, 0, 20, 8));
    assert.deepEqual(findRange(parsed!, 'split.seed'), r(0, 0, 0, NAB_CONFIG_YAML.indexOf('\n')));
  });
});

describe('robustness: lintText never throws', () => {
  const garbage = String.fromCharCode(...Array.from({ length: 2048 }, (_, i) => (i * 104729) % 65536));
  const cases: Record<string, string> = {
    'malformed YAML': 'data:\n  path: [x\n',
    'malformed JSON': '{"data": {"path": }',
    'wrong types everywhere': 'data: 1\nwindowing: []\nmodel: {encoder: 3, latent: x, decoder: {}}\ntraining: {epochs: -1, shuffle: maybe}\n',
    'binary garbage': garbage,
    'deep nesting': `data:\n  path: ${'['.repeat(5000)}\n`,
    empty: '',
    'scalar document': 'just text',
    'list document': '- 1\n- 2\n',
    'null values': 'data:\nwindowing:\nmodel:\n',
  };
  for (const [name, text] of Object.entries(cases)) {
    for (const options of [yamlOptions(), jsonOptions()]) {
      test(`${name} (${path.extname(options.fileName)})`, () => {
        const result = lintText(text, options);
        assert.ok(result.findings.length > 0, 'expected at least one finding');
        for (const finding of result.findings) {
          assert.match(finding.code, /^TSAE00\d$/);
          assert.ok(finding.range.start.line >= 0 && finding.range.end.line >= finding.range.start.line);
        }
      });
    }
  }

  test('a 5 MB config lints', () => {
    const line = `  ${'lorem ipsum '.repeat(8)}\n`;
    const text = NAB_CONFIG_YAML + `description: |\n${line.repeat(Math.ceil(5_000_000 / line.length))}`;
    const result = lintText(text, yamlOptions());
    assert.deepEqual(configFindings(result.findings), []);
    assert.ok(result.resolved!.description.length > 4_000_000);
  });

  test('lintFile on a missing config reports instead of throwing', () => {
    const result = lintFile(path.join(fixturesDir(), 'no-such.tsae.yaml'));
    assert.equal(result.findings[0].code, 'TSAE001');
    assert.match(result.findings[0].message, /cannot read config file/);
  });
});

describe('hoverAt', () => {
  test('on a key: the schema description and the defaults in effect', () => {
    const hover = hoverAt(NAB_CONFIG_YAML, { line: 20, character: 3 }, yamlOptions());
    assert.ok(hover);
    assert.deepEqual(hover.range, r(20, 0, 20, 8));
    assert.match(hover.markdown, /\*\*`training`\*\*/);
    assert.match(hover.markdown, /Optimisation settings\./);
    assert.match(hover.markdown, /`learningRate: 0\.001`/);
    assert.match(hover.markdown, /`optimizer: adam`/);
  });

  test('on latent.size: the compression ratio from window length and columns', () => {
    const hover = hoverAt(NAB_CONFIG_YAML, { line: 16, character: 5 }, yamlOptions());
    assert.ok(hover);
    assert.match(hover.markdown, /Number of latent units/);
    assert.match(hover.markdown, /48 values per window -> 8 latent units: 6:1/);
  });

  test('in JSON on UCR data: windowing.length shows the compression of one feature per step', () => {
    const file = path.join(fixturesDir(), 'ecg.tsae.json');
    const text = readFileSync(file, 'utf8');
    const line = text.split('\n').findIndex((l) => l.includes('"windowing"'));
    const column = text.split('\n')[line].indexOf('"length"') + 2;
    const hover = hoverAt(text, { line, character: column }, { fileName: file });
    assert.match(hover!.markdown, /\*\*`windowing\.length`\*\*/);
    assert.match(hover!.markdown, /140 values per window -> 8 latent units: 17\.5:1/);
  });

  test('on a finding: the check summary and its documentation link', () => {
    const text = NAB_CONFIG_YAML.replace('  batchSize: 16', '  batchsize: 16');
    const hover = hoverAt(text, { line: 22, character: 4 }, yamlOptions());
    assert.match(hover!.markdown, /\*\*TSAE002\*\* Unknown key/);
    assert.match(hover!.markdown, /\(https:\/\/github\.com\/tsae-lab\/tsae\/blob\/main\/docs\/rules\/TSAE002\.md\)/);
  });

  test('on an invalid value: the default the rules assume instead', () => {
    const text = NAB_CONFIG_YAML.replace('    size: 8', '    size: 8\n    activation: rleu');
    const hover = hoverAt(text, { line: 17, character: 6 }, yamlOptions());
    assert.match(hover!.markdown, /In effect: `linear` \(the default, while the written value is invalid\)/);
    assert.match(hover!.markdown, /Allowed: `linear`, `tanh`/);
  });

  test('nothing on an empty line', () => {
    assert.equal(hoverAt(NAB_CONFIG_YAML.replace('training:', '\ntraining:'), { line: 20, character: 0 }, yamlOptions()), undefined);
  });
});
