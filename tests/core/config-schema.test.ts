// The schema is the source of truth: it must agree with src/core/config/types.ts key for key,
// and resolution must take its defaults from it.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { TsaeConfig } from '../../src/core/config/types';
import { resolveConfig } from '../../src/core/config/resolve';
import { validateConfigValue } from '../../src/core/config/validate';
import { configSchema, deref, objectBranch } from '../../src/core/config/schema';
import type { JsonSchema } from '../../src/core/config/schema';
import { repoRoot } from './configFixtures';

/** Every optional field made required (false branches dropped), so the sample below must name them all. */
type Complete<T> = T extends Array<infer U> ? Array<Complete<U>> : T extends object ? { [K in keyof T]-?: Complete<WithoutFalseBranch<Exclude<T[K], undefined>>> } : T;
/** `earlyStopping: EarlyStoppingConfig | false` -> the object; plain booleans stay booleans. */
type WithoutFalseBranch<T> = [T] extends [boolean] ? T : Exclude<T, false>;

// Object literal excess-property checks also reject any field types.ts lacks.
const EVERY_FIELD: Complete<TsaeConfig> = {
  $schema: '../schemas/tsae.schema.json',
  name: 'every-field',
  description: 'uses every field of the format',
  data: {
    path: 'data.csv',
    format: 'csv',
    layout: 'series',
    columns: ['a', 'b'],
    timestamp: 'time',
    label: 'label',
    trainLabels: [0, 'normal'],
    missing: 'interpolate',
    maxRows: 1000,
  },
  windowing: { length: 24, stride: 24 },
  preprocessing: { scaling: 'minmax', range: [-1, 1], differencing: 1 },
  split: { validation: 0.1, seed: 7 },
  task: { type: 'seq2seq', targetColumns: ['b'] },
  model: {
    cell: 'gru',
    encoder: [{ units: 16, activation: 'tanh', recurrentActivation: 'hardSigmoid', dropout: 0.1, recurrentDropout: 0.1, bidirectional: true }],
    latent: { size: 4, activation: 'linear', dropout: 0.1 },
    bridge: 'initialState',
    decoder: [{ units: 16, activation: 'tanh', recurrentActivation: 'sigmoid', dropout: 0, recurrentDropout: 0, bidirectional: false }],
    outputActivation: 'sigmoid',
    reverseTarget: true,
    unreverseOutput: true,
    stateful: true,
  },
  training: {
    epochs: 3,
    batchSize: 8,
    optimizer: 'rmsprop',
    learningRate: 0.01,
    lrDecay: { factor: 0.5, everyEpochs: 10 },
    loss: 'mae',
    lossReduction: 'sum',
    targetReduction: 'timeMean',
    shuffle: false,
    earlyStopping: { patience: 5, minDelta: 0.001 },
    seed: 1,
    clipNorm: 1,
  },
  evaluation: { labels: 'labels.json', threshold: 'quantile:1', smoothing: 2, history: 60 },
};

function valueKeys(value: unknown, prefix = ''): string[] {
  if (Array.isArray(value)) {
    return value.length > 0 && typeof value[0] === 'object' && value[0] !== null ? valueKeys(value[0], `${prefix}[]`) : [];
  }
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, child]) => {
    const here = prefix === '' ? key : `${prefix}.${key}`;
    return [here, ...valueKeys(child, here)];
  });
}

function schemaKeys(schema: JsonSchema, prefix = ''): string[] {
  const resolved = deref(schema);
  const object = resolved.properties ? resolved : objectBranch(resolved);
  if (object?.properties) {
    return Object.entries(object.properties).flatMap(([key, child]) => {
      const here = prefix === '' ? key : `${prefix}.${key}`;
      return [here, ...schemaKeys(child, here)];
    });
  }
  if (resolved.items && !Array.isArray(resolved.items)) return schemaKeys(resolved.items, `${prefix}[]`);
  return [];
}

/** [path, default] for every schema property with a `default`, list items as `[]`. */
function schemaDefaults(schema: JsonSchema, prefix = ''): Array<[string, unknown]> {
  const resolved = deref(schema);
  const object = resolved.properties ? resolved : objectBranch(resolved);
  const own: Array<[string, unknown]> = prefix !== '' && resolved.default !== undefined ? [[prefix, resolved.default]] : [];
  if (object?.properties) {
    return own.concat(Object.entries(object.properties).flatMap(([key, child]) => schemaDefaults(child, prefix === '' ? key : `${prefix}.${key}`)));
  }
  if (resolved.items && !Array.isArray(resolved.items)) return own.concat(schemaDefaults(resolved.items, `${prefix}[]`));
  return own;
}

function at(value: unknown, dotted: string): unknown {
  return dotted.split('.').reduce<any>((node, segment) => {
    const key = segment.endsWith('[]') ? segment.slice(0, -2) : segment;
    const next = node?.[key];
    return segment.endsWith('[]') ? next?.[0] : next;
  }, value);
}

const MINIMAL = {
  data: { path: 'series.csv' },
  windowing: { length: 10 },
  model: { encoder: [{ units: 8 }], latent: { size: 2 }, decoder: [{ units: 8 }] },
};

