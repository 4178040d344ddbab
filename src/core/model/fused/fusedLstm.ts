// A tfjs LSTM layer whose forward pass and backpropagation through time each run as one call
// into the WebAssembly kernel, instead of tfjs-layers' per-step JavaScript loop (~216 kernel
// launches per step). It subclasses the stock LSTM, so it owns the same weights in the same
// layout and serialises under the class name `LSTM`: saved models load with plain
// tf.loadLayersModel. Everything around it (Dense heads, loss, optimizer) stays tfjs.

import * as tf from '@tensorflow/tfjs';
import type { ResolvedRecurrentLayer } from '../../config/types';
import type { LstmKernel, LstmWorkspace } from './lstmKernel';
import { fedByRepeatVector } from './fusedSupport';
import { tensorOf, valuesOf } from './tensorIo';

type LstmArgs = Parameters<typeof tf.layers.lstm>[0];
type StockLstmClass = new (args: LstmArgs) => tf.layers.Layer;

/** The stock class, taken from an instance because tfjs does not export it by name. */
const StockLSTM = tf.layers.lstm({ units: 1 }).constructor as StockLstmClass;

/** The parts of tfjs's LSTMCell the fused call reads (weights are built by the stock layer). */
interface LstmCellWeights {
  units: number;
  kernel: { read(): tf.Tensor };
  recurrentKernel: { read(): tf.Tensor };
  bias: { read(): tf.Tensor } | null;
}

interface StockLstmInternals {
  cell: LstmCellWeights;
  returnSequences: boolean;
  goBackwards: boolean;
}

export class FusedLSTM extends StockLSTM {
  private workspace: LstmWorkspace | undefined;

  constructor(
    args: LstmArgs,
    private readonly kernel: LstmKernel,
    private readonly hardSigmoid: boolean,
  ) {
    super(args);
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor | tf.Tensor[] {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0] : inputs;
      const initialState = kwargs?.['initialState'] as tf.Tensor[] | undefined;
      const self = this as unknown as StockLstmInternals;
      const cell = self.cell;
      const [batch, steps, features] = x.shape as [number, number, number];
      const units = cell.units;
      const bias = cell.bias?.read() ?? tf.zeros([4 * units]);
      const dims = { batch, steps, inputs: features, units };
      const flags = {
        returnSequences: self.returnSequences,
        goBackwards: self.goBackwards,
        hardSigmoid: this.hardSigmoid,
        repeatedInput: fedByRepeatVector(this),
      };
      const workspace = (this.workspace ??= this.kernel.createWorkspace());
      // Without an initial state the kernel starts from zeros itself: no zero tensors to build,
      // read and differentiate on every call.
      const state = initialState !== undefined ? [initialState[0], initialState[1]] : [];
      const inputCount = 4 + state.length;

      const fused = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
        const [xt, kernelT, recurrentT, biasT, h0t, c0t] = args.slice(0, inputCount) as Array<tf.Tensor | undefined>;
        // valuesOf may view tfjs's heap: every view is read by forward before any tfjs op runs.
        const { y, generation } = workspace.forward(dims, flags, {
          x: valuesOf(xt as tf.Tensor),
          kernel: valuesOf(kernelT as tf.Tensor),
          recurrent: valuesOf(recurrentT as tf.Tensor),
          bias: valuesOf(biasT as tf.Tensor),
          h0: h0t === undefined ? undefined : valuesOf(h0t),
          c0: c0t === undefined ? undefined : valuesOf(c0t),
        });
        const outShape = flags.returnSequences ? [batch, steps, units] : [batch, units];
        const value = tensorOf(y, outShape);
        const gradFunc = (dy: tf.Tensor): tf.Tensor[] => {
          const g = workspace.backward(generation, valuesOf(dy));
          const grads = [
            tensorOf(g.dx, [batch, steps, features]),
            tensorOf(g.dkernel, (kernelT as tf.Tensor).shape),
            tensorOf(g.drecurrent, (recurrentT as tf.Tensor).shape),
            tensorOf(g.dbias, (biasT as tf.Tensor).shape),
          ];
          // `g` views the kernel heap, which no tfjs op touches: safe to read after the tensors above.
          if (state.length > 0) grads.push(tensorOf(g.dh0, [batch, units]), tensorOf(g.dc0, [batch, units]));
          return grads;
        };
        return { value, gradFunc };
      });
      return fused(x, cell.kernel.read(), cell.recurrentKernel.read(), bias, ...state);
    });
  }
}

/** Builds the fused layer with the arguments the stock factory would have used. */
export function createFusedLstm(kernel: LstmKernel, args: LstmArgs, cfg: ResolvedRecurrentLayer): FusedLSTM {
  return new FusedLSTM(args, kernel, cfg.recurrentActivation === 'hardSigmoid');
}
