// The training loop's contracts on real data: reproducible from the seed, early stopping with
// restored weights, clipping, and a cancel that stops before the next batch.

import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { loadDataset, type Dataset } from '../../src/core/data';
import { initBackend } from '../../src/core/model/backend';
import { buildAutoencoder, disposeBuilt, type BuiltModel } from '../../src/core/model/build';
import type { ResolvedConfig } from '../../src/core/config/types';
import { trainModel, validationLoss } from '../../src/core/train/train';
import { resolve, sensorsConfig } from './helpers';

before(async () => {
  await initBackend('wasm');
});

async function setup(overrides: Parameters<typeof sensorsConfig>[0] = {}): Promise<{ config: ResolvedConfig; data: Dataset; built: BuiltModel }> {
  const config = resolve(sensorsConfig(overrides));
  const data = await loadDataset(config);
  const built = buildAutoencoder(config, { window: 12, inputFeatures: 3, outputFeatures: 3, batchSize: config.training.batchSize });
  return { config, data, built };
}

describe('training loop', () => {
  test('the same seed gives the same weights and the same losses', async () => {
    const runs = [];
    for (let i = 0; i < 2; i++) {
      const { config, data, built } = await setup({ training: { epochs: 2, seed: 11 } });
      const initial = built.model.getWeights().map((w) => Array.from(w.dataSync()));
      const result = await trainModel(built, config, data);
      runs.push({ initial, losses: result.history.map((h) => h.loss) });
      disposeBuilt(built);
    }
    assert.deepEqual(runs[0].initial, runs[1].initial);
    assert.deepEqual(runs[0].losses, runs[1].losses);
  });

  test("early stopping restores the best epoch's weights", async () => {
    // A min delta no epoch can beat: epoch 1 stays best, patience 2 stops after epoch 3.
    const { config, data, built } = await setup({ training: { epochs: 10, earlyStopping: { patience: 2, minDelta: 1e9 } } });
    let afterEpoch1: number | null = null;
    const result = await trainModel(built, config, data, {
      onEpoch: (m) => {
        if (m.epoch === 1) afterEpoch1 = m.valLoss;
      },
    });
    assert.equal(result.status, 'completed');
    assert.equal(result.history.length, 3);
    assert.equal(result.restoredEpoch, 1);
    assert.match(result.reason ?? '', /early stopping at epoch 3/);
    const restored = validationLoss(built.model, config, data.validation, data.validation);
    assert.ok(afterEpoch1 !== null && Math.abs(restored! - afterEpoch1) < 1e-6, `restored ${restored} vs epoch 1 ${afterEpoch1}`);
    disposeBuilt(built);
  });

  test("a run that uses all its epochs also ends on the best epoch's weights (Keras does not: keras#12511)", async () => {
    // Patience 5 over 3 epochs never runs out; the unbeatable min delta keeps epoch 1 the best.
    const { config, data, built } = await setup({ training: { epochs: 3, earlyStopping: { patience: 5, minDelta: 1e9 } } });
    let afterEpoch1: number | null = null;
    let afterEpoch3: number | null = null;
    const result = await trainModel(built, config, data, {
      onEpoch: (m) => {
        if (m.epoch === 1) afterEpoch1 = m.valLoss;
        if (m.epoch === 3) afterEpoch3 = m.valLoss;
      },
    });
    assert.equal(result.status, 'completed');
    assert.equal(result.history.length, 3);
    assert.equal(result.restoredEpoch, 1);
    assert.match(result.reason ?? '', /trained all 3 epochs; the weights of epoch 1 .* were kept/);
    const restored = validationLoss(built.model, config, data.validation, data.validation);
    assert.ok(afterEpoch1 !== null && Math.abs(restored! - afterEpoch1) < 1e-6, `restored ${restored} vs epoch 1 ${afterEpoch1}`);
    assert.ok(afterEpoch3 !== null && Math.abs(restored! - afterEpoch3) > 1e-6, 'epoch 3 left different weights, so the check above can tell them apart');
    disposeBuilt(built);
  });

  test('without early stopping, or when the last epoch is the best, nothing is restored', async () => {
    const plain = await setup({ training: { epochs: 2 } });
    const plainResult = await trainModel(plain.built, plain.config, plain.data);
    disposeBuilt(plain.built);
    assert.equal(plainResult.restoredEpoch, undefined);
    assert.equal(plainResult.reason, undefined);
    // minDelta 0 and a learning rate that keeps improving: the last epoch is the best one.
    const improving = await setup({ training: { epochs: 2, earlyStopping: { patience: 5, minDelta: 0 } } });
    const improvingResult = await trainModel(improving.built, improving.config, improving.data);
    disposeBuilt(improving.built);
    const [first, second] = improvingResult.history.map((h) => h.valLoss!);
    if (second < first) assert.equal(improvingResult.restoredEpoch, undefined);
    else assert.equal(improvingResult.restoredEpoch, 1);
  });

  test('clipNorm keeps a huge learning rate finite where it would otherwise diverge', async () => {
    const diverging = { optimizer: 'sgd', learningRate: 1e6, epochs: 2 };
    const model = { outputActivation: 'linear', encoder: [{ units: 6, activation: 'relu' }], latent: { size: 3, activation: 'relu' } };
    const free = await setup({ training: diverging, model });
    const freeResult = await trainModel(free.built, free.config, free.data);
    disposeBuilt(free.built);
    const clipped = await setup({ training: { ...diverging, learningRate: 1e-3, clipNorm: 1 }, model });
    const clippedResult = await trainModel(clipped.built, clipped.config, clipped.data);
    disposeBuilt(clipped.built);
    assert.equal(freeResult.status, 'failed');
    assert.ok(freeResult.nonFiniteLoss, 'expected a non-finite loss without clipping');
    assert.equal(clippedResult.status, 'completed');
  });

  test('an abort stops before the next batch and keeps the finished epochs', async () => {
    const { config, data, built } = await setup({ training: { epochs: 50, batchSize: 4 } });
    const abort = new AbortController();
    let batchesAfterAbort = 0;
    const result = await trainModel(built, config, data, {
      signal: abort.signal,
      onBatch: (b) => {
        if (abort.signal.aborted) batchesAfterAbort++;
        if (b.epoch === 2 && b.batch === 3) abort.abort();
      },
    });
    assert.equal(result.status, 'cancelled');
    assert.equal(batchesAfterAbort, 0);
    assert.equal(result.history.length, 1);
    assert.match(result.reason ?? '', /cancelled at epoch 2, batch 4 of \d+/);
    disposeBuilt(built);
  });
});