describe('schema and types.ts agree', () => {
  test('a sample naming every typed field validates', () => {
    assert.deepEqual(validateConfigValue(EVERY_FIELD), []);
  });

  test('the schema has exactly the fields the sample (and so types.ts) has', () => {
    assert.deepEqual(schemaKeys(configSchema).sort(), valueKeys(EVERY_FIELD).sort());
  });

  test('the committed schema is draft-07 and closed everywhere', () => {
    const raw = JSON.parse(readFileSync(path.join(repoRoot(), 'schemas', 'tsae.schema.json'), 'utf8'));
    assert.equal(raw.$schema, 'http://json-schema.org/draft-07/schema#');
    const open: string[] = [];
    const visit = (node: any, where: string) => {
      if (node === null || typeof node !== 'object') return;
      if (node.type === 'object' && node.additionalProperties !== false) open.push(where);
      for (const [key, child] of Object.entries(node)) visit(child, `${where}/${key}`);
    };
    visit(raw, '#');
    assert.deepEqual(open, []);
  });

  test('every field has a description', () => {
    const missing = schemaKeys(configSchema).filter((key) => {
      const parts = key.split('.');
      let node: JsonSchema | undefined = configSchema;
      for (const part of parts) {
        const name = part.replace(/\[\]$/, '');
        const resolved: JsonSchema = deref(node!);
        const object: JsonSchema | undefined = resolved.properties ? resolved : objectBranch(resolved);
        node = object?.properties?.[name];
        if (node && part.endsWith('[]')) node = deref(node).items as JsonSchema;
      }
      return !node || !(deref(node).description ?? node.description);
    });
    assert.deepEqual(missing, []);
  });
});

describe('defaults come from the schema', () => {
  const resolved = resolveConfig(MINIMAL, '/w/exp.tsae.yaml');

  test('every schema default shows up in a resolved minimal config', () => {
    const defaults = schemaDefaults(configSchema);
    assert.ok(defaults.length >= 30, `only ${defaults.length} defaults found`);
    for (const [dotted, expected] of defaults) {
      if (dotted.startsWith('training.earlyStopping')) continue; // no default: off unless written
      if (typeof expected === 'object' && expected !== null && !Array.isArray(expected)) continue; // sections
      assert.deepEqual(at(resolved, dotted), expected, dotted);
    }
  });

  test('the documented defaults', () => {
    assert.equal(resolved.windowing.stride, 1);
    assert.deepEqual(resolved.preprocessing, { scaling: 'standard', range: [0, 1], differencing: 0 });
    assert.deepEqual(resolved.split, { validation: 0.2, seed: 42 });
    assert.equal(resolved.task.type, 'reconstruct');
    assert.deepEqual(resolved.model.encoder[0], { units: 8, activation: 'tanh', recurrentActivation: 'sigmoid', dropout: 0, recurrentDropout: 0, bidirectional: false });
    assert.deepEqual(resolved.model.latent, { size: 2, activation: 'linear', dropout: 0 });
    assert.equal(resolved.model.bridge, 'repeat');
    assert.equal(resolved.model.unreverseOutput, true);
    assert.equal(resolved.training.clipNorm, 0.2);
    assert.equal(resolved.training.learningRate, 0.001);
    assert.equal(resolved.training.earlyStopping, undefined);
  });

  test('derived defaults: format by extension, layout by format, name by file', () => {
    assert.equal(resolved.data.format, 'csv');
    assert.equal(resolved.data.layout, 'series');
    assert.equal(resolved.data.missing, 'error');
    assert.equal(resolved.name, 'exp');
    assert.equal(resolved.dataFile, path.resolve('/w/series.csv'));
    const ucr = resolveConfig({ ...MINIMAL, data: { path: 'ECG5000_TRAIN.txt' } }, '/w/ecg.tsae.json');
    assert.equal(ucr.data.format, 'ucr');
    assert.equal(ucr.data.layout, 'rows');
    assert.equal(ucr.data.label, 0);
  });

  test('changing a default in the schema changes resolution (no copy in TypeScript)', () => {
    const stride = configSchema.properties!.windowing.properties!.stride as JsonSchema;
    const original = stride.default;
    try {
      stride.default = 3;
      assert.equal(resolveConfig(MINIMAL, '/w/a.tsae.yaml').windowing.stride, 3);
    } finally {
      stride.default = original;
    }
  });

  test('resolveConfig throws an error naming the file and every bad field', () => {
    const bad = { ...MINIMAL, model: { ...MINIMAL.model, latent: { size: 0 } }, training: { optimiser: 'adam' } };
    assert.throws(
      () => resolveConfig(bad, '/w/bad.tsae.yaml'),
      (error: Error) => {
        assert.match(error.message, /^\/w\/bad\.tsae\.yaml: invalid config:/);
        assert.match(error.message, /model\.latent\.size: must be at least 1 \(not 0\)/);
        assert.match(error.message, /training\.optimiser: unknown key; did you mean optimizer\?/);
        return true;
      },
    );
  });
});
