// The fused backend: tfjs on wasm for everything, with LSTM and GRU layers replaced by FusedLSTM
// and FusedGRU where the kernel supports their configuration. backend.ts activates it and reads
// its fallbacks.

import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { setRecurrentLayerOverride } from '../recurrent';
import { createFusedGru } from './fusedGru';
import { createFusedLstm } from './fusedLstm';
import { fusedUnsupported } from './fusedSupport';
import { loadLstmKernel } from './lstmKernel';

/** Layers that could not use the kernel in this process, with the reason, for the run summary. */
const fallbacks = new Map<string, string>();

export function fusedFallbacks(): string[] {
  return [...fallbacks].map(([layer, reason]) => `${layer} (${reason})`);
}

/**
 * Loads the kernel from `wasmDir`, switches tfjs to the wasm backend it builds on and installs
 * FusedLSTM and FusedGRU via `setRecurrentLayerOverride`. Resolves to `undefined` when the
 * kernel is active, or to the reason it is not (then nothing has been installed).
 */
export async function activateFusedKernel(wasmDir: string): Promise<string | undefined> {
  const kernel = await loadLstmKernel([wasmDir]);
  setWasmPaths(wasmDir.endsWith(path.sep) ? wasmDir : wasmDir + path.sep);
  const ok = await tf.setBackend('wasm').catch(() => false);
  await tf.ready();
  if (!ok || tf.getBackend() !== 'wasm') return `the wasm backend it builds on failed to initialise (tfjs is on ${tf.getBackend()})`;
  fallbacks.clear();
  setRecurrentLayerOverride((cfg, opts, stockArgs) => {
    const refusal = fusedUnsupported(cfg, opts);
    if (refusal !== undefined) {
      fallbacks.set(opts.name, refusal);
      return undefined;
    }
    return opts.cell === 'gru' ? createFusedGru(kernel, stockArgs, cfg) : createFusedLstm(kernel, stockArgs, cfg);
  });
  return undefined;
}
