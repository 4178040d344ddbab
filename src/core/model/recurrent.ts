// The one place recurrent layers are created. Every encoder and decoder layer goes through
// `createRecurrentLayer`, so a faster implementation (the fused WebAssembly LSTM in
// `./fused/`) can replace the stock tfjs layer by registering an override, without the model
// builder knowing about it.

import * as tf from '@tensorflow/tfjs';
import type { CellType, ResolvedRecurrentLayer } from '../config/types';
import { seededInitializers } from './initializers';

export interface RecurrentLayerOptions {
  cell: CellType;
  returnSequences: boolean;
  returnState?: boolean;
  goBackwards?: boolean;
  stateful?: boolean;
  name: string;
  /** Seed for this layer's initializers (distinct per layer so layers do not start identical). */
  seed: number;
  inputShape?: number[];
  batchInputShape?: number[];
}

/**
 * Extension point for alternative implementations. An override receives the same arguments as
 * `createRecurrentLayer` and returns a layer to use instead, or `undefined` to fall back to the
 * stock tfjs layer (e.g. for a GRU or a configuration it does not support). The returned layer
 * must have the same weights, in the same layout, as the tfjs layer it replaces, and must
 * serialise as that layer, so saved models load with plain `tf.loadLayersModel`.
 * Bidirectional wrapping is done by the caller around whatever this returns.
 */
export type RecurrentLayerOverride = (
  cfg: ResolvedRecurrentLayer,
  opts: RecurrentLayerOptions,
) => tf.layers.Layer | undefined;

let override: RecurrentLayerOverride | undefined;

/** Installs (or, with `undefined`, removes) the override; the backend selection calls this. */
export function setRecurrentLayerOverride(fn: RecurrentLayerOverride | undefined): void {
  override = fn;
}

export function createRecurrentLayer(cfg: ResolvedRecurrentLayer, opts: RecurrentLayerOptions): tf.layers.Layer {
  const replaced = override?.(cfg, opts);
  if (replaced !== undefined) return replaced;
  const init = seededInitializers(opts.seed);
  const common = {
    units: cfg.units,
    activation: cfg.activation,
    // tfjs defaults to hardSigmoid; Keras 2 and PyTorch use sigmoid, and the config always
    // carries the user's choice, so it is passed explicitly.
    recurrentActivation: cfg.recurrentActivation,
    dropout: cfg.dropout,
    recurrentDropout: cfg.recurrentDropout,
    returnSequences: opts.returnSequences,
    returnState: opts.returnState ?? false,
    goBackwards: opts.goBackwards ?? false,
    stateful: opts.stateful ?? false,
    name: opts.name,
    kernelInitializer: init.kernel,
    recurrentInitializer: init.recurrent,
    biasInitializer: 'zeros' as const,
    ...(opts.batchInputShape !== undefined ? { batchInputShape: opts.batchInputShape } : {}),
    ...(opts.inputShape !== undefined ? { inputShape: opts.inputShape } : {}),
  };
  // Keras-style unit forget bias: the forget gate starts open so gradients flow early on.
  return opts.cell === 'gru' ? tf.layers.gru(common) : tf.layers.lstm({ ...common, unitForgetBias: true });
}
