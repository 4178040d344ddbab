// A tfjs GRU layer whose forward pass and backpropagation through time each run as one call
// into the WebAssembly kernel (gru_kernel.c), the GRU counterpart of FusedLSTM. It subclasses
// the stock GRU, so it owns the same weights in the same layout (kernel [in, 3u],
// recurrentKernel [u, 3u], bias [3u], gates z, r, h, reset before the recurrent product) and
// serialises under the class name `GRU`: saved models load with plain tf.loadLayersModel.

import * as tf from '@tensorflow/tfjs';
import type { ResolvedRecurrentLayer } from '../../config/types';
import type { LstmKernel } from './lstmKernel';
import { fusedLayerClass } from './fusedCall';

type GruArgs = Parameters<typeof tf.layers.gru>[0];

/** Constructed as `new FusedGRU(args, kernel, hardSigmoid)`; the call is fusedCall.ts's. */
export class FusedGRU extends fusedLayerClass(tf.layers.gru, (kernel) => kernel.createGruWorkspace()) {}

/** Builds the fused layer with the arguments the stock factory would have used. */
export function createFusedGru(kernel: LstmKernel, args: GruArgs, cfg: ResolvedRecurrentLayer): FusedGRU {
  return new FusedGRU(args, kernel, cfg.recurrentActivation === 'hardSigmoid');
}
