// The summed Tile gradient must equal tfjs's slice-and-add one for every rank and repetition
// pattern tf.tile supports, and leave RepeatVector autoencoder gradients unchanged.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { installSummedTileGradient, uninstallSummedTileGradient } from '../../src/core/model/tileGradient';
import { relativeError } from '../helpers/relativeError';

function bothWays(fn: () => Float32Array[]): { stock: Float32Array[]; summed: Float32Array[] } {
  uninstallSummedTileGradient();
  const stock = fn();
  installSummedTileGradient();
  assert.notEqual(tf.getGradient('Tile'), undefined);
  const summed = fn();
  return { stock, summed };
}

describe('summed Tile gradient', () => {
  after(() => uninstallSummedTileGradient());

  const cases: Array<{ shape: number[]; reps: number[] }> = [
    { shape: [5], reps: [3] },
    { shape: [3, 4], reps: [2, 3] },
    { shape: [4, 1, 6], reps: [1, 9, 1] },
    { shape: [2, 3, 2], reps: [2, 1, 3] },
    { shape: [2, 2, 1, 3], reps: [1, 2, 4, 2] },
  ];
  for (const c of cases) {
    test(`shape [${c.shape}] tiled [${c.reps}]: same gradient`, () => {
      const x = tf.randomNormal(c.shape, 0, 1, 'float32', 1);
      const outShape = c.shape.map((n, i) => n * c.reps[i]);
      const weights = tf.randomNormal(outShape, 0, 1, 'float32', 2);
      const { stock, summed } = bothWays(() => {
        const g = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(tf.tile(v, c.reps), weights)))(x);
        return [g.dataSync() as Float32Array];
      });
      assert.ok(relativeError(summed[0], stock[0]) < 1e-6, `relative error ${relativeError(summed[0], stock[0])}`);
      // The gradient is the sum over the copies, not a copy: it must differ from the weights' first block.
      assert.ok(stock[0].some((v) => v !== 0));
    });
  }

  test('a RepeatVector autoencoder has the same gradients', () => {
    const steps = 10,
      features = 2,
      units = 6;
    const input = tf.input({ shape: [steps, features] });
    const encoded = tf.layers
      .lstm({ units, recurrentActivation: 'sigmoid', kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }), recurrentInitializer: tf.initializers.orthogonal({ seed: 4 }) })
      .apply(input) as tf.SymbolicTensor;
    const repeated = tf.layers.repeatVector({ n: steps }).apply(encoded) as tf.SymbolicTensor;
    const decoded = tf.layers
      .lstm({
        units,
        returnSequences: true,
        recurrentActivation: 'sigmoid',
        kernelInitializer: tf.initializers.glorotUniform({ seed: 5 }),
        recurrentInitializer: tf.initializers.orthogonal({ seed: 6 }),
      })
      .apply(repeated) as tf.SymbolicTensor;
    const output = tf.layers.dense({ units: features, kernelInitializer: tf.initializers.glorotUniform({ seed: 7 }) }).apply(decoded) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: output });
    const x = tf.randomNormal([4, steps, features], 0, 1, 'float32', 8);
    const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
    const { stock, summed } = bothWays(() =>
      tf.tidy(() => {
        const { grads } = tf.variableGrads(() => tf.losses.meanSquaredError(x, model.apply(x) as tf.Tensor) as tf.Scalar, vars);
        return vars.map((v) => grads[v.name].dataSync().slice() as Float32Array);
      }),
    );
    vars.forEach((v, i) => assert.ok(relativeError(summed[i], stock[i]) < 1e-6, `${v.name}: ${relativeError(summed[i], stock[i])}`));
    x.dispose();
    model.dispose();
  });
});
