// The small pieces of the training engine, each against figures worked out by hand.

import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { rocAuc, quantile } from '../../src/core/train/metrics';
import { createOptimizer, learningRateAt, setLearningRate } from '../../src/core/train/optimizer';
import { batchLoss } from '../../src/core/train/loss';
import { errorQuantiles } from '../../src/core/train/finalEvaluation';
import { comparableOutput, trainingTarget } from '../../src/core/model/targets';
import { writeFileAtomic } from '../../src/core/run/atomicWrite';
import { runFolderName } from '../../src/core/run/runFolder';
import { backendLine, initBackend } from '../../src/core/model/backend';
import { progressText } from '../../src/cli/train';
import { resolve, sensorsConfig, tempDir } from './helpers';

before(async () => {
  await initBackend('cpu');
});

describe('rocAuc', () => {
  test('perfect, inverted and uninformative scores', () => {
    assert.equal(rocAuc([0.1, 0.2, 0.8, 0.9], [false, false, true, true]), 1);
    assert.equal(rocAuc([0.9, 0.8, 0.2, 0.1], [false, false, true, true]), 0);
    assert.equal(rocAuc([0.5, 0.5, 0.5, 0.5], [false, true, false, true]), 0.5);
  });

  test('counts ties as one half (Mann-Whitney U)', () => {
    // Pairs (positive, negative): (0.4 > 0.1), (0.4 = 0.4: 1/2), (0.35 > 0.1), (0.35 < 0.4) -> 2.5 / 4.
    assert.equal(rocAuc([0.1, 0.4, 0.35, 0.4], [false, false, true, true]), 0.625);
  });

  test('is NaN with one class only, and refuses mismatched lengths', () => {
    assert.ok(Number.isNaN(rocAuc([1, 2], [true, true])));
    assert.throws(() => rocAuc([1, 2], [true]), /2 scores but 1 labels/);
  });
});

describe('quantiles and thresholds', () => {
  test('linear interpolation like numpy', () => {
    assert.equal(quantile([1, 2, 3, 4], 0.5), 2.5);
    assert.equal(quantile([4, 1, 3, 2], 0.25), 1.75);
    assert.equal(quantile([7], 0.99), 7);
  });

  test('errorQuantiles keeps min, max and the 0.99 quantile', () => {
    const errors = Array.from({ length: 101 }, (_, i) => i / 100);
    const q = errorQuantiles(errors);
    assert.equal(q.windows, 101);
    assert.equal(q.quantiles['0'], 0);
    assert.equal(q.quantiles['1'], 1);
    assert.ok(Math.abs(q.quantiles['0.99'] - 0.99) < 1e-12);
  });
});

describe('learning rate', () => {
  test('step decay multiplies by the factor every N epochs', () => {
    const decay = { factor: 0.5, everyEpochs: 2 };
    assert.deepEqual(
      [1, 2, 3, 4, 5].map((e) => learningRateAt(e, 0.1, decay)),
      [0.1, 0.1, 0.05, 0.05, 0.025],
    );
    assert.equal(learningRateAt(9, 0.1, undefined), 0.1);
  });

  for (const name of ['sgd', 'adam', 'rmsprop', 'adagrad'] as const) {
    test(`${name}: setLearningRate changes the step size`, () => {
      const step = (lr: number): number => {
        const v = tf.variable(tf.scalar(1));
        const opt = createOptimizer(name, 1);
        setLearningRate(opt, lr);
        opt.minimize(() => tf.mul(v, 3) as tf.Scalar);
        const moved = 1 - v.dataSync()[0];
        opt.dispose();
        v.dispose();
        return moved;
      };
      const small = step(0.01);
      const large = step(0.1);
      assert.ok(small > 0 && Math.abs(large / small - 10) < 1e-3, `steps ${small} and ${large}`);
    });
  }
});

