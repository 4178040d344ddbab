// On the wasm backend the fused layers and the fused Adam read tensors as views into tfjs's heap
// and hand results back without intermediate copies (tensorIo.ts). The equivalence of
// layer.test.ts, run there on cpu, must hold on that path too, for both cells.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { FusedAdamOptimizer } from '../../src/core/model/fused/fusedAdam';
import { FusedGRU } from '../../src/core/model/fused/fusedGru';
import { FusedLSTM } from '../../src/core/model/fused/fusedLstm';
import { fedByRepeatVector } from '../../src/core/model/fused/fusedSupport';
import { loadLstmKernel, type LstmKernel } from '../../src/core/model/fused/lstmKernel';
import { tensorRelativeError } from '../helpers/relativeError';
import { switchToStockWasm } from '../helpers/wasmBackend';
import { CELLS, pair, run, sineLosses, type Case } from './cells';

const B = 4,
  T = 9,
  D = 3,
  U = 8;

describe('fused layer and Adam on the wasm backend', () => {
  let kernel: LstmKernel;
  before(async () => {
    await switchToStockWasm();
    kernel = await loadLstmKernel();
  });

  for (const cell of CELLS) {
    for (const withState of [false, true]) {
      test(`outputs and every gradient match tf.layers.${cell.name.toLowerCase()} (${withState ? 'with' : 'without'} an initial state)`, () => {
        const c: Case = {
          name: '',
          batch: B,
          steps: T,
          features: D,
          units: U,
          returnSequences: true,
          goBackwards: false,
          initialState: withState,
          repeatedInput: false,
          recurrentActivation: 'sigmoid',
        };
        const { stock, fused } = pair(kernel, cell, c);
        const expected = run(stock, cell, c, 1);
        const actual = run(fused, cell, c, 1);
        assert.ok(tensorRelativeError(actual.y, expected.y) < 1e-5, `output differs by ${tensorRelativeError(actual.y, expected.y)}`);
        actual.grads.forEach((g, i) => {
          const err = tensorRelativeError(g, expected.grads[i]);
          assert.ok(err < 1e-5, `gradient of ${actual.names[i]} differs by ${err.toExponential(2)}`);
        });
      });
    }
  }

  test('a fused GRU encoder-decoder (initial state and RepeatVector input) has every gradient of tf.layers.gru', () => {
    const build = (fusedKernel: LstmKernel | undefined) => {
      const make = (args: Parameters<typeof tf.layers.gru>[0]) => (fusedKernel ? new FusedGRU(args, fusedKernel, false) : tf.layers.gru(args));
      const input = tf.input({ shape: [T, D] });
      const init = (seed: number) => ({ kernelInitializer: tf.initializers.glorotUniform({ seed }), recurrentInitializer: tf.initializers.orthogonal({ seed: seed + 1 }) });
      const code = make({ units: 6, recurrentActivation: 'sigmoid', goBackwards: true, ...init(20) }).apply(input) as tf.SymbolicTensor;
      const repeated = tf.layers.repeatVector({ n: T }).apply(code) as tf.SymbolicTensor;
      const decoded = make({ units: U, returnSequences: true, recurrentActivation: 'sigmoid', ...init(22) }).apply(repeated) as tf.SymbolicTensor;
      // Last, a layer started from the code (as build.ts passes a state). It must be the last
      // recurrent layer: tfjs's RNN.apply writes initialState into the kwargs that the model's
      // executor shares with every later layer, and a later RNN then refuses them (stock too;
      // buildAutoencoder gives each layer of TSAE's models its own copy, this bare model does not).
      const refined = make({ units: 6, returnSequences: true, recurrentActivation: 'sigmoid', ...init(24) }).apply([decoded, code]) as tf.SymbolicTensor;
      const out = tf.layers.dense({ units: D, kernelInitializer: tf.initializers.glorotUniform({ seed: 26 }) }).apply(refined) as tf.SymbolicTensor;
      return tf.model({ inputs: input, outputs: out });
    };
    const stock = build(undefined);
    const fused = build(kernel);
    assert.equal(fused.layers.filter((l) => l instanceof FusedGRU).length, 3);
    // The decoder (layer 3) takes the kernel's summed-input-gradient path.
    assert.deepEqual(
      fused.layers.map((l) => fedByRepeatVector(l)),
      [false, false, false, true, false, false],
    );
    const x = tf.randomNormal([B, T, D], 0, 1, 'float32', 27);
    const grads = (m: tf.LayersModel) => {
      const vars = m.trainableWeights.map((w) => w.read() as tf.Variable);
      const { value, grads: g } = tf.variableGrads(() => tf.losses.meanSquaredError(x, m.apply(x) as tf.Tensor) as tf.Scalar, vars);
      return { loss: value.dataSync()[0], grads: vars.map((v) => g[v.name]) };
    };
    const expected = grads(stock);
    const actual = grads(fused);
    assert.ok(Math.abs(actual.loss - expected.loss) / expected.loss < 1e-5, `loss ${actual.loss} vs ${expected.loss}`);
    assert.equal(actual.grads.length, 11);
    actual.grads.forEach((g, i) => assert.ok(tensorRelativeError(g, expected.grads[i]) < 1e-5, `gradient of weight ${i} differs by ${tensorRelativeError(g, expected.grads[i])}`));
  });

  test('a decoder fed by a RepeatVector returns only the summed input gradient, and every weight gradient stays exact', () => {
    const build = (fusedKernel: LstmKernel | undefined) => {
      const input = tf.input({ shape: [D] });
      const latent = tf.layers.dense({ units: 5, kernelInitializer: tf.initializers.glorotUniform({ seed: 8 }) }).apply(input) as tf.SymbolicTensor;
      const repeated = tf.layers.repeatVector({ n: T }).apply(latent) as tf.SymbolicTensor;
      const args = {
        units: U,
        returnSequences: true,
        recurrentActivation: 'sigmoid' as const,
        kernelInitializer: tf.initializers.glorotUniform({ seed: 9 }),
        recurrentInitializer: tf.initializers.orthogonal({ seed: 10 }),
      };
      const decoder = fusedKernel ? new FusedLSTM(args, fusedKernel, false) : tf.layers.lstm(args);
      const out = tf.layers.dense({ units: 2, kernelInitializer: tf.initializers.glorotUniform({ seed: 11 }) }).apply(decoder.apply(repeated)) as tf.SymbolicTensor;
      return { model: tf.model({ inputs: input, outputs: out }), decoder };
    };
    const stock = build(undefined);
    const fused = build(kernel);
    assert.equal(fedByRepeatVector(fused.decoder), true);
    const x = tf.randomNormal([B, D], 0, 1, 'float32', 12);
    const target = tf.randomNormal([B, T, 2], 0, 1, 'float32', 13);
    const grads = (m: tf.LayersModel) => {
      const vars = m.trainableWeights.map((w) => w.read() as tf.Variable);
      const { grads: g } = tf.variableGrads(() => tf.losses.meanSquaredError(target, m.apply(x) as tf.Tensor) as tf.Scalar, vars);
      return vars.map((v) => g[v.name]);
    };
    const expected = grads(stock.model);
    const actual = grads(fused.model);
    assert.equal(actual.length, 7);
    actual.forEach((g, i) => assert.ok(tensorRelativeError(g, expected[i]) < 1e-5, `gradient of weight ${i} differs by ${tensorRelativeError(g, expected[i])}`));
  });

  test('a fused model trains to the same losses with the fused Adam as with tf.train.adam', () => {
    const build = () => {
      const input = tf.input({ shape: [T, 1] });
      const encoder = new FusedLSTM(
        { units: U, recurrentActivation: 'sigmoid', kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }), recurrentInitializer: tf.initializers.orthogonal({ seed: 2 }) },
        kernel,
        false,
      );
      const decoder = new FusedLSTM(
        {
          units: U,
          returnSequences: true,
          recurrentActivation: 'sigmoid',
          kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }),
          recurrentInitializer: tf.initializers.orthogonal({ seed: 4 }),
        },
        kernel,
        false,
      );
      const repeated = tf.layers.repeatVector({ n: T }).apply(encoder.apply(input)) as tf.SymbolicTensor;
      const out = tf.layers.dense({ units: 1, kernelInitializer: tf.initializers.glorotUniform({ seed: 5 }) }).apply(decoder.apply(repeated)) as tf.SymbolicTensor;
      return tf.model({ inputs: input, outputs: out });
    };
    const stock = sineLosses(build(), tf.train.adam(3e-2), T, 15, 3);
    const fused = sineLosses(build(), new FusedAdamOptimizer(kernel, 3e-2), T, 15, 3);
    stock.forEach((l, b) => assert.ok(Math.abs(fused[b] - l) / l < 1e-4, `batch ${b}: fused Adam ${fused[b]} vs tf.train.adam ${l}`));
    // Batches 0 and 12 are the same windows.
    assert.ok(stock[12] < stock[0] * 0.9, `the reference run did not learn (${stock[0]} -> ${stock[12]}), so the comparison proves little`);
  });
});
