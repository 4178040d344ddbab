// Which recurrent layers the fused kernel can stand in for, and the one fact about the model
// graph the fused layers use. Shared by FusedLSTM and FusedGRU.

import type * as tf from '@tensorflow/tfjs';
import type { ResolvedRecurrentLayer } from '../../config/types';
import type { RecurrentLayerOptions } from '../recurrent';

/** Why the fused layer cannot stand in for this layer, or undefined when it can (LSTM and GRU alike). */
export function fusedUnsupported(cfg: ResolvedRecurrentLayer, opts: RecurrentLayerOptions): string | undefined {
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

/**
 * True when the model feeds `layer`, at its only use, the output of a RepeatVector (the decoder
 * of an autoencoder). Then the input's gradient only reaches the model through Tile's gradient,
 * which sums it over steps, and the kernel may return just that sum (RecurrentFlags.repeatedInput):
 * on the 14- and 206-step workloads that product per step was about a seventh of the LSTM
 * kernel's arithmetic.
 */
export function fedByRepeatVector(layer: tf.layers.Layer): boolean {
  const nodes = (layer as unknown as { inboundNodes: Array<{ inboundLayers: tf.layers.Layer[] }> }).inboundNodes;
  return nodes.length === 1 && nodes[0].inboundLayers.length === 1 && nodes[0].inboundLayers[0].getClassName() === 'RepeatVector';
}
