// Each fused layer must be a drop-in for its stock tfjs layer (FusedLSTM for tf.layers.lstm,
// FusedGRU for tf.layers.gru): same outputs, same gradients for every input and weight, for each
// configuration the model builder can ask of it, on shapes whose unit counts are and are not
// multiples of the kernel's 4 SIMD lanes; it must train like the stock layer and save as the
// stock class. One table of cells drives every test, so a check added for one cell runs for both.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import type { ResolvedRecurrentLayer } from '../../src/core/config/types';
import { fusedUnsupported } from '../../src/core/model/fused/fusedSupport';
import { loadLstmKernel, type LstmKernel } from '../../src/core/model/fused/lstmKernel';
import { tensorRelativeError } from '../helpers/relativeError';
import { CELLS, pair, run, sineLosses, type Case, type RecurrentArgs } from './cells';

const base = { goBackwards: false, initialState: false, repeatedInput: false, recurrentActivation: 'sigmoid' as const };
const cases: Case[] = [
  { ...base, name: 'sequence output, 6 units', batch: 3, steps: 7, features: 5, units: 6, returnSequences: true },
  { ...base, name: 'last state only, 5 units, 1 feature', batch: 2, steps: 9, features: 1, units: 5, returnSequences: false },
  { ...base, name: 'initial state, 8 units', batch: 5, steps: 4, features: 3, units: 8, returnSequences: true, initialState: true },
  { ...base, name: 'initial state, last state only, 3 units', batch: 4, steps: 6, features: 2, units: 3, returnSequences: false, initialState: true },
  { ...base, name: 'reversed input, 7 units', batch: 3, steps: 6, features: 2, units: 7, returnSequences: true, goBackwards: true },
  {
    ...base,
    name: 'reversed input, last state, initial state, two steps',
    batch: 2,
    steps: 2,
    features: 4,
    units: 4,
    returnSequences: false,
    goBackwards: true,
    initialState: true,
  },
  { ...base, name: 'repeated latent input, 6 units', batch: 3, steps: 7, features: 5, units: 6, returnSequences: true, repeatedInput: true },
  { ...base, name: 'hardSigmoid gates, 9 units', batch: 3, steps: 5, features: 3, units: 9, returnSequences: true, initialState: true, recurrentActivation: 'hardSigmoid' },
  { ...base, name: '12 units, 16 steps, batch 6', batch: 6, steps: 16, features: 3, units: 12, returnSequences: true },
  // 150 rows of steps x batch: the weight gradients cross the kernel's 128-row K chunk with a ragged width.
  { ...base, name: '7 units, 30 steps, batch 5', batch: 5, steps: 30, features: 2, units: 7, returnSequences: true, initialState: true },
];

