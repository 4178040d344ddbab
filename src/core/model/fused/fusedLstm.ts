// A tfjs LSTM layer whose forward pass and backpropagation through time each run as one call
// into the WebAssembly kernel, instead of tfjs-layers' per-step JavaScript loop (~216 kernel
// launches per step). It subclasses the stock LSTM, so it owns the same weights in the same
// layout and serialises under the class name `LSTM`: saved models load with plain
// tf.loadLayersModel. Everything around it (Dense heads, loss, optimizer) stays tfjs.

import * as tf from '@tensorflow/tfjs';
import type { ResolvedRecurrentLayer } from '../../config/types';
import type { LstmKernel } from './lstmKernel';
import { fusedLayerClass } from './fusedCall';

type LstmArgs = Parameters<typeof tf.layers.lstm>[0];

/** Constructed as `new FusedLSTM(args, kernel, hardSigmoid)`; the call is fusedCall.ts's. */
export class FusedLSTM extends fusedLayerClass(tf.layers.lstm, (kernel) => kernel.createWorkspace()) {}

/** Builds the fused layer with the arguments the stock factory would have used. */
export function createFusedLstm(kernel: LstmKernel, args: LstmArgs, cfg: ResolvedRecurrentLayer): FusedLSTM {
  return new FusedLSTM(args, kernel, cfg.recurrentActivation === 'hardSigmoid');
}