describe('loss targets', () => {
  const window = () => tf.tensor3d([[[1], [2], [3], [6]]]);

  test('reverseTarget trains on the window back to front; unreverseOutput flips outputs back', () => {
    const y = window();
    const config = resolve(sensorsConfig({ model: { reverseTarget: true, unreverseOutput: true } }));
    assert.deepEqual(trainingTarget(y, config).arraySync(), [[[6], [3], [2], [1]]]);
    assert.deepEqual(comparableOutput(y, config).arraySync(), [[[6], [3], [2], [1]]]);
    const pitfall = resolve(sensorsConfig({ model: { reverseTarget: true, unreverseOutput: false } }));
    assert.deepEqual(comparableOutput(y, pitfall).arraySync(), y.arraySync());
  });

  test('timeMean reduces the target to the window mean, which broadcasts over time in the loss', () => {
    const config = resolve(sensorsConfig({ training: { targetReduction: 'timeMean' } }));
    const target = trainingTarget(window(), config);
    assert.deepEqual(target.arraySync(), [[[3]]]);
    const flat = tf.fill([1, 4, 1], 3);
    assert.equal(batchLoss(flat, target, 'mse', 'mean').dataSync()[0], 0, 'a constant mean output is a perfect fit');
  });

  test('mean and sum reductions over windows, mse and mae', () => {
    const out = tf.tensor3d([
      [[0], [0]],
      [[1], [1]],
    ]);
    const target = tf.tensor3d([
      [[1], [1]],
      [[1], [3]],
    ]);
    // Per window mse: 1 and 2; mae: 1 and 1.
    assert.equal(batchLoss(out, target, 'mse', 'mean').dataSync()[0], 1.5);
    assert.equal(batchLoss(out, target, 'mse', 'sum').dataSync()[0], 3);
    assert.equal(batchLoss(out, target, 'mae', 'mean').dataSync()[0], 1);
  });
});

describe('run folder', () => {
  test('folder names sort by time and keep the config name readable', () => {
    assert.equal(runFolderName(new Date(2026, 0, 2, 3, 4, 5), 'ECG 5000 / normal'), '20260102-030405-ECG-5000-normal');
  });

  // Creation (owner record, same-second suffixes) is tested in runLifecycle.test.ts.

  test('writeFileAtomic replaces the file whole and leaves no temporary file', async () => {
    const dir = tempDir('tsae-atomic-');
    const file = path.join(dir, 'summary.json');
    await writeFileAtomic(file, 'first');
    await writeFileAtomic(file, 'second');
    assert.equal(fs.readFileSync(file, 'utf8'), 'second');
    assert.deepEqual(fs.readdirSync(dir), ['summary.json']);
  });

  test('a failed write leaves the old file untouched', async () => {
    const dir = tempDir('tsae-atomic-');
    const file = path.join(dir, 'target');
    fs.mkdirSync(file); // renaming a file over a folder fails
    await assert.rejects(writeFileAtomic(file, 'x'));
    assert.ok(fs.statSync(file).isDirectory());
    assert.deepEqual(fs.readdirSync(dir), ['target']);
  });
});

describe('backend choice', () => {
  test('a forced backend that is missing falls back to cpu and says why', async () => {
    // tfjs-node is an optional dependency that this repo's CI does not install.
    let nodeBindingInstalled = true;
    try {
      require.resolve('@tensorflow/tfjs-node');
    } catch {
      nodeBindingInstalled = false;
    }
    const choice = await initBackend('tensorflow');
    if (nodeBindingInstalled) {
      assert.equal(choice.backend, 'tensorflow');
    } else {
      assert.equal(choice.backend, 'cpu');
      assert.match(choice.reason, /requested tensorflow unavailable \(tfjs-node not installed\), fell back to cpu/);
      assert.equal(choice.requestedUnavailable, 'tfjs-node not installed');
    }
    assert.equal(tf.getBackend(), choice.backend);
    assert.equal(backendLine(choice), `backend: ${choice.backend} (${choice.reason})`);
  });
});

describe('CLI progress line', () => {
  test('shows epoch, a bar filled by the batch share, and the loss', () => {
    assert.equal(progressText(2, 10, 5, 10, 0.123456), 'epoch 2/10 [##########..........] batch 5/10 loss 0.1235');
    assert.equal(progressText(1, 1, 8, 8, 2e-5), 'epoch 1/1 [####################] batch 8/8 loss 2e-5');
  });
});
