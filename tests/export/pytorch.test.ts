// The exported PyTorch script trains like TSAE: run with Debian's python3-torch on bundled data
// from TSAE's own initial weights, its first-epoch losses agree with TSAE's. Unsupported settings
// are refused with the field to change.

import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadDataset } from '../../src/core/data';
import { initBackend } from '../../src/core/model/backend';
import { buildAutoencoder, disposeBuilt } from '../../src/core/model/build';
import { trainModel } from '../../src/core/train/train';
import { ExportError, pytorchScript } from '../../src/core/export/pytorch';
import { resolve, sensorsConfig, tempDir } from '../train/helpers';

const PYTHON = '/usr/bin/python3';

function hasTorch(): boolean {
  return existsSync(PYTHON) && spawnSync(PYTHON, ['-c', 'import torch'], { encoding: 'utf8' }).status === 0;
}

before(async () => {
  await initBackend('cpu');
});

const AGREEING: Array<{ name: string; model: Record<string, unknown> }> = [
  { name: 'repeat bridge', model: {} },
  { name: 'latent as the initial state of a 2-layer LSTM decoder', model: { bridge: 'initialState', decoder: [{ units: 6 }, { units: 5 }] } },
  // tfjs's GRU (KerasGRU in the script) in the encoder and in both decoder layers, with and without a state.
  { name: 'latent as the initial state of a 2-layer GRU decoder', model: { cell: 'gru', bridge: 'initialState', decoder: [{ units: 6 }, { units: 5 }] } },
];

describe('PyTorch export', () => {
  for (const variant of AGREEING) {
    test(
      `${variant.name}: first-epoch losses of the exported script agree with TSAE from the same initial weights`,
      { skip: hasTorch() ? false : 'python3-torch is not installed (apt-get install python3-torch)' },
      async () => {
        const config = resolve(sensorsConfig({ model: variant.model, training: { epochs: 2, batchSize: 16, learningRate: 0.01, seed: 3 } }));
        const data = await loadDataset(config);
        const built = buildAutoencoder(config, { window: 12, inputFeatures: 3, outputFeatures: 3, batchSize: 16 });
        const weights: Record<string, Record<string, number[][] | number[]>> = {};
        for (const layer of built.model.layers) {
          const values = layer.getWeights();
          if (values.length === 0 || !/^(encoder_\d+|decoder_\d+|latent|bridge_[hc]|output)$/.test(layer.name)) continue;
          const arrays = values.map((w) => w.arraySync() as number[][] | number[]);
          weights[layer.name] = arrays.length === 3 ? { kernel: arrays[0], recurrentKernel: arrays[1], bias: arrays[2] } : { kernel: arrays[0], bias: arrays[1] };
        }
        const result = await trainModel(built, config, data);
        disposeBuilt(built);

        const dir = tempDir('tsae-export-');
        writeFileSync(join(dir, 'weights.json'), JSON.stringify(weights));
        writeFileSync(join(dir, 'train.py'), pytorchScript(config));
        const run = spawnSync(PYTHON, [join(dir, 'train.py'), '--epochs', '2', '--initial-weights', join(dir, 'weights.json'), '--device', 'cpu'], {
          encoding: 'utf8',
          timeout: 120_000,
        });
        assert.equal(run.status, 0, run.stderr);
        const epochs = run.stdout
          .trim()
          .split('\n')
          .map((line) => JSON.parse(line) as { epoch: number; loss: number; val_loss: number | null });
        assert.equal(epochs.length, 2);
        for (let e = 0; e < 2; e++) {
          const tsae = result.history[e].loss;
          const torch = epochs[e].loss;
          assert.ok(Math.abs(torch - tsae) <= 1e-5 * Math.max(1, Math.abs(tsae)), `epoch ${e + 1}: PyTorch ${torch} vs TSAE ${tsae}`);
        }
      },
    );
  }

  test('settings the script cannot reproduce are refused with the field', () => {
    const config = resolve(sensorsConfig({ model: { bridge: 'sequence' } }));
    assert.throws(
      () => pytorchScript(config),
      (error: unknown) => error instanceof ExportError && error.field === 'model.bridge',
    );
  });
});

describe('tsae export', () => {
  const cli = join(__dirname, '..', '..', '..', 'dist', 'cli.js');
  const tsae = (args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', cwd: join(__dirname, '..', '..', '..') });

  test('writes the script for a config; the script parses as Python', () => {
    const out = join(tempDir('tsae-export-cli-'), 'art.py');
    const run = tsae(['export', 'examples/nab-art-daily.tsae.json', '--to', 'pytorch', '--out', out]);
    assert.equal(run.status, 0, run.stderr);
    assert.ok(existsSync(out));
    if (existsSync(PYTHON)) {
      const compiled = spawnSync(PYTHON, ['-m', 'py_compile', out], { encoding: 'utf8' });
      assert.equal(compiled.status, 0, compiled.stderr);
    }
  });

  test('an unsupported setting exits 1 naming the field; a missing --to is a usage error', () => {
    const refused = tsae(['export', 'examples/pitfalls/01-latent-as-time-axis.tsae.yaml', '--to', 'pytorch', '--out', join(tempDir('tsae-export-cli-'), 'x.py')]);
    assert.equal(refused.status, 1);
    assert.match(refused.stderr, /model\.bridge: bridge sequence/);
    assert.equal(tsae(['export', 'examples/nab-art-daily.tsae.json']).status, 2);
  });
});
