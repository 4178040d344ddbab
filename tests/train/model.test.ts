// Every model variant the config can describe builds, trains one epoch on real data, and saves
// and reloads to the same outputs; parameter count and compression ratio match hand counts.

import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/core/model/backend';
import { buildAutoencoder, compressionRatio, disposeBuilt } from '../../src/core/model/build';
import { loadDataset } from '../../src/core/data';
import { trainModel } from '../../src/core/train/train';
import { gatherWindows } from '../../src/core/train/batches';
import { loadModel, saveModel } from '../../src/core/run/modelIO';
import { resolve, sensorsConfig, tempDir } from './helpers';

type Json = Record<string, unknown>;

before(async () => {
  await initBackend('wasm');
});

describe('model size', () => {
  test('parameter count and compression ratio of a small known LSTM autoencoder', async () => {
    // 1 feature, 10 steps; LSTM(4) -> Dense(2) -> repeat -> LSTM(4) -> TimeDistributed Dense(1).
    const config = resolve(
      sensorsConfig({
        data: { columns: ['temp_a'] },
        windowing: { length: 10, stride: 5 },
        model: { encoder: [{ units: 4 }], latent: { size: 2, activation: 'tanh' }, decoder: [{ units: 4 }] },
      }),
    );
    const built = buildAutoencoder(config, { window: 10, inputFeatures: 1, outputFeatures: 1, batchSize: 16 });
    const lstm = (input: number, units: number) => 4 * (units * (input + units) + units);
    const expected = lstm(1, 4) + (4 * 2 + 2) + lstm(2, 4) + (4 * 1 + 1);
    assert.equal(expected, 223);
    assert.equal(built.parameters, expected);
    assert.equal(built.compressionRatio, 5);
    assert.equal(compressionRatio(140, 1, 16), 8.75);
    disposeBuilt(built);
  });

  test('the encoder model outputs latent vectors and shares weights with the autoencoder', () => {
    const config = resolve(sensorsConfig());
    const built = buildAutoencoder(config, { window: 12, inputFeatures: 3, outputFeatures: 3, batchSize: 16 });
    assert.deepEqual(built.encoder.outputs[0].shape, [null, 3]);
    const shared = built.encoder.layers.filter((l) => built.model.layers.includes(l)).map((l) => l.name);
    assert.ok(shared.includes('encoder_0') && shared.includes('latent'), `shared layers: ${shared.join(', ')}`);
    disposeBuilt(built);
  });

  test('the two directions of a bidirectional layer start from different weights, the same in every build', () => {
    const config = resolve(
      sensorsConfig({ model: { cell: 'gru', encoder: [{ units: 4, bidirectional: true }], bridge: 'initialState', decoder: [{ units: 4, bidirectional: true }, { units: 4 }] } }),
    );
    const weightsOf = () => {
      const built = buildAutoencoder(config, { window: 12, inputFeatures: 3, outputFeatures: 3, batchSize: 16 });
      const values = ['encoder_0', 'decoder_0'].map((name) =>
        built.model
          .getLayer(name)
          .getWeights()
          .map((w) => Array.from(w.dataSync())),
      );
      disposeBuilt(built);
      return values;
    };
    const first = weightsOf();
    for (const [forwardKernel, forwardRecurrent, , backwardKernel, backwardRecurrent] of first) {
      assert.notDeepEqual(backwardKernel, forwardKernel);
      assert.notDeepEqual(backwardRecurrent, forwardRecurrent);
    }
    assert.deepEqual(weightsOf(), first);
  });

  test('LSTMs get the configured recurrent activation, not tfjs hardSigmoid, and an open forget gate', () => {
    const config = resolve(sensorsConfig());
    const built = buildAutoencoder(config, { window: 12, inputFeatures: 3, outputFeatures: 3, batchSize: 16 });
    const layer = built.model.getLayer('encoder_0');
    const cfg = layer.getConfig() as { recurrentActivation: string };
    assert.equal(cfg.recurrentActivation, 'sigmoid');
    // Keras's unit forget bias: gates [input, forget, cell, output], the forget gate's bias at 1.
    const bias = layer.getWeights().find((w) => w.rank === 1)!;
    assert.deepEqual(Array.from(bias.dataSync()), [...Array(6).fill(0), ...Array(6).fill(1), ...Array(12).fill(0)]);
    disposeBuilt(built);
  });
});

