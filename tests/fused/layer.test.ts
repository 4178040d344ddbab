// The fused layer must be a drop-in for tf.layers.lstm: same outputs, same gradients for every
// input and weight, for each configuration the model builder can ask of it.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { FusedLSTM } from '../../src/core/model/fused/fusedLstm';
import { loadLstmKernel, type LstmKernel } from '../../src/core/model/fused/lstmKernel';
import { tensorRelativeError } from '../helpers/relativeError';

interface Case {
  name: string;
  returnSequences: boolean;
  goBackwards: boolean;
  initialState: boolean;
  repeatedInput: boolean;
  recurrentActivation: 'sigmoid' | 'hardSigmoid';
}

const cases: Case[] = [
  { name: 'sequence output', returnSequences: true, goBackwards: false, initialState: false, repeatedInput: false, recurrentActivation: 'sigmoid' },
  { name: 'last state only', returnSequences: false, goBackwards: false, initialState: false, repeatedInput: false, recurrentActivation: 'sigmoid' },
  { name: 'initial state from a latent', returnSequences: true, goBackwards: false, initialState: true, repeatedInput: false, recurrentActivation: 'sigmoid' },
  { name: 'reversed input', returnSequences: true, goBackwards: true, initialState: false, repeatedInput: false, recurrentActivation: 'sigmoid' },
  { name: 'reversed input, last state', returnSequences: false, goBackwards: true, initialState: true, repeatedInput: false, recurrentActivation: 'sigmoid' },
  { name: 'repeated latent input', returnSequences: true, goBackwards: false, initialState: false, repeatedInput: true, recurrentActivation: 'sigmoid' },
  { name: 'hardSigmoid gates', returnSequences: true, goBackwards: false, initialState: true, repeatedInput: false, recurrentActivation: 'hardSigmoid' },
];

const B = 3,
  T = 7,
  D = 5,
  U = 6;

function run(layer: tf.layers.Layer, c: Case, seed: number) {
  const xValues = tf.randomNormal([B, c.repeatedInput ? 1 : T, D], 0, 1, 'float32', seed);
  const x = tf.variable(c.repeatedInput ? tf.tile(xValues, [1, T, 1]) : xValues, true);
  const h0 = tf.variable(tf.randomNormal([B, U], 0, 0.5, 'float32', seed + 1), true);
  const c0 = tf.variable(tf.randomNormal([B, U], 0, 0.5, 'float32', seed + 2), true);
  const outShape = c.returnSequences ? [B, T, U] : [B, U];
  const weights = tf.randomNormal(outShape, 0, 1, 'float32', seed + 3);
  const forward = () => {
    const y = layer.apply(x, c.initialState ? { initialState: [h0, c0] } : undefined) as tf.Tensor;
    return tf.sum(tf.mul(y, weights)) as tf.Scalar;
  };
  const y = layer.apply(x, c.initialState ? { initialState: [h0, c0] } : undefined) as tf.Tensor;
  const vars = [x, ...(c.initialState ? [h0, c0] : []), ...layer.trainableWeights.map((w) => w.read() as tf.Variable)];
  const { grads } = tf.variableGrads(forward, vars);
  return { y, grads: vars.map((v) => grads[v.name]), names: ['x', ...(c.initialState ? ['h0', 'c0'] : []), 'kernel', 'recurrentKernel', 'bias'] };
}

