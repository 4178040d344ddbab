// setValueEdits: apply the edits, re-parse, and the value is there while nothing else changed.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig } from '../../src/core/config/parse';
import { setValueEdits } from '../../src/core/config/edit';
import { applyEdits, NAB_CONFIG_YAML } from './configFixtures';

/** `root` with `value` set at the dotted path, creating objects (or appending list items) on the way. */
function withValue(root: unknown, configPath: string, value: unknown): unknown {
  const copy = structuredClone(root ?? {}) as Record<string, any>;
  const segments = configPath.split('.');
  let node: any = copy;
  segments.slice(0, -1).forEach((segment, i) => {
    if (node[segment] === undefined || node[segment] === null) node[segment] = /^\d+$/.test(segments[i + 1]) ? [] : {};
    node = node[segment];
  });
  node[segments[segments.length - 1]] = value;
  return copy;
}

function setAndReparse(text: string, fileName: string, configPath: string, value: unknown): string {
  const before = parseConfig(text, fileName);
  assert.deepEqual(before.syntaxFindings, []);
  const edits = setValueEdits(before, configPath, value);
  assert.ok(edits.length > 0, 'expected edits');
  const edited = applyEdits(text, edits);
  const after = parseConfig(edited, fileName);
  assert.deepEqual(after.syntaxFindings, [], `edited text does not parse:\n${edited}`);
  assert.deepEqual(after.value, withValue(before.value, configPath, value), `unexpected result:\n${edited}`);
  return edited;
}

const YAML_FILE = '/w/a.tsae.yaml';
const JSON_FILE = '/w/a.tsae.json';

describe('setValueEdits on YAML', () => {
  test('replaces an existing value in place', () => {
    const edited = setAndReparse(NAB_CONFIG_YAML, YAML_FILE, 'model.latent.size', 4);
    assert.match(edited, /\n {4}size: 4\n/);
  });

  test('replaces a list item field and a flow list', () => {
    setAndReparse(NAB_CONFIG_YAML, YAML_FILE, 'model.encoder.1.units', 12);
    const edited = setAndReparse(NAB_CONFIG_YAML, YAML_FILE, 'data.columns', ['value', 'other one']);
    assert.match(edited, /columns: \[value, other one\]/);
  });

  test('inserts a missing key under its existing block parent with the same indentation', () => {
    const edited = setAndReparse(NAB_CONFIG_YAML, YAML_FILE, 'model.latent.activation', 'tanh');
    assert.match(edited, /\n {2}latent:\n {4}size: 8\n {4}activation: tanh\n {2}decoder:/);
    setAndReparse(NAB_CONFIG_YAML, YAML_FILE, 'training.learningRate', 0.0005);
  });

  test('inserts with missing parents, nested and at the root', () => {
    const nested = setAndReparse(NAB_CONFIG_YAML, YAML_FILE, 'training.lrDecay.factor', 0.5);
    assert.match(nested, /\n {2}lrDecay:\n {4}factor: 0.5/);
    const root = setAndReparse(NAB_CONFIG_YAML, YAML_FILE, 'split.validation', 0.1);
    assert.match(root, /\nsplit:\n {2}validation: 0.1\n$/);
  });

  test('inserts into flow mappings and appends list items', () => {
    const flow = 'data: {path: x.csv}\nwindowing: {length: 4}\nmodel:\n  encoder: [{units: 4}]\n  latent: {size: 2}\n  decoder:\n    - units: 4\n';
    assert.match(setAndReparse(flow, YAML_FILE, 'model.latent.activation', 'tanh'), /latent: \{size: 2, activation: tanh\}/);
    setAndReparse(flow, YAML_FILE, 'model.encoder.1', { units: 2 });
    const appended = setAndReparse(flow, YAML_FILE, 'model.decoder.1.units', 8);
    assert.match(appended, /\n {4}- units: 4\n {4}- units: 8/);
  });

  test('fills a key that has no value yet, and an empty document', () => {
    setAndReparse('name: x\ntraining:\n', YAML_FILE, 'training.epochs', 5);
    setAndReparse('', YAML_FILE, 'training.epochs', 5);
    setAndReparse('# only a comment\n', YAML_FILE, 'model.latent.size', 3);
  });

  test('quotes strings that would not read back as the same string', () => {
    for (const value of ['true', '0.5', 'a: b', '# no', 'x, y', '', ' lead', 'null']) {
      setAndReparse(NAB_CONFIG_YAML, YAML_FILE, 'name', value);
    }
  });

  test('refuses a key inside a list and an item inside a mapping', () => {
    const parsed = parseConfig(NAB_CONFIG_YAML, YAML_FILE);
    assert.deepEqual(setValueEdits(parsed, 'model.encoder.units', 4), []);
    assert.deepEqual(setValueEdits(parsed, 'model.latent.0', 4), []);
    assert.deepEqual(setValueEdits(parsed, 'model.encoder.5', { units: 4 }), []);
  });

  test('keeps CRLF line endings', () => {
    const crlf = NAB_CONFIG_YAML.replace(/\n/g, '\r\n');
    const edited = setAndReparse(crlf, YAML_FILE, 'training.lrDecay.factor', 0.5);
    assert.equal(edited.replace(/\r\n/g, '').includes('\n'), false);
  });

  test('keeps comments and the text outside the edit', () => {
    const edited = setAndReparse(NAB_CONFIG_YAML, YAML_FILE, 'training.epochs', 3);
    assert.equal(edited.split('\n')[0], NAB_CONFIG_YAML.split('\n')[0]);
    assert.equal(edited.length, NAB_CONFIG_YAML.length - 1);
  });
});

const JSON_TEXT = `{
  "data": { "path": "x.csv" },
  "windowing": { "length": 8 },
  "model": {
    "encoder": [{ "units": 8 }],
    "latent": { "size": 2 },
    "decoder": [{ "units": 8 }]
  },
  "training": {}
}
`;

describe('setValueEdits on JSON', () => {
  test('replaces an existing value', () => {
    assert.match(setAndReparse(JSON_TEXT, JSON_FILE, 'model.latent.size', 3), /"latent": \{ "size": 3 \}/);
    setAndReparse(JSON_TEXT, JSON_FILE, 'data.path', 'a "quoted" name.csv');
  });

  test('inserts into a one-line object and a multi-line object', () => {
    assert.match(setAndReparse(JSON_TEXT, JSON_FILE, 'model.latent.activation', 'tanh'), /"latent": \{ "size": 2, "activation": "tanh" \}/);
    assert.match(setAndReparse(JSON_TEXT, JSON_FILE, 'model.bridge', 'repeat'), /\],\n {4}"bridge": "repeat"\n {2}\}/);
  });

  test('inserts into an empty object and with missing parents', () => {
    setAndReparse(JSON_TEXT, JSON_FILE, 'training.epochs', 4);
    const nested = setAndReparse(JSON_TEXT, JSON_FILE, 'preprocessing.range', [-1, 1]);
    assert.match(nested, /\n {2}"preprocessing": \{\n {4}"range": \[-1, 1\]\n {2}\}\n\}/);
    setAndReparse(JSON_TEXT, JSON_FILE, 'training.earlyStopping.patience', 3);
  });

  test('appends a list item', () => {
    setAndReparse(JSON_TEXT, JSON_FILE, 'model.encoder.1', { units: 4 });
  });
});
