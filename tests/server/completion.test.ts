// Completion from the schema and the data file's header, on half-typed YAML and JSON.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { CompletionItem } from 'vscode-languageserver-protocol/node';
import { applyEdits, LspStdioClient } from '../../bench/lspStdioClient';
import { completionsAt, TRIGGER_CHARACTERS } from '../../src/server/completion';
import { EXAMPLES_DIR, exampleUri } from './configTexts';

// Configs beside the bundled pitfalls, so ../data/nab_sensors.csv is the real 7-sensor file.
const YAML_FILE = join(EXAMPLES_DIR, 'pitfalls', 'completion.tsae.yaml');
const JSON_FILE = join(EXAMPLES_DIR, 'pitfalls', 'completion.tsae.json');
const SENSOR_COLUMNS = ['timestamp', 'small_noise', 'jumpsup', 'temp_a', 'temp_b', 'temp_c', 'temp_d', 'temp_e'];

/** `text` with the cursor marked by `|`: the completions there and the text without the mark. */
function at(text: string, fileName: string): { items: CompletionItem[]; text: string } {
  const offset = text.indexOf('|');
  const clean = text.slice(0, offset) + text.slice(offset + 1);
  const before = clean.slice(0, offset).split('\n');
  const position = { line: before.length - 1, character: before[before.length - 1].length };
  return { items: completionsAt(clean, position, fileName), text: clean };
}

const newTexts = (items: CompletionItem[]): string[] => items.map((i) => (i.textEdit && 'range' in i.textEdit ? i.textEdit.newText : ''));

function accept(items: CompletionItem[], label: string, text: string): string {
  const item = items.find((i) => i.label === label);
  assert.ok(item?.textEdit && 'range' in item.textEdit, `no ${label} in ${JSON.stringify(items.map((i) => i.label))}`);
  return applyEdits(text, [item.textEdit]);
}

describe('completion in YAML', () => {
  test('keys of the enclosing object, minus those already written, with their docs', () => {
    const { items, text } = at('data:\n  path: ../data/nab_sensors.csv\nmodel:\n  encoder:\n    - units: 4\n  lat|\n', YAML_FILE);
    const labels = items.map((i) => i.label);
    assert.ok(labels.includes('latent') && labels.includes('decoder') && labels.includes('bridge'), labels.join());
    assert.ok(!labels.includes('encoder'), 'encoder is already written');
    assert.ok(!labels.includes('windowing'), 'windowing belongs to the root, not to model');
    const latent = items.find((i) => i.label === 'latent');
    assert.match(latent?.detail ?? '', /required/);
    assert.equal(accept(items, 'latent', text), 'data:\n  path: ../data/nab_sensors.csv\nmodel:\n  encoder:\n    - units: 4\n  latent:\n    \n');
  });

  test('keys of a list item (an encoder layer)', () => {
    const { items } = at('model:\n  encoder:\n    - units: 4\n      |\n', YAML_FILE);
    const labels = items.map((i) => i.label);
    assert.ok(labels.includes('activation') && labels.includes('dropout'), labels.join());
    assert.ok(!labels.includes('units'));
  });

  test('enum values for the latent activation, replacing the partial word', () => {
    const { items, text } = at('model:\n  latent:\n    size: 3\n    activation: re|\n', YAML_FILE);
    assert.ok(
      ['linear', 'tanh', 'relu'].every((v) => items.some((i) => i.label === v)),
      JSON.stringify(items.map((i) => i.label)),
    );
    assert.equal(accept(items, 'linear', text), 'model:\n  latent:\n    size: 3\n    activation: linear\n');
  });

  test('right after the colon the value gets its space', () => {
    const { items } = at('training:\n  shuffle:|', YAML_FILE);
    assert.deepEqual(newTexts(items), [' true', ' false']);
  });

  test('feature lists offer numeric columns only, never the timestamp, the label or one already listed', () => {
    const features = SENSOR_COLUMNS.slice(1);
    const flow = at('data:\n  path: ../data/nab_sensors.csv\n  columns: [small_noise, |]\n', YAML_FILE);
    assert.deepEqual(
      flow.items.map((i) => i.label),
      features.slice(1),
    );
    const block = at('data:\n  path: ../data/nab_sensors.csv\n  columns:\n    - |\n', YAML_FILE);
    assert.deepEqual(
      block.items.map((i) => i.label),
      features,
    );
    const withLabel = at('data:\n  path: ../data/nab_sensors.csv\n  label: temp_e\n  columns: [|]\n', YAML_FILE);
    assert.deepEqual(
      withLabel.items.map((i) => i.label),
      features.slice(0, -1),
    );
  });

  test('data.timestamp lists the date column first; data.label leaves the timestamp out', () => {
    const timestamp = at('data:\n  path: ../data/nab_sensors.csv\n  timestamp: |\n', YAML_FILE);
    assert.deepEqual(
      timestamp.items.map((i) => i.label),
      SENSOR_COLUMNS,
    );
    assert.match(timestamp.items[0].detail ?? '', /non-numeric/);
    const label = at('data:\n  path: ../data/nab_sensors.csv\n  timestamp: timestamp\n  label: |\n', YAML_FILE);
    assert.deepEqual(
      label.items.map((i) => i.label),
      SENSOR_COLUMNS.slice(1),
    );
  });

  test('data.path completes data files and folders relative to the config, folder by folder', () => {
    const top = at('data:\n  path: |\n', YAML_FILE);
    const labels = top.items.map((i) => i.label);
    assert.ok(labels.includes('../') === false, 'parent folders are typed, not offered');
    assert.ok(!labels.some((l) => l.endsWith('.yaml')), `configs are not data: ${labels.join()}`);
    const inData = at('data:\n  path: ../data/|\n', YAML_FILE);
    const names = inData.items.map((i) => i.label);
    assert.ok(names.includes('nab_sensors.csv') && names.includes('ECG5000_TRAIN.txt'), names.join());
    assert.ok(!names.includes('combined_windows.json'), 'JSON is not a data format');
    assert.equal(accept(inData.items, 'nab_sensors.csv', inData.text), 'data:\n  path: ../data/nab_sensors.csv\n');
    const partial = at('data:\n  path: ../data/nab|\n', YAML_FILE);
    assert.equal(accept(partial.items, 'nab_sensors.csv', partial.text), 'data:\n  path: ../data/nab_sensors.csv\n');
    const up = at('data:\n  path: ../|\n', YAML_FILE);
    const folder = up.items.find((i) => i.label === 'data/');
    assert.equal(folder?.command?.command, 'editor.action.triggerSuggest', 'accepting a folder opens completion inside it');
  });

  test('nested keys insert their children with the indentation as is (never doubled by the editor)', () => {
    const { items, text } = at('model:\n  encoder:\n    - units: 4\n  la|\n', YAML_FILE);
    const latent = items.find((i) => i.label === 'latent');
    assert.equal(latent?.insertTextMode, 1, 'InsertTextMode.asIs');
    assert.equal(accept(items, 'latent', text), 'model:\n  encoder:\n    - units: 4\n  latent:\n    \n');
    const list = at('model:\n  |\n', YAML_FILE);
    assert.equal(accept(list.items, 'decoder', list.text), 'model:\n  decoder:\n    - \n');
  });

  test('a space opens completion for values only, never in indentation', () => {
    const value = at('training:\n  optimizer: |\n', YAML_FILE);
    assert.ok(completionsAt(value.text, { line: 1, character: 13 }, YAML_FILE, ' ').some((i) => i.label === 'adam'));
    const indent = at('training:\n  |\n', YAML_FILE);
    assert.deepEqual(completionsAt(indent.text, { line: 1, character: 2 }, YAML_FILE, ' '), []);
  });

  test('no columns when the data file cannot be read, and nothing inside comments', () => {
    assert.deepEqual(at('data:\n  path: ../data/missing.csv\n  timestamp: |\n', YAML_FILE).items, []);
    assert.deepEqual(at('# model: |\n', YAML_FILE).items, []);
  });
});

