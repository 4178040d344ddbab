// The one place recurrent layers are created. Every encoder and decoder layer goes through
// `createRecurrentLayer`, so a faster implementation (the fused WebAssembly LSTM and GRU in
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
 * stock tfjs layer (e.g. for a configuration it does not support). The returned layer
 * must have the same weights, in the same layout, as the tfjs layer it replaces, and must
 * serialise as that layer, so saved models load with plain `tf.loadLayersModel`.
 * Bidirectional wrapping is done by the caller around whatever this returns.
 */
export type RecurrentLayerOverride = (cfg: ResolvedRecurrentLayer, opts: RecurrentLayerOptions, stockArgs: RecurrentLayerArgs) => tf.layers.Layer | undefined;

export type RecurrentLayerArgs = Parameters<typeof tf.layers.lstm>[0];

let override: RecurrentLayerOverride | undefined;

/** Installs (or, with `undefined`, removes) the override; the backend selection calls this. */
export function setRecurrentLayerOverride(fn: RecurrentLayerOverride | undefined): void {
  override = fn;
}

export function createRecurrentLayer(cfg: ResolvedRecurrentLayer, opts: RecurrentLayerOptions): tf.layers.Layer {
  const args = stockLayerArgs(cfg, opts);
  const replaced = override?.(cfg, opts, args);
  if (replaced !== undefined) return replaced;
  return opts.cell === 'gru' ? tf.layers.gru(args) : tf.layers.lstm(args);
}

/** The arguments of the stock tfjs layer; an override builds its replacement from the same. */
function stockLayerArgs(cfg: ResolvedRecurrentLayer, opts: RecurrentLayerOptions): RecurrentLayerArgs {
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
  // No `unitForgetBias: true` here: tfjs's implementation leaks four tensors per layer on every
  // build and reload. buildAutoencoder calls openForgetGates instead, which gives the same
  // Keras-style start (forget-gate bias 1) for stock and override layers alike.
  return common;
}

/**
 * Sets the forget-gate bias of every LSTM in `model` to 1 (Keras's unit_forget_bias, Jozefowicz
 * et al. 2015): the cell starts by remembering, so gradients reach early time steps from the
 * first batch. LSTM biases are laid out [input, forget, cell, output] gates, `units` each.
 * Layers that serialise as LSTM (the fused one included) share that layout.
 */
export function openForgetGates(model: tf.LayersModel): void {
  for (const layer of model.layers) {
    for (const rnn of recurrentLayersOf(layer)) {
      if (rnn.getClassName() !== 'LSTM') continue;
      // getWeights returns the live variables, not copies: they must not be disposed here.
      const weights = rnn.getWeights();
      const biasIndex = weights.findIndex((w) => w.rank === 1);
      if (biasIndex < 0) continue;
      const units = weights[biasIndex].shape[0] / 4;
      const bias = tf.tidy(() => tf.concat([tf.zeros([units]), tf.ones([units]), tf.zeros([2 * units])]));
      rnn.setWeights(weights.map((w, i) => (i === biasIndex ? bias : w)));
      bias.dispose();
    }
  }
}

/** The recurrent layers inside `layer`: itself, or the two directions of a Bidirectional wrapper. */
function recurrentLayersOf(layer: tf.layers.Layer): tf.layers.Layer[] {
  if (layer.getClassName() !== 'Bidirectional') return [layer];
  const wrapper = layer as unknown as { forwardLayer: tf.layers.Layer; backwardLayer: tf.layers.Layer };
  return [wrapper.forwardLayer, wrapper.backwardLayer];
}