describe('FusedLSTM matches tf.layers.lstm', () => {
  let kernel: LstmKernel;
  before(async () => {
    await tf.setBackend('cpu');
    kernel = await loadLstmKernel();
  });

  for (const [k, c] of cases.entries()) {
    test(c.name, () => {
      const args = {
        units: U,
        returnSequences: c.returnSequences,
        goBackwards: c.goBackwards,
        recurrentActivation: c.recurrentActivation,
        unitForgetBias: true,
        inputShape: [T, D],
      };
      const stock = tf.layers.lstm(args);
      const fused = new FusedLSTM(args, kernel, c.recurrentActivation === 'hardSigmoid');
      const probe = tf.zeros([B, T, D]);
      stock.apply(probe);
      fused.apply(probe);
      // Random bias too, so every gate's gradient path is exercised.
      fused.setWeights(stock.getWeights().map((w, i) => (i === 2 ? tf.randomNormal(w.shape, 0, 0.3, 'float32', 7) : w)));
      stock.setWeights(fused.getWeights());
      const expected = run(stock, c, 100 + k);
      const actual = run(fused, c, 100 + k);
      assert.ok(tensorRelativeError(actual.y, expected.y) < 1e-5, `output differs by ${tensorRelativeError(actual.y, expected.y)}`);
      actual.grads.forEach((g, i) => {
        const err = tensorRelativeError(g, expected.grads[i]);
        assert.ok(err < 1e-5, `gradient of ${actual.names[i]} differs by ${err.toExponential(2)}`);
      });
    });
  }

  test('stacked layers in a model train to the same losses for 20 batches', () => {
    const build = (fusedKernel: LstmKernel | undefined) => {
      const make = (args: Parameters<typeof tf.layers.lstm>[0]) => (fusedKernel ? new FusedLSTM(args, fusedKernel, false) : tf.layers.lstm(args));
      const input = tf.input({ shape: [T, 1] });
      const enc1 = make({
        units: 8,
        returnSequences: true,
        recurrentActivation: 'sigmoid',
        unitForgetBias: true,
        kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }),
        recurrentInitializer: tf.initializers.orthogonal({ seed: 2 }),
      }).apply(input) as tf.SymbolicTensor;
      const enc2 = make({
        units: 4,
        recurrentActivation: 'sigmoid',
        unitForgetBias: true,
        kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }),
        recurrentInitializer: tf.initializers.orthogonal({ seed: 4 }),
      }).apply(enc1) as tf.SymbolicTensor;
      const repeated = tf.layers.repeatVector({ n: T }).apply(enc2) as tf.SymbolicTensor;
      const dec = make({
        units: 8,
        returnSequences: true,
        recurrentActivation: 'sigmoid',
        unitForgetBias: true,
        kernelInitializer: tf.initializers.glorotUniform({ seed: 5 }),
        recurrentInitializer: tf.initializers.orthogonal({ seed: 6 }),
      }).apply(repeated) as tf.SymbolicTensor;
      const out = tf.layers
        .timeDistributed({ layer: tf.layers.dense({ units: 1, kernelInitializer: tf.initializers.glorotUniform({ seed: 7 }) }) })
        .apply(dec) as tf.SymbolicTensor;
      return tf.model({ inputs: input, outputs: out });
    };
    const losses = (model: tf.LayersModel) => {
      const optimizer = tf.train.adam(1e-2);
      const result: number[] = [];
      for (let b = 0; b < 20; b++) {
        const t = tf.linspace(0, 6, T).reshape([1, T, 1]);
        // Four fixed batches in turn: the losses then fall visibly within 20 steps.
        const batch = tf.sin(tf.add(t, tf.randomUniform([8, 1, 1], 0, 6, 'float32', b % 4)));
        const loss = optimizer.minimize(() => tf.losses.meanSquaredError(batch, model.apply(batch) as tf.Tensor) as tf.Scalar, true) as tf.Scalar;
        result.push(loss.dataSync()[0]);
      }
      return result;
    };
    const stockLosses = losses(build(undefined));
    const fusedLosses = losses(build(kernel));
    stockLosses.forEach((l, b) => assert.ok(Math.abs(fusedLosses[b] - l) / l < 1e-4, `batch ${b}: fused ${fusedLosses[b]} vs tfjs ${l}`));
    assert.ok(stockLosses.slice(16).reduce((a, l) => a + l) < stockLosses.slice(0, 4).reduce((a, l) => a + l), 'the reference run did not learn, so the comparison proves little');
  });

  test('a model with fused layers saves as a plain LSTM model and reloads with the same outputs', async () => {
    const input = tf.input({ shape: [T, D] });
    const layer = new FusedLSTM({ units: U, returnSequences: true, recurrentActivation: 'sigmoid' }, kernel, false);
    const model = tf.model({ inputs: input, outputs: layer.apply(input) as tf.SymbolicTensor });
    let saved: tf.io.ModelArtifacts | undefined;
    await model.save(
      tf.io.withSaveHandler(async (artifacts) => {
        saved = artifacts;
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
    );
    assert.ok(saved);
    assert.match(JSON.stringify(saved.modelTopology), /"class_name":"LSTM"/);
    const reloaded = await tf.loadLayersModel(tf.io.fromMemory(saved));
    assert.notEqual(reloaded.layers[1].constructor, FusedLSTM);
    const x = tf.randomNormal([2, T, D], 0, 1, 'float32', 11);
    assert.ok(tensorRelativeError(model.predict(x) as tf.Tensor, reloaded.predict(x) as tf.Tensor) < 1e-5);
  });
});
