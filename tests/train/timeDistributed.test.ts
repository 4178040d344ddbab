// The output head folds time steps into the batch instead of tfjs's per-step loop: same values,
// same gradients, and it saves and loads as the stock TimeDistributed layer.

import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/core/model/backend';
import { timeDistributedDense } from '../../src/core/model/timeDistributed';

before(async () => {
  await initBackend('wasm');
});

function maxGap(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);
}

describe('time-distributed Dense without the per-step loop', () => {
  test('same outputs and gradients as tf.layers.timeDistributed, serialised under the same class name', () => {
    const input = tf.input({ shape: [7, 5] });
    const ours = timeDistributedDense(tf.layers.dense({ units: 3, activation: 'tanh' }), 'output');
    const stock = tf.layers.timeDistributed({ layer: tf.layers.dense({ units: 3, activation: 'tanh' }), name: 'stock' });
    const a = tf.model({ inputs: input, outputs: ours.apply(input) as tf.SymbolicTensor });
    const b = tf.model({ inputs: input, outputs: stock.apply(input) as tf.SymbolicTensor });
    b.setWeights(a.getWeights());
    assert.equal(ours.getClassName(), 'TimeDistributed');
    assert.deepEqual(a.outputs[0].shape, [null, 7, 3]);

    const x = tf.randomNormal([4, 7, 5], 0, 1, 'float32', 3);
    const ya = a.predict(x) as tf.Tensor;
    const yb = b.predict(x) as tf.Tensor;
    assert.deepEqual(ya.shape, [4, 7, 3]);
    assert.ok(maxGap(ya, yb) < 1e-6, `outputs differ by ${maxGap(ya, yb)}`);
    // Gradients of a loss with respect to the weights and to the input.
    const loss = (m: tf.LayersModel) => () => tf.sum(tf.square(m.apply(x) as tf.Tensor)) as tf.Scalar;
    const ga = tf.variableGrads(loss(a));
    const gb = tf.variableGrads(loss(b));
    const va = a.trainableWeights.map((w) => ga.grads[w.originalName]);
    const vb = b.trainableWeights.map((w) => gb.grads[w.originalName]);
    assert.equal(va.length, 2);
    va.forEach((g, i) => assert.ok(maxGap(g, vb[i]) < 1e-4, `weight gradient ${i} differs by ${maxGap(g, vb[i])}`));
    const dxa = tf.grad((xx: tf.Tensor) => tf.sum(tf.square(a.apply(xx) as tf.Tensor)))(x);
    const dxb = tf.grad((xx: tf.Tensor) => tf.sum(tf.square(b.apply(xx) as tf.Tensor)))(x);
    assert.ok(maxGap(dxa, dxb) < 1e-4, `input gradient differs by ${maxGap(dxa, dxb)}`);
    tf.dispose([x, ya, yb, dxa, dxb, ...Object.values(ga.grads), ...Object.values(gb.grads), ga.value, gb.value]);
    a.dispose();
    b.dispose();
  });
});
