import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { formatOf, locateConfigPath } from '../../src/extension/panels/configLocate';

const yaml = `# pitfall 2
name: relu-bottleneck
model:
  encoder:
    - units: 16
    - units: 8
  latent:
    size: 3
    activation: relu
training:
  epochs: 20
`;

const json = `{
  "name": "relu-bottleneck",
  "model": {
    "encoder": [{ "units": 16 }, { "units": 8 }],
    "latent": { "size": 3, "activation": "relu" }
  }
}`;

describe('locating a config path in the text', () => {
  test('YAML: nested keys and sequence items', () => {
    assert.deepEqual(locateConfigPath(yaml, 'model.latent.activation', 'yaml'), { line: 8, character: 4 });
    assert.deepEqual(locateConfigPath(yaml, 'model.encoder.1.units', 'yaml'), { line: 5, character: 6 });
    assert.deepEqual(locateConfigPath(yaml, 'training.epochs', 'yaml'), { line: 10, character: 2 });
  });

  test('a key left at its default points at its nearest written parent', () => {
    assert.deepEqual(locateConfigPath(yaml, 'model.latent.dropout', 'yaml'), { line: 6, character: 2 });
    assert.equal(locateConfigPath(yaml, 'data.path', 'yaml'), undefined);
    assert.equal(locateConfigPath(yaml, '', 'yaml'), undefined);
  });

  test('JSON: keys and array items', () => {
    assert.deepEqual(locateConfigPath(json, 'model.latent.activation', 'json'), { line: 4, character: 27 });
    assert.deepEqual(locateConfigPath(json, 'model.encoder.1.units', 'json'), { line: 3, character: 35 });
    assert.deepEqual(locateConfigPath(json, 'model.latent.missing', 'json'), { line: 4, character: 4 });
    assert.equal(locateConfigPath('{ not json', 'a.b', 'json'), undefined);
  });

  test('format follows the file name', () => {
    assert.equal(formatOf('/w/a.tsae.json'), 'json');
    assert.equal(formatOf('/w/a.tsae.yaml'), 'yaml');
    assert.equal(formatOf('/w/a.tsae.yml'), 'yaml');
  });
});
