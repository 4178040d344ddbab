// Each fused layer must be a drop-in for its stock tfjs layer (FusedLSTM for tf.layers.lstm,
// FusedGRU for tf.layers.gru): same outputs, same gradients for every input and weight, for each
// configuration the model builder can ask of it, on shapes whose unit counts are and are not
// multiples of the kernel's 4 SIMD lanes; it must train like the stock layer and save as the
// stock class. One table of cells drives every test, so a check added for one cell runs for both.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import type { ResolvedRecurrentLayer } from '../../src/core/config/types';
import { FusedGRU } from '../../src/core/model/fused/fusedGru';
import { FusedLSTM } from '../../src/core/model/fused/fusedLstm';
import { fusedUnsupported } from '../../src/core/model/fused/fusedSupport';
import type { RecurrentDims, RecurrentFlags } from '../../src/core/model/fused/kernelWorkspace';
import { loadLstmKernel, type LstmKernel } from '../../src/core/model/fused/lstmKernel';
import { tensorRelativeError } from '../helpers/relativeError';

type RecurrentArgs = Parameters<typeof tf.layers.gru>[0] & Parameters<typeof tf.layers.lstm>[0];

interface CellUnderTest {
  /** The stock class name, which the fused layer serialises under. */
  name: 'LSTM' | 'GRU';
  /** Gate blocks of `units` columns in the weights. */
  gates: number;
  /** The initial-state tensors the layer takes: h0 (and c0 for the LSTM). */
  states: readonly string[];
  stock(args: RecurrentArgs): tf.layers.Layer;
  fused(args: RecurrentArgs, kernel: LstmKernel, hardSigmoid: boolean): tf.layers.Layer;
  fusedClass: typeof FusedLSTM | typeof FusedGRU;
  workspace(kernel: LstmKernel): {
    forward(
      d: RecurrentDims,
      f: RecurrentFlags,
      inputs: { x: Float32Array; kernel: Float32Array; recurrent: Float32Array; bias: Float32Array },
    ): { y: Float32Array; generation: number };
    backward(generation: number, dy: Float32Array): unknown;
  };
}

const CELLS: CellUnderTest[] = [
  {
    name: 'LSTM',
    gates: 4,
    states: ['h0', 'c0'],
    // unitForgetBias as the model builder sets it, so the bias initialiser differs from zeros.
    stock: (args) => tf.layers.lstm({ unitForgetBias: true, ...args }),
    fused: (args, kernel, hardSigmoid) => new FusedLSTM({ unitForgetBias: true, ...args }, kernel, hardSigmoid),
    fusedClass: FusedLSTM,
    workspace: (kernel) => kernel.createWorkspace(),
  },
  {
    name: 'GRU',
    gates: 3,
    states: ['h0'],
    stock: (args) => tf.layers.gru(args),
    fused: (args, kernel, hardSigmoid) => new FusedGRU(args, kernel, hardSigmoid),
    fusedClass: FusedGRU,
    workspace: (kernel) => kernel.createGruWorkspace(),
  },
];

interface Case {
  name: string;
  batch: number;
  steps: number;
  features: number;
  units: number;
  returnSequences: boolean;
  goBackwards: boolean;
  initialState: boolean;
  repeatedInput: boolean;
  recurrentActivation: 'sigmoid' | 'hardSigmoid';
}

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

/** The layer's output and the gradients of a weighted sum of it for the input, the initial states (when given) and the weights. */
function run(layer: tf.layers.Layer, cell: CellUnderTest, c: Case, seed: number) {
  const { batch: B, steps: T, features: D, units: U } = c;
  const xValues = tf.randomNormal([B, c.repeatedInput ? 1 : T, D], 0, 1, 'float32', seed);
  const x = tf.variable(c.repeatedInput ? tf.tile(xValues, [1, T, 1]) : xValues, true);
  const states = cell.states.map((_, k) => tf.variable(tf.randomNormal([B, U], 0, 0.5, 'float32', seed + 1 + k), true));
  const outShape = c.returnSequences ? [B, T, U] : [B, U];
  const weights = tf.randomNormal(outShape, 0, 1, 'float32', seed + 3);
  const kwargs = c.initialState ? { initialState: states } : undefined;
  const forward = () => tf.sum(tf.mul(layer.apply(x, kwargs) as tf.Tensor, weights)) as tf.Scalar;
  const y = layer.apply(x, kwargs) as tf.Tensor;
  const vars = [x, ...(c.initialState ? states : []), ...layer.trainableWeights.map((w) => w.read() as tf.Variable)];
  const { grads } = tf.variableGrads(forward, vars);
  return { y, grads: vars.map((v) => grads[v.name]), names: ['x', ...(c.initialState ? cell.states : []), 'kernel', 'recurrentKernel', 'bias'] };
}

/** A stock and a fused layer with the same random weights (bias too, so every gate's gradient path is exercised). */
function pair(kernel: LstmKernel, cell: CellUnderTest, c: Case) {
  const args = { units: c.units, returnSequences: c.returnSequences, goBackwards: c.goBackwards, recurrentActivation: c.recurrentActivation, inputShape: [c.steps, c.features] };
  const stock = cell.stock(args);
  const fused = cell.fused(args, kernel, c.recurrentActivation === 'hardSigmoid');
  const probe = tf.zeros([c.batch, c.steps, c.features]);
  stock.apply(probe);
  fused.apply(probe);
  fused.setWeights(stock.getWeights().map((w, i) => (i === 2 ? tf.randomNormal(w.shape, 0, 0.3, 'float32', 7) : w)));
  stock.setWeights(fused.getWeights());
  return { stock, fused };
}

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

    test(`a ${cell.name} autoencoder trains to the same losses for 20 batches`, () => {
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
