// The transpose-first BatchMatMul must be invisible except for speed: same products for every
// transpose combination and batch layout, same LSTM gradients to ~1e-6, and no leaked buffers.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { installTransposeFirstMatMul, uninstallTransposeFirstMatMul } from '../../src/core/model/wasmMatMul';
import { relativeError } from '../helpers/relativeError';
import { switchToStockWasm } from '../helpers/wasmBackend';

function usesReplacement(): boolean {
  return Object.getOwnPropertySymbols(tf.getKernel('BatchMatMul', 'wasm')!.kernelFunc).length > 0;
}

/** Runs `fn` with the stock kernel and with the replacement; returns both results. */
function bothWays<T>(fn: () => T): { stock: T; fast: T } {
  uninstallTransposeFirstMatMul();
  assert.equal(usesReplacement(), false);
  const stock = fn();
  assert.equal(installTransposeFirstMatMul(), true);
  assert.equal(usesReplacement(), true);
  const fast = fn();
  return { stock, fast };
}

describe('transpose-first BatchMatMul on the wasm backend', () => {
  before(async () => {
    await switchToStockWasm();
  });
  after(() => uninstallTransposeFirstMatMul());

  test('installing twice wraps the stock kernel once', () => {
    uninstallTransposeFirstMatMul();
    const stock = tf.getKernel('BatchMatMul', 'wasm')!.kernelFunc;
    installTransposeFirstMatMul();
    const once = tf.getKernel('BatchMatMul', 'wasm')!.kernelFunc;
    installTransposeFirstMatMul();
    assert.equal(tf.getKernel('BatchMatMul', 'wasm')!.kernelFunc, once);
    uninstallTransposeFirstMatMul();
    assert.equal(tf.getKernel('BatchMatMul', 'wasm')!.kernelFunc, stock);
  });

  const shapes: Array<{ name: string; a: number[]; b: number[] }> = [
    { name: '2-D', a: [37, 23], b: [23, 41] },
    { name: 'batched 3-D', a: [3, 17, 9], b: [3, 9, 12] },
    { name: 'broadcast batch', a: [4, 8, 6], b: [1, 6, 5] },
  ];
  for (const s of shapes) {
    for (const [ta, tb] of [
      [false, true],
      [true, false],
      [true, true],
      [false, false],
    ] as const) {
      test(`${s.name}, transposeA=${ta}, transposeB=${tb}: same product`, () => {
        const swap = (shape: number[], t: boolean) => (t ? [...shape.slice(0, -2), shape.at(-1)!, shape.at(-2)!] : shape);
        const a = tf.randomNormal(swap(s.a, ta), 0, 1, 'float32', 1);
        const b = tf.randomNormal(swap(s.b, tb), 0, 1, 'float32', 2);
        const { stock, fast } = bothWays(() => {
          const before = tf.engine().backend.numDataIds();
          const y = tf.matMul(a, b, ta, tb);
          // The result is the only new buffer: the transposed copies were freed.
          assert.equal(tf.engine().backend.numDataIds(), before + 1);
          const out = { shape: y.shape, values: y.dataSync().slice() };
          y.dispose();
          return out;
        });
        assert.deepEqual(fast.shape, stock.shape);
        assert.ok(relativeError(fast.values, stock.values) < 1e-6, `relative error ${relativeError(fast.values, stock.values)}`);
        a.dispose();
        b.dispose();
      });
    }
  }

  test('LSTM autoencoder gradients are unchanged to 1e-6', () => {
    const steps = 12,
      features = 2,
      units = 8,
      batch = 5;
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
    const output = tf.layers
      .timeDistributed({ layer: tf.layers.dense({ units: features, kernelInitializer: tf.initializers.glorotUniform({ seed: 7 }) }) })
      .apply(decoded) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: output });
    const x = tf.randomNormal([batch, steps, features], 0, 1, 'float32', 8);
    const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
    const { stock, fast } = bothWays(() =>
      tf.tidy(() => {
        const { value, grads } = tf.variableGrads(() => tf.losses.meanSquaredError(x, model.apply(x) as tf.Tensor) as tf.Scalar, vars);
        return { loss: value.dataSync()[0], grads: vars.map((v) => grads[v.name].dataSync().slice()) };
      }),
    );
    assert.ok(Math.abs(fast.loss - stock.loss) <= 1e-6 * Math.abs(stock.loss));
    vars.forEach((v, i) => {
      const err = relativeError(fast.grads[i], stock.grads[i]);
      assert.ok(err < 1e-6, `${v.name}: relative error ${err}`);
    });
    // The stock kernel and the replacement must not be the same computation by accident:
    // a kernel that ignored the transpose flags would give different gradients.
    assert.ok(stock.grads.some((g) => g.some((value) => value !== 0)));
    x.dispose();
    model.dispose();
  });
});
