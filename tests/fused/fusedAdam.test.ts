// The fused Adam must train like tf.train.adam (same weights after many steps, to float32
// rounding), keep its state through getWeights/setWeights, and launch far fewer kernels.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { FusedAdamOptimizer } from '../../src/core/model/fused/fusedAdam';
import { loadLstmKernel, type LstmKernel } from '../../src/core/model/fused/lstmKernel';
import { createOptimizer } from '../../src/core/train/optimizer';

/** A small regression whose gradients change every step: w1 [6, 4], b1 [4], w2 [4, 1]. */
function problem(seed: number) {
  const x = tf.randomNormal([32, 6], 0, 1, 'float32', seed);
  const y = tf.randomNormal([32, 1], 0, 1, 'float32', seed + 1);
  const vars = [
    tf.variable(tf.randomNormal([6, 4], 0, 0.5, 'float32', seed + 2), true, `w1_${seed}`),
    tf.variable(tf.zeros([4]), true, `b1_${seed}`),
    tf.variable(tf.randomNormal([4, 1], 0, 0.5, 'float32', seed + 3), true, `w2_${seed}`),
  ];
  const loss = () => tf.tidy(() => tf.losses.meanSquaredError(y, tf.matMul(tf.tanh(tf.add(tf.matMul(x, vars[0]), vars[1])), vars[2])) as tf.Scalar);
  return { vars, loss, dispose: () => tf.dispose([x, y, ...vars]) };
}

function step(optimizer: tf.Optimizer, p: ReturnType<typeof problem>): void {
  optimizer.minimize(p.loss, true, p.vars)?.dispose();
}

function train(optimizer: tf.Optimizer, seed: number, steps: number): number[][] {
  const p = problem(seed);
  for (let k = 0; k < steps; k++) step(optimizer, p);
  const out = p.vars.map((v) => Array.from(v.dataSync()));
  p.dispose();
  return out;
}

function maxRelativeDifference(a: number[][], b: number[][]): number {
  let diff = 0,
    scale = 0;
  a.flat().forEach((value, k) => {
    diff = Math.max(diff, Math.abs(value - b.flat()[k]));
    scale = Math.max(scale, Math.abs(b.flat()[k]));
  });
  return diff / scale;
}

describe('FusedAdamOptimizer', () => {
  let kernel: LstmKernel;
  before(async () => {
    await tf.setBackend('cpu');
    kernel = await loadLstmKernel();
  });

  test('the trainer builds it for adam once the kernel is loaded', () => {
    const o = createOptimizer('adam', 1e-3);
    assert.ok(o instanceof FusedAdamOptimizer);
    assert.equal(o.getClassName(), 'Adam');
    o.dispose();
  });

  test('50 steps give the weights tf.train.adam gives', () => {
    const stock = train(tf.train.adam(0.01), 10, 50);
    const fused = train(new FusedAdamOptimizer(kernel, 0.01), 10, 50);
    const moved = maxRelativeDifference(train(tf.train.adam(0.01), 10, 0), stock);
    assert.ok(moved > 1e-2, `training barely moved the weights (${moved}), so the comparison says nothing`);
    const d = maxRelativeDifference(fused, stock);
    assert.ok(d < 1e-5, `weights differ by ${d} relative`);
  });

  test('state survives getWeights / setWeights: a restored optimizer continues the same run', async () => {
    const p = problem(20);
    const first = new FusedAdamOptimizer(kernel, 0.01);
    for (let k = 0; k < 10; k++) step(first, p);
    const saved = await first.getWeights();
    assert.equal(saved.length, 1 + 2 * p.vars.length);
    assert.deepEqual(
      saved.slice(1).map((w: { name: string }) => w.name),
      [...p.vars.map((v) => `${v.name}/m`), ...p.vars.map((v) => `${v.name}/v`)],
    );
    const restored = new FusedAdamOptimizer(kernel, 0.01);
    await restored.setWeights(saved);
    const snapshot = p.vars.map((v) => v.clone());
    step(first, p);
    const afterFirst = p.vars.map((v) => Array.from(v.dataSync()));
    p.vars.forEach((v, k) => v.assign(snapshot[k]));
    step(restored, p);
    const afterRestored = p.vars.map((v) => Array.from(v.dataSync()));
    assert.deepEqual(afterRestored, afterFirst);
    tf.dispose([...snapshot, ...saved.map((w: { tensor: tf.Tensor }) => w.tensor)]);
    p.dispose();
  });

  test('one step launches a few kernels per variable instead of ~14', async () => {
    const count = async (optimizer: tf.Optimizer) => {
      const p = problem(30);
      const grads = tf.variableGrads(p.loss, p.vars).grads;
      const info = await tf.profile(() => optimizer.applyGradients(grads));
      tf.dispose(Object.values(grads));
      p.dispose();
      return info.kernels.length;
    };
    const stock = await count(tf.train.adam(0.01));
    const fused = await count(new FusedAdamOptimizer(kernel, 0.01));
    assert.ok(fused * 3 < stock, `fused Adam launched ${fused} kernels, tf.train.adam ${stock}`);
  });
});
