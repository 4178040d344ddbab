// Sizes (issue 11 item 6): the schema bounds sizes, and training estimates its memory first and
// refuses, with the estimate and the field to blame, what exceeds the limit. The estimate's
// parameter count is checked against real tfjs models of many shapes; refusals go through the
// real worker, which must never reach "Invalid typed array length".

import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { lintText } from '../../src/core/lint';
import { initBackend } from '../../src/core/model/backend';
import { buildAutoencoder, disposeBuilt } from '../../src/core/model/build';
import { DEFAULT_MAX_MEMORY_MB, estimateTrainingMemory, formatBytes, memoryRefusal } from '../../src/core/model/memory';
import type { WorkerEvent } from '../../src/core/protocol/worker';
import { TrainingRun } from '../../src/core/train/workerHost';
import { resolve, sensorsConfig, tempDir, WORKER_JS, writeConfig } from './helpers';

type Json = Record<string, unknown>;

before(async () => {
  await initBackend('cpu');
});

/** Model shapes across cells, bridges, directions, depths, feature counts and tasks. */
const VARIANTS: Array<{ name: string; model: Json; inputFeatures: number; outputFeatures: number; task?: Json; window: number }> = [
  { name: 'lstm repeat', model: { encoder: [{ units: 8 }], latent: { size: 3 }, decoder: [{ units: 8 }] }, inputFeatures: 1, outputFeatures: 1, window: 10 },
  {
    name: 'gru stacked',
    model: { cell: 'gru', encoder: [{ units: 12 }, { units: 6 }], latent: { size: 2 }, decoder: [{ units: 6 }, { units: 12 }] },
    inputFeatures: 3,
    outputFeatures: 3,
    window: 8,
  },
  {
    name: 'bidirectional',
    model: { encoder: [{ units: 5, bidirectional: true }], latent: { size: 4 }, decoder: [{ units: 7, bidirectional: true }] },
    inputFeatures: 3,
    outputFeatures: 3,
    window: 6,
  },
  {
    name: 'initialState lstm',
    model: { encoder: [{ units: 6 }], latent: { size: 3 }, bridge: 'initialState', decoder: [{ units: 9 }] },
    inputFeatures: 2,
    outputFeatures: 2,
    window: 7,
  },
  {
    name: 'initialState lstm, bidirectional first of two decoder layers',
    model: { encoder: [{ units: 6 }], latent: { size: 3 }, bridge: 'initialState', decoder: [{ units: 4, bidirectional: true }, { units: 5 }] },
    inputFeatures: 2,
    outputFeatures: 2,
    window: 7,
  },
  {
    name: 'initialState gru bidirectional',
    model: { cell: 'gru', encoder: [{ units: 6 }], latent: { size: 3 }, bridge: 'initialState', decoder: [{ units: 4, bidirectional: true }] },
    inputFeatures: 2,
    outputFeatures: 2,
    window: 7,
  },
  {
    name: 'sequence bridge',
    model: { encoder: [{ units: 6 }], latent: { size: 5 }, bridge: 'sequence', decoder: [{ units: 4 }] },
    inputFeatures: 1,
    outputFeatures: 1,
    window: 12,
  },
  {
    name: 'seq2seq',
    model: { encoder: [{ units: 6 }], latent: { size: 3 }, decoder: [{ units: 6 }] },
    task: { type: 'seq2seq', targetColumns: ['temp_c'] },
    inputFeatures: 3,
    outputFeatures: 1,
    window: 10,
  },
];

