// A tfjs LSTM layer whose forward pass and backpropagation through time each run as one call
// into the WebAssembly kernel, instead of tfjs-layers' per-step JavaScript loop (~216 kernel
// launches per step). It subclasses the stock LSTM, so it owns the same weights in the same
// layout and serialises under the class name `LSTM`: saved models load with plain
// tf.loadLayersModel. Everything around it (Dense heads, loss, optimizer) stays tfjs.

import * as tf from '@tensorflow/tfjs';
import type { ResolvedRecurrentLayer } from '../../config/types';
import type { RecurrentLayerOptions } from '../recurrent';
import type { LstmKernel, LstmWorkspace } from './lstmKernel';

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
      const h0 = initialState?.[0] ?? tf.zeros([batch, units]);
      const c0 = initialState?.[1] ?? tf.zeros([batch, units]);
      const bias = cell.bias?.read() ?? tf.zeros([4 * units]);
      const dims = { batch, steps, inputs: features, units };
      const flags = { returnSequences: self.returnSequences, goBackwards: self.goBackwards, hardSigmoid: this.hardSigmoid };
      const workspace = (this.workspace ??= this.kernel.createWorkspace());

      const fused = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
        const [xt, kernelT, recurrentT, biasT, h0t, c0t] = args as tf.Tensor[];
        const { y, generation } = workspace.forward(dims, flags, {
          x: xt.dataSync() as Float32Array,
          kernel: kernelT.dataSync() as Float32Array,
          recurrent: recurrentT.dataSync() as Float32Array,
          bias: biasT.dataSync() as Float32Array,
          h0: h0t.dataSync() as Float32Array,
          c0: c0t.dataSync() as Float32Array,
        });
        const outShape = flags.returnSequences ? [batch, steps, units] : [batch, units];
        // `y` views the kernel heap; the tensor must own a copy.
        const value = tf.tensor(y.slice(), outShape, 'float32');
        const gradFunc = (dy: tf.Tensor): tf.Tensor[] => {
          const g = workspace.backward(generation, dy.dataSync() as Float32Array);
          return [
            tf.tensor(g.dx.slice(), [batch, steps, features]),
            tf.tensor(g.dkernel.slice(), kernelT.shape),
            tf.tensor(g.drecurrent.slice(), recurrentT.shape),
            tf.tensor(g.dbias.slice(), biasT.shape),
            tf.tensor(g.dh0.slice(), [batch, units]),
            tf.tensor(g.dc0.slice(), [batch, units]),
          ];
        };
        return { value, gradFunc };
      });
      return fused(x, cell.kernel.read(), cell.recurrentKernel.read(), bias, h0, c0);
    });
  }
}

/** Why the fused layer cannot stand in for this layer, or undefined when it can. */
export function fusedUnsupported(cfg: ResolvedRecurrentLayer, opts: RecurrentLayerOptions): string | undefined {
  if (opts.cell !== 'lstm') return 'GRU layers run on tfjs';
  if (cfg.bidirectional) return 'bidirectional layers run on tfjs';
  if (cfg.activation !== 'tanh') return `activation ${cfg.activation} runs on tfjs (the kernel implements tanh)`;
  if (cfg.recurrentActivation !== 'sigmoid' && cfg.recurrentActivation !== 'hardSigmoid') {
    return `recurrentActivation ${cfg.recurrentActivation} runs on tfjs`;
  }
  if (cfg.dropout > 0 || cfg.recurrentDropout > 0) return 'layers with dropout run on tfjs';
  if (opts.stateful) return 'stateful layers run on tfjs';
  if (opts.returnState) return 'layers returning their state run on tfjs';
  return undefined;
}

/** Builds the fused layer with the arguments the stock factory would have used. */
export function createFusedLstm(kernel: LstmKernel, args: LstmArgs, cfg: ResolvedRecurrentLayer): FusedLSTM {
  return new FusedLSTM(args, kernel, cfg.recurrentActivation === 'hardSigmoid');
}
