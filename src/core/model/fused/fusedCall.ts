// The call of a fused recurrent layer, shared by FusedLSTM and FusedGRU (they subclass different
// stock tfjs classes, so they share a class factory rather than a base class): read the stock
// cell's weights, describe the call to the kernel, and wrap the workspace's forward and backward
// in one tf.customGrad whose gradients are the input's, the three weights' and, when the layer
// was given an initial state, each state tensor's. The cell enters only through its workspace
// (its gate count and the names of its state buffers).

import * as tf from '@tensorflow/tfjs';
import { fedByRepeatVector } from './fusedSupport';
import type { CellForwardInputs, CellGradients, CellSpec, RecurrentDims, RecurrentFlags } from './kernelWorkspace';
import type { LstmKernel } from './lstmKernel';
import { tensorOf, valuesOf } from './tensorIo';

/** The parts of tfjs's LSTMCell and GRUCell the fused call reads (weights are built by the stock layer). */
interface StockCellWeights {
  units: number;
  kernel: { read(): tf.Tensor };
  recurrentKernel: { read(): tf.Tensor };
  bias: { read(): tf.Tensor } | null;
}

interface StockRecurrentInternals {
  cell: StockCellWeights;
  returnSequences: boolean;
  goBackwards: boolean;
}

/** What the call needs of a cell's workspace (LstmWorkspace, GruWorkspace): its cell and its two calls. */
export interface FusedWorkspace<State extends string, StateGrad extends string> {
  readonly spec: Pick<CellSpec<string, State, StateGrad>, 'gates' | 'states' | 'stateGradients'>;
  forward(d: RecurrentDims, f: RecurrentFlags, inputs: CellForwardInputs<State>): { y: Float32Array; generation: number };
  backward(generation: number, dy: Float32Array): CellGradients<StateGrad>;
}

/**
 * A fused layer's `call`: `layer` is the stock LSTM or GRU subclass the call belongs to, and
 * `workspace` its workspace (which knows the cell's gate count and state buffers).
 */
export function callFused<State extends string, StateGrad extends string>(
  layer: tf.layers.Layer,
  workspace: FusedWorkspace<State, StateGrad>,
  hardSigmoid: boolean,
  inputs: tf.Tensor | tf.Tensor[],
  kwargs: Record<string, unknown>,
): tf.Tensor {
  const spec = workspace.spec;
  return tf.tidy(() => {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    const initialState = kwargs?.['initialState'] as tf.Tensor[] | undefined;
    const self = layer as unknown as StockRecurrentInternals;
    const cell = self.cell;
    const [batch, steps, features] = x.shape as [number, number, number];
    const units = cell.units;
    const bias = cell.bias?.read() ?? tf.zeros([spec.gates * units]);
    const dims = { batch, steps, inputs: features, units };
    const flags = {
      returnSequences: self.returnSequences,
      goBackwards: self.goBackwards,
      hardSigmoid,
      repeatedInput: fedByRepeatVector(layer),
    };
    // Without an initial state the kernel starts from zeros itself (and skips step 0's products):
    // no zero tensors to build, read and differentiate on every call.
    const state = initialState !== undefined ? spec.states.map((_, k) => initialState[k]) : [];
    const inputCount = 4 + state.length;

    const fused = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
      const [xt, kernelT, recurrentT, biasT, ...stateT] = args.slice(0, inputCount) as tf.Tensor[];
      // valuesOf may view tfjs's heap: every view is read by forward before any tfjs op runs.
      const forwardInputs = { x: valuesOf(xt), kernel: valuesOf(kernelT), recurrent: valuesOf(recurrentT), bias: valuesOf(biasT) } as CellForwardInputs<State>;
      stateT.forEach((t, k) => (forwardInputs[spec.states[k]] = valuesOf(t) as CellForwardInputs<State>[State]));
      const { y, generation } = workspace.forward(dims, flags, forwardInputs);
      const outShape = flags.returnSequences ? [batch, steps, units] : [batch, units];
      const value = tensorOf(y, outShape);
      const gradFunc = (dy: tf.Tensor): tf.Tensor[] => {
        const g = workspace.backward(generation, valuesOf(dy));
        const grads = [tensorOf(g.dx, [batch, steps, features]), tensorOf(g.dkernel, kernelT.shape), tensorOf(g.drecurrent, recurrentT.shape), tensorOf(g.dbias, biasT.shape)];
        // `g` views the kernel heap, which no tfjs op touches: safe to read after the tensors above.
        if (state.length > 0) for (const name of spec.stateGradients) grads.push(tensorOf(g[name], [batch, units]));
        return grads;
      };
      return { value, gradFunc };
    });
    return fused(x, cell.kernel.read(), cell.recurrentKernel.read(), bias, ...state);
  });
}

/**
 * The fused subclass of a stock recurrent layer class (the one `stockFactory`, tf.layers.lstm or
 * tf.layers.gru, builds): same constructor arguments plus the kernel and whether the recurrent
 * activation is hardSigmoid; `call` runs through the workspace `createWorkspace` makes, once per
 * layer on first use.
 */
export function fusedLayerClass<Args extends { units: number }>(
  stockFactory: (args: Args) => tf.layers.Layer,
  createWorkspace: (kernel: LstmKernel) => FusedWorkspace<string, string>,
) {
  // The stock class, taken from an instance because tfjs does not export it by name.
  const Stock = stockFactory({ units: 1 } as Args).constructor as new (args: Args) => tf.layers.Layer;
  return class FusedRecurrent extends Stock {
    private workspace: FusedWorkspace<string, string> | undefined;

    constructor(
      args: Args,
      private readonly kernel: LstmKernel,
      private readonly hardSigmoid: boolean,
    ) {
      super(args);
    }

    override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor | tf.Tensor[] {
      return callFused(this, (this.workspace ??= createWorkspace(this.kernel)), this.hardSigmoid, inputs, kwargs);
    }
  };
}