for (const cell of CELLS) {
  describe(`Fused${cell.name} matches tf.layers.${cell.name.toLowerCase()}`, () => {
    let kernel: LstmKernel;
    before(async () => {
      await tf.setBackend('cpu');
      kernel = await loadLstmKernel();
    });

    for (const [k, c] of cases.entries()) {
      test(c.name, () => {
        const { stock, fused } = pair(kernel, cell, c);
        const G = cell.gates * c.units;
        assert.deepEqual(
          fused.getWeights().map((w) => w.shape),
          [[c.features, G], [c.units, G], [G]],
        );
        const expected = run(stock, cell, c, 100 + k);
        const actual = run(fused, cell, c, 100 + k);
        // Both compute in float32; the kernel's exp and tanh are within ~1e-7 of tfjs's and it
        // sums the products in another order, so agreement to 1e-5 of the largest value is what
        // float32 allows over these lengths (an error in any gate formula is off by far more).
        assert.ok(tensorRelativeError(actual.y, expected.y) < 1e-5, `output differs by ${tensorRelativeError(actual.y, expected.y)}`);
        actual.grads.forEach((g, i) => {
          const err = tensorRelativeError(g, expected.grads[i]);
          assert.ok(err < 1e-5, `gradient of ${actual.names[i]} differs by ${err.toExponential(2)}`);
        });
      });
    }

    test(`an autoencoder of fused ${cell.name} layers trains to the same losses as the stock one for 20 batches`, () => {
      const T = 12;
      const build = (fusedKernel: LstmKernel | undefined) => {
        const make = (args: RecurrentArgs) => (fusedKernel ? cell.fused(args, fusedKernel, false) : cell.stock(args));
        const init = (seed: number) => ({ kernelInitializer: tf.initializers.glorotUniform({ seed }), recurrentInitializer: tf.initializers.orthogonal({ seed: seed + 1 }) });
        const input = tf.input({ shape: [T, 1] });
        const enc1 = make({ units: 8, returnSequences: true, recurrentActivation: 'sigmoid', ...init(1) }).apply(input) as tf.SymbolicTensor;
        const enc2 = make({ units: 5, recurrentActivation: 'sigmoid', ...init(3) }).apply(enc1) as tf.SymbolicTensor;
        const repeated = tf.layers.repeatVector({ n: T }).apply(enc2) as tf.SymbolicTensor;
        const dec = make({ units: 8, returnSequences: true, recurrentActivation: 'sigmoid', ...init(5) }).apply(repeated) as tf.SymbolicTensor;
        const out = tf.layers.dense({ units: 1, kernelInitializer: tf.initializers.glorotUniform({ seed: 7 }) }).apply(dec) as tf.SymbolicTensor;
        return tf.model({ inputs: input, outputs: out });
      };
      // Four fixed batches in turn: the losses then fall visibly within 20 steps.
      const stockLosses = sineLosses(build(undefined), tf.train.adam(1e-2), T, 20, 4);
      const fusedLosses = sineLosses(build(kernel), tf.train.adam(1e-2), T, 20, 4);
      // Each step's gradients agree to ~1e-6 (the cases above); Adam divides by the gradients'
      // running RMS, so 20 steps can grow a 1e-6 difference to ~1e-5 of the weights and a few 1e-5
      // of the loss. 1e-4 leaves room for that and still catches any wrong gradient, which moves
      // the loss by percents within a few steps.
      stockLosses.forEach((l, b) => assert.ok(Math.abs(fusedLosses[b] - l) / l < 1e-4, `batch ${b}: fused ${fusedLosses[b]} vs tfjs ${l}`));
      assert.ok(
        stockLosses.slice(16).reduce((a, l) => a + l) < stockLosses.slice(0, 4).reduce((a, l) => a + l),
        'the reference run did not learn, so the comparison proves little',
      );
    });

    test(`a model with a fused ${cell.name} saves as a plain ${cell.name} model and reloads with the same outputs`, async () => {
      const input = tf.input({ shape: [7, 3] });
      const layer = cell.fused({ units: 6, returnSequences: true, recurrentActivation: 'sigmoid' }, kernel, false);
      const model = tf.model({ inputs: input, outputs: layer.apply(input) as tf.SymbolicTensor });
      let saved: tf.io.ModelArtifacts | undefined;
      await model.save(
        tf.io.withSaveHandler(async (artifacts) => {
          saved = artifacts;
          return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
        }),
      );
      assert.ok(saved);
      assert.match(JSON.stringify(saved.modelTopology), new RegExp(`"class_name":"${cell.name}"`));
      const reloaded = await tf.loadLayersModel(tf.io.fromMemory(saved));
      assert.notEqual(reloaded.layers[1].constructor, cell.fusedClass);
      assert.equal(reloaded.layers[1].getClassName(), cell.name);
      const x = tf.randomNormal([2, 7, 3], 0, 1, 'float32', 11);
      assert.ok(tensorRelativeError(model.predict(x) as tf.Tensor, reloaded.predict(x) as tf.Tensor) < 1e-5);
    });

    test(`the ${cell.name} workspace refuses mismatched buffers and a backward whose forward was overwritten`, () => {
      const ws = cell.workspace(kernel);
      const d = { batch: 2, steps: 3, inputs: 2, units: 5 };
      const G = cell.gates * d.units;
      const flags = { returnSequences: false, goBackwards: false, hardSigmoid: false };
      const inputs = { x: new Float32Array(12), kernel: new Float32Array(2 * G), recurrent: new Float32Array(5 * G), bias: new Float32Array(G) };
      assert.throws(() => ws.forward(d, flags, { ...inputs, bias: new Float32Array(G + 5) }), new RegExp(`fused ${cell.name}: bias has ${G + 5} values, expected ${G}`));
      const first = ws.forward(d, flags, inputs);
      assert.equal(first.y.length, 10);
      assert.throws(() => ws.backward(first.generation, new Float32Array(30)), new RegExp(`fused ${cell.name}: dy has 30 values, expected 10`));
      ws.forward(d, flags, inputs);
      assert.throws(() => ws.backward(first.generation, new Float32Array(10)), /backward called after another forward on the same layer/);
    });

    test(`${cell.name} layers are taken in the same configurations as every cell's, and the rest are refused with a reason`, () => {
      const cfg: ResolvedRecurrentLayer = { units: 8, activation: 'tanh', recurrentActivation: 'sigmoid', dropout: 0, recurrentDropout: 0, bidirectional: false };
      const opts = { cell: cell.name === 'LSTM' ? ('lstm' as const) : ('gru' as const), returnSequences: true, name: 'decoder', seed: 1 };
      assert.equal(fusedUnsupported(cfg, opts), undefined);
      assert.equal(fusedUnsupported({ ...cfg, recurrentActivation: 'hardSigmoid' }, opts), undefined);
      assert.match(fusedUnsupported({ ...cfg, activation: 'relu' }, opts) ?? '', /activation relu/);
      assert.match(fusedUnsupported({ ...cfg, recurrentDropout: 0.2 }, opts) ?? '', /dropout/);
      assert.match(fusedUnsupported({ ...cfg, bidirectional: true }, opts) ?? '', /bidirectional/);
      assert.match(fusedUnsupported(cfg, { ...opts, stateful: true }) ?? '', /stateful/);
      assert.match(fusedUnsupported(cfg, { ...opts, returnState: true }) ?? '', /state/);
    });
  });
}