describe('training memory estimate', () => {
  for (const v of VARIANTS) {
    test(`counts the parameters of a real model exactly: ${v.name}`, () => {
      const config = resolve(sensorsConfig({ model: v.model, windowing: { length: v.window }, ...(v.task ? { task: v.task } : {}) }));
      const built = buildAutoencoder(config, { window: v.window, inputFeatures: v.inputFeatures, outputFeatures: v.outputFeatures, batchSize: 16 });
      const estimate = estimateTrainingMemory(config, { inputFeatures: v.inputFeatures, outputFeatures: v.outputFeatures });
      assert.equal(estimate.parameters, built.parameters);
      disposeBuilt(built);
    });
  }

  test('grows with units, window and batch, and adds Adam state and data', () => {
    const at = (model: Json, training: Json = {}, windowing: Json = {}) =>
      estimateTrainingMemory(resolve(sensorsConfig({ model, training, windowing })), { inputFeatures: 3, outputFeatures: 3, windows: 1000 });
    const small = at({ encoder: [{ units: 8 }], latent: { size: 3 }, decoder: [{ units: 8 }] });
    const wide = at({ encoder: [{ units: 64 }], latent: { size: 3 }, decoder: [{ units: 64 }] });
    const long = at({ encoder: [{ units: 8 }], latent: { size: 3 }, decoder: [{ units: 8 }] }, {}, { length: 120 });
    const big = at({ encoder: [{ units: 8 }], latent: { size: 3 }, decoder: [{ units: 8 }] }, { batchSize: 256 });
    const sgd = at({ encoder: [{ units: 64 }], latent: { size: 3 }, decoder: [{ units: 64 }] }, { optimizer: 'sgd' });
    assert.ok(wide.bytes.weights > 30 * small.bytes.weights);
    assert.ok(long.bytes.activations > 9 * small.bytes.activations);
    assert.ok(big.bytes.activations > 15 * small.bytes.activations);
    assert.equal(wide.bytes.optimizer, 2 * wide.bytes.weights, 'Adam keeps two moments per parameter');
    assert.equal(sgd.bytes.optimizer, 0);
    assert.equal(small.bytes.data, 1000 * 12 * 3 * 4);
  });

  test('stacked 4096-unit layers (within the schema) are refused with the estimate and the layer to blame', () => {
    const config = resolve(sensorsConfig({ model: { encoder: [{ units: 64 }], latent: { size: 3 }, decoder: [{ units: 4096 }, { units: 4096 }, { units: 4096 }] } }));
    const refusal = memoryRefusal(config, { inputFeatures: 3, outputFeatures: 3, windows: 100 });
    assert.ok(refusal);
    assert.equal(refusal.configPath, 'model.decoder.1.units', 'the layer with the most parameters');
    assert.match(refusal.message, /^training this config needs about \d+(\.\d+)? GB \(335,\d{3},\d{3} parameters: /);
    assert.match(
      refusal.message,
      /more than the limit of 4096 MB \(setting tsae\.training\.maxMemoryMB, or tsae train --max-memory MB\)\. Reduce model\.decoder\.1\.units \(134,\d{3},\d{3} parameters\)/,
    );
    assert.equal(memoryRefusal(config, { inputFeatures: 3, outputFeatures: 3, windows: 100 }, 64 * 1024), undefined, 'a higher limit lets it train');
  });

  test('long windows with a big batch are blamed on the activations', () => {
    const config = resolve(
      sensorsConfig({ model: { encoder: [{ units: 256 }], latent: { size: 8 }, decoder: [{ units: 256 }] }, windowing: { length: 5000 }, training: { batchSize: 512 } }),
    );
    const refusal = memoryRefusal(config, { inputFeatures: 3, outputFeatures: 3 });
    assert.equal(refusal?.configPath, 'windowing.length');
    assert.match(refusal?.message ?? '', /Reduce windowing\.length or training\.batchSize \(activations are [\d.]+ (GB|TB)\)/);
  });

  test('every bundled example fits the default limit with room to spare', () => {
    const dir = path.join(__dirname, '..', '..', '..', 'examples');
    const files = [...fs.readdirSync(dir), ...fs.readdirSync(path.join(dir, 'pitfalls')).map((f) => path.join('pitfalls', f))].filter((f) => /\.tsae\.(ya?ml|json)$/.test(f));
    assert.ok(files.length >= 8);
    for (const f of files) {
      const lint = lintText(fs.readFileSync(path.join(dir, f), 'utf8'), { fileName: path.join(dir, f) });
      assert.ok(lint.resolved, `${f} resolves`);
      const features = lint.resolved.data.columns?.length ?? 1;
      const e = estimateTrainingMemory(lint.resolved, { inputFeatures: features, outputFeatures: features, windows: 10_000 });
      assert.ok(e.bytes.total < (DEFAULT_MAX_MEMORY_MB * 2 ** 20) / 4, `${f}: ${formatBytes(e.bytes.total)}`);
    }
  });

  test('the schema bounds sizes: units 100000 is a lint error on its line', () => {
    const text = [
      'name: huge',
      'data:',
      '  path: x.csv',
      'windowing:',
      '  length: 20',
      'model:',
      '  encoder:',
      '    - units: 100000',
      '  latent:',
      '    size: 4',
      '  decoder:',
      '    - units: 8',
      '',
    ].join('\n');
    const lint = lintText(text, { fileName: '/tmp/huge.tsae.yaml' });
    const finding = lint.findings.find((f) => f.configPath === 'model.encoder.0.units');
    assert.ok(finding, JSON.stringify(lint.findings.map((f) => f.message)));
    assert.equal(finding.severity, 'error');
    assert.match(finding.message, /at most 4096/);
    assert.equal(finding.range.start.line, 7);
  });
});

describe('memory limits in the worker', { skip: fs.existsSync(WORKER_JS) ? false : 'dist/worker.js missing: run npm run build' }, () => {
  async function train(config: Json, maxMemoryMB?: number): Promise<{ events: WorkerEvent[]; runsDir: string; configFile: string }> {
    const runsDir = tempDir('tsae-mem-runs-');
    const configFile = writeConfig(config);
    const run = new TrainingRun(WORKER_JS);
    const events: WorkerEvent[] = [];
    run.onEvent((e) => events.push(e));
    run.start({ type: 'start', configFile, runsDir, backend: 'cpu', ...(maxMemoryMB !== undefined ? { maxMemoryMB } : {}) });
    await run.final;
    return { events, runsDir, configFile };
  }

  test('units 100000 is refused by the config check, not by tfjs', async () => {
    const { events } = await train(sensorsConfig({ name: 'units-100000', model: { encoder: [{ units: 100000 }], latent: { size: 3 }, decoder: [{ units: 6 }] } }));
    const failed = events.find((e) => e.type === 'failed');
    assert.ok(failed && failed.type === 'failed');
    assert.match(failed.message, /model\.encoder\.0\.units|at most 4096/);
    assert.doesNotMatch(failed.message, /typed array/i);
    assert.equal(failed.location?.field, 'model.encoder.0.units');
  });

  test('a config over the memory limit fails before any run folder, naming the line and field', async () => {
    const { events, runsDir, configFile } = await train(
      sensorsConfig({ name: 'over-limit', model: { encoder: [{ units: 512 }], latent: { size: 3 }, decoder: [{ units: 6 }] } }),
      64,
    );
    const failed = events.find((e) => e.type === 'failed');
    assert.ok(failed && failed.type === 'failed');
    assert.match(failed.message, /^training this config needs about [\d.]+ MB .* more than the limit of 64 MB/);
    assert.equal(failed.location?.file, configFile);
    assert.equal(failed.location?.field, 'model.encoder.0.units');
    const line =
      fs
        .readFileSync(configFile, 'utf8')
        .split('\n')
        .findIndex((l) => l.includes('512')) + 1;
    assert.equal(failed.location?.line, line);
    assert.deepEqual(fs.readdirSync(runsDir), [], 'no run folder');
  });
});
