// A faster BatchMatMul for tfjs's wasm backend. The stock kernel hands matMuls with a
// transposed operand to a scalar loop (about 2 GFLOP/s) and only plain ones to XNNPACK
// (11-23 GFLOP/s). Every gradient matMul has a transposed operand, so backpropagation spends
// 25-64 % of a batch in that loop. Transposing the operand first (a cheap copy) and then calling
// the stock kernel without the flag takes the fast path: 1.27-2.1x per training batch on the
// LSTM workloads of the lstm-speed brief, with results equal to about 1e-6 (only the
// summation order changes).

import * as tf from '@tensorflow/tfjs';
import { overrideWasmKernel, restoreWasmKernel, WASM, type KernelFunc, type KernelParams, type TensorInfo } from './wasmKernelOverride';

interface DisposingBackend {
  disposeData(dataId: object): unknown;
}

const BATCH_MAT_MUL = 'BatchMatMul';
const TRANSPOSE = 'Transpose';

/**
 * Replaces the wasm backend's BatchMatMul with one that transposes operands before the stock
 * kernel runs. Safe to call any number of times and before or after the backend initialises;
 * returns false (and changes nothing) when the wasm backend's kernels are not registered.
 */
export function installTransposeFirstMatMul(): boolean {
  const transpose = tf.getKernel(TRANSPOSE, WASM);
  if (transpose === undefined) return false;
  const transposeFunc = transpose.kernelFunc;
  return overrideWasmKernel(
    BATCH_MAT_MUL,
    (stockFunc) =>
      ((params: KernelParams) => {
        const { inputs, backend, attrs } = params;
        const { transposeA, transposeB } = (attrs ?? {}) as { transposeA?: boolean; transposeB?: boolean };
        if (!transposeA && !transposeB) return stockFunc(params);
        const a = inputs['a'] as TensorInfo;
        const b = inputs['b'] as TensorInfo;
        const temporaries: TensorInfo[] = [];
        const swapLastTwo = (x: TensorInfo): TensorInfo => {
          const perm = x.shape.map((_, i) => i);
          const r = perm.length;
          [perm[r - 2], perm[r - 1]] = [perm[r - 1], perm[r - 2]];
          const t = transposeFunc({ inputs: { x }, backend, attrs: { perm } }) as TensorInfo;
          temporaries.push(t);
          return t;
        };
        try {
          return stockFunc({
            inputs: { a: transposeA ? swapLastTwo(a) : a, b: transposeB ? swapLastTwo(b) : b },
            backend,
            attrs: { ...attrs, transposeA: false, transposeB: false },
          });
        } finally {
          for (const t of temporaries) (backend as unknown as DisposingBackend).disposeData(t.dataId);
        }
      }) as KernelFunc,
  );
}

/** Puts the stock kernel back (tests compare against it). */
export function uninstallTransposeFirstMatMul(): void {
  restoreWasmKernel(BATCH_MAT_MUL);
}
