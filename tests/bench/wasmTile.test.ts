// The block-copy Tile must produce exactly what the stock wasm kernel does, for every rank,
// repetition pattern and dtype RepeatVector or anything else may ask for (its speed is in BENCHMARKS.md).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { installCopyingTile, uninstallCopyingTile } from '../../src/core/model/wasmTile';
import { switchToStockWasm } from '../helpers/wasmBackend';

function usesReplacement(): boolean {
  return Object.getOwnPropertySymbols(tf.getKernel('Tile', 'wasm')!.kernelFunc).length > 0;
}

function tiled(x: tf.Tensor, reps: number[]): { shape: number[]; values: number[] } {
  const y = tf.tile(x, reps);
  const out = { shape: y.shape, values: Array.from(y.dataSync()) };
  y.dispose();
  return out;
}

const cases: Array<{ shape: number[]; reps: number[]; dtype: 'float32' | 'int32' | 'bool' }> = [
  { shape: [], reps: [], dtype: 'float32' },
  { shape: [5], reps: [3], dtype: 'float32' },
  { shape: [3, 1, 7], reps: [1, 14, 1], dtype: 'float32' }, // RepeatVector
  { shape: [2, 3], reps: [4, 2], dtype: 'int32' },
  { shape: [2, 3, 2, 2], reps: [2, 1, 3, 2], dtype: 'float32' },
  { shape: [3, 2], reps: [2, 3], dtype: 'bool' },
  { shape: [0, 4], reps: [3, 2], dtype: 'float32' },
  { shape: [2, 5], reps: [1, 1], dtype: 'float32' },
];

describe('block-copy Tile on the wasm backend', () => {
  before(async () => {
    await switchToStockWasm();
  });
  after(() => uninstallCopyingTile());

  test('installing twice wraps the stock kernel once; uninstall restores it', () => {
    uninstallCopyingTile();
    const stock = tf.getKernel('Tile', 'wasm')!.kernelFunc;
    assert.equal(installCopyingTile(), true);
    assert.equal(installCopyingTile(), true);
    assert.equal(usesReplacement(), true);
    uninstallCopyingTile();
    assert.equal(tf.getKernel('Tile', 'wasm')!.kernelFunc, stock);
  });

  for (const c of cases) {
    test(`${c.dtype} [${c.shape}] x [${c.reps}] equals the stock kernel`, () => {
      const size = c.shape.reduce((a, b) => a * b, 1);
      const values = Array.from({ length: size }, (_, k) => (c.dtype === 'bool' ? k % 3 === 0 : k * 1.5 - 4)) as number[] | boolean[];
      const x = c.dtype === 'bool' ? tf.tensor(values as boolean[], c.shape, 'bool') : tf.tensor(values as number[], c.shape, c.dtype);
      uninstallCopyingTile();
      const stock = tiled(x, c.reps);
      installCopyingTile();
      assert.equal(usesReplacement(), true);
      const fast = tiled(x, c.reps);
      x.dispose();
      assert.deepEqual(fast.shape, stock.shape);
      assert.deepEqual(fast.values, stock.values);
    });
  }

  test('gradients through the replaced Tile are unchanged, and no tensors leak', () => {
    const x = tf.randomNormal([4, 1, 6], 0, 1, 'float32', 3);
    const w = tf.randomNormal([4, 9, 6], 0, 1, 'float32', 4);
    const grad = () => tf.grad((v: tf.Tensor) => tf.sum(tf.mul(tf.tile(v, [1, 9, 1]), w)))(x);
    uninstallCopyingTile();
    const stock = grad();
    installCopyingTile();
    const before = tf.memory().numTensors;
    const fast = grad();
    assert.equal(tf.memory().numTensors, before + 1);
    assert.deepEqual(Array.from(fast.dataSync()), Array.from(stock.dataSync()));
    tf.dispose([x, w, stock, fast]);
  });
});