describe('completion in JSON', () => {
  test('keys of the enclosing object, inserted quoted', () => {
    const { items } = at('{\n  "model": { "latent": { "size": 2 }, "|" }\n}', JSON_FILE);
    const labels = items.map((i) => i.label);
    assert.ok(labels.includes('encoder') && !labels.includes('latent'), labels.join());
    assert.ok(newTexts(items).includes('"encoder": '));
  });

  test('enum values and column names as JSON strings, replacing the partial literal', () => {
    const activation = at('{ "model": { "latent": { "activation": "r|" } } }', JSON_FILE);
    assert.equal(accept(activation.items, 'tanh', activation.text), '{ "model": { "latent": { "activation": "tanh" } } }');
    const column = at('{ "data": { "path": "../data/nab_sensors.csv", "timestamp": "|" } }', JSON_FILE);
    assert.deepEqual(
      column.items.map((i) => i.label),
      SENSOR_COLUMNS,
    );
    assert.ok(newTexts(column.items).includes('"timestamp"'));
  });
});

describe('completion over stdio', () => {
  let client: LspStdioClient;
  before(async () => {
    client = await LspStdioClient.start();
  });
  after(async () => {
    await client.dispose();
  });

  test('the server answers textDocument/completion for an open config', async () => {
    const uri = exampleUri('pitfalls/completion-stdio.tsae.yaml');
    const text = 'data:\n  path: ../data/nab_sensors.csv\n  timestamp: \n';
    await client.open(uri, 'tsae-yaml', text);
    const result = await client.completion(uri, { line: 2, character: 13 });
    const items = Array.isArray(result) ? result : (result?.items ?? []);
    assert.deepEqual(
      items.map((i) => i.label),
      SENSOR_COLUMNS,
    );
    assert.deepEqual(client.initializeResult?.capabilities.completionProvider?.triggerCharacters, TRIGGER_CHARACTERS);
  });

  test('typing "path: " opens file completion; typing a space in indentation opens nothing', async () => {
    const uri = exampleUri('pitfalls/completion-stdio-path.tsae.yaml');
    await client.open(uri, 'tsae-yaml', 'data:\n  path: ../data/\nmodel:\n  \n');
    const files = await client.completion(uri, { line: 1, character: 16 }, '/');
    const names = (Array.isArray(files) ? files : (files?.items ?? [])).map((i) => i.label);
    assert.ok(names.includes('art_daily_small_noise.csv'), names.join());
    const indent = await client.completion(uri, { line: 3, character: 2 }, ' ');
    assert.deepEqual(Array.isArray(indent) ? indent : (indent?.items ?? []), []);
    const keys = await client.completion(uri, { line: 3, character: 2 });
    const keyItems = Array.isArray(keys) ? keys : (keys?.items ?? []);
    assert.ok(keyItems.some((i) => i.label === 'latent' && i.insertTextMode === 1));
  });
});