const VARIANTS: Array<{ name: string; overrides: Parameters<typeof sensorsConfig>[0] }> = [
  { name: 'repeat bridge, LSTM', overrides: {} },
  { name: 'GRU cell', overrides: { model: { cell: 'gru' } } },
  { name: 'bidirectional encoder and decoder', overrides: { model: { encoder: [{ units: 4, bidirectional: true }], decoder: [{ units: 4, bidirectional: true }] } } },
  {
    name: 'stacked layers with dropout',
    overrides: {
      model: {
        encoder: [
          { units: 8, dropout: 0.1 },
          { units: 4, recurrentDropout: 0.1 },
        ],
        latent: { size: 3, activation: 'tanh', dropout: 0.1 },
        decoder: [{ units: 4 }, { units: 8 }],
      },
    },
  },
  { name: 'initialState bridge, LSTM', overrides: { model: { bridge: 'initialState' } } },
  { name: 'initialState bridge, GRU, bidirectional decoder', overrides: { model: { bridge: 'initialState', cell: 'gru', decoder: [{ units: 4, bidirectional: true }] } } },
  { name: 'sequence bridge (latent as time axis)', overrides: { model: { bridge: 'sequence' } } },
  { name: 'reversed target, time-mean reduction', overrides: { model: { reverseTarget: true, unreverseOutput: false }, training: { targetReduction: 'timeMean' } } },
  { name: 'stateful', overrides: { model: { stateful: true }, training: { shuffle: false, batchSize: 8 } } },
  { name: 'seq2seq', overrides: { task: { type: 'seq2seq', targetColumns: ['temp_d', 'temp_e'] }, model: { stateful: true }, training: { shuffle: false, batchSize: 8 } } },
];

describe('model variants build, train without growing memory, and reload', () => {
  const dir = tempDir('tsae-models-');

  for (const variant of VARIANTS) {
    test(variant.name, async () => {
      const config = resolve(sensorsConfig(variant.overrides as Json));
      const data = await loadDataset(config);
      const built = buildAutoencoder(config, {
        window: config.windowing.length,
        inputFeatures: data.featureNames.length,
        outputFeatures: data.targetNames.length,
        batchSize: config.training.batchSize,
      });
      try {
        const tensorsAfterEpoch: number[] = [];
        const result = await trainModel(built, config, data, { epochs: 2, onEpoch: () => void tensorsAfterEpoch.push(tf.memory().numTensors) });
        assert.equal(result.status, 'completed', result.reason);
        assert.equal(result.history.length, 2);
        // Memory must not grow per epoch (every batch's tensors are disposed).
        assert.equal(tensorsAfterEpoch[1], tensorsAfterEpoch[0], `tensors after each epoch: ${tensorsAfterEpoch.join(', ')}`);
        assert.ok(Number.isFinite(result.history[0].loss), `loss ${result.history[0].loss}`);
        assert.ok(result.history[0].gradNorms && Object.keys(result.history[0].gradNorms).includes('encoder_0'));
        assert.deepEqual(built.model.outputs[0].shape.slice(1), [config.windowing.length, data.targetNames.length]);

        const modelDir = path.join(dir, variant.name.replace(/\W+/g, '-'));
        await saveModel(built.model, modelDir);
        const reloaded = await loadModel(modelDir);
        const n = config.model.stateful ? config.training.batchSize : 4;
        const x = gatherWindows(
          data.validation.count >= n ? data.validation : data.train,
          Array.from({ length: n }, (_, i) => i),
        );
        if (config.model.stateful) {
          built.model.resetStates();
          reloaded.resetStates();
        }
        const a = built.model.predict(x) as tf.Tensor;
        const b = reloaded.predict(x) as tf.Tensor;
        const diff = tf.max(tf.abs(tf.sub(a, b))).dataSync()[0];
        assert.ok(diff < 1e-5, `reloaded model differs by ${diff}`);
        tf.dispose([x, a, b]);
        reloaded.dispose();
      } finally {
        disposeBuilt(built);
      }
    });
  }
});
