// The table of fused cells the tests in this folder run through (so a check written for one cell
// runs for both), and what those tests do with a cell: a stock and a fused layer with the same
// weights, their outputs and gradients, and the losses of a short training on sine windows.
import * as tf from '@tensorflow/tfjs';
import { FusedGRU } from '../../src/core/model/fused/fusedGru';
import { FusedLSTM } from '../../src/core/model/fused/fusedLstm';
import type { RecurrentDims, RecurrentFlags } from '../../src/core/model/fused/kernelWorkspace';
import type { LstmKernel } from '../../src/core/model/fused/lstmKernel';

export type RecurrentArgs = Parameters<typeof tf.layers.gru>[0] & Parameters<typeof tf.layers.lstm>[0];

export interface CellUnderTest {
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

export const CELLS: CellUnderTest[] = [
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

export interface Case {
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

/** The layer's output and the gradients of a weighted sum of it for the input, the initial states (when given) and the weights. */
export function run(layer: tf.layers.Layer, cell: CellUnderTest, c: Case, seed: number) {
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
export function pair(kernel: LstmKernel, cell: CellUnderTest, c: Case) {
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

/**
 * The loss of each of `batches` optimizer steps of a [steps, 1] autoencoder `model` (mean squared
 * reconstruction error): batch b is 8 sine windows with phases drawn from seed b % `distinct`, so
 * the same batches come round again and the losses fall visibly within a few rounds.
 */
export function sineLosses(model: tf.LayersModel, optimizer: tf.Optimizer, steps: number, batches: number, distinct: number): number[] {
  const result: number[] = [];
  for (let b = 0; b < batches; b++) {
    const t = tf.linspace(0, 6, steps).reshape([1, steps, 1]);
    const batch = tf.sin(tf.add(t, tf.randomUniform([8, 1, 1], 0, 6, 'float32', b % distinct)));
    const loss = optimizer.minimize(() => tf.losses.meanSquaredError(batch, model.apply(batch) as tf.Tensor) as tf.Scalar, true) as tf.Scalar;
    result.push(loss.dataSync()[0]);
    tf.dispose([t, batch, loss]);
  }
  return result;
}
