// A faster BatchMatMul for tfjs's wasm backend. The stock kernel hands matMuls with a
// transposed operand to a scalar loop (about 2 GFLOP/s) and only plain ones to XNNPACK
// (11-23 GFLOP/s). Every gradient matMul has a transposed operand, so backpropagation spends
// 25-64 % of a batch in that loop. Transposing the operand first (a cheap copy) and then calling
// the stock kernel without the flag takes the fast path: 1.27-2.1x per training batch on the
// LSTM workloads of the lstm-speed brief, with results equal to about 1e-6 (only the
// summation order changes).

import * as tf from '@tensorflow/tfjs';

type KernelConfig = NonNullable<ReturnType<typeof tf.getKernel>>;
type KernelFunc = KernelConfig['kernelFunc'];
type KernelParams = Parameters<KernelFunc>[0];
type TensorInfo = { dataId: object; shape: number[]; dtype: tf.DataType };

interface DisposingBackend {
  disposeData(dataId: object): unknown;
}

const WASM = 'wasm';
const BATCH_MAT_MUL = 'BatchMatMul';
const TRANSPOSE = 'Transpose';

/** The replacement keeps the stock kernel under this key: marks it (installing twice keeps one wrapper) and allows undoing it. */
const STOCK = Symbol('tsae.stockBatchMatMul');
function stockOf(fn: KernelFunc): KernelFunc | undefined {
  return (fn as unknown as Record<symbol, KernelFunc | undefined>)[STOCK];
}

/**
 * Replaces the wasm backend's BatchMatMul with one that transposes operands before the stock
 * kernel runs. Safe to call any number of times and before or after the backend initialises;
 * returns false (and changes nothing) when the wasm backend's kernels are not registered.
 */
export function installTransposeFirstMatMul(): boolean {
  const stock = tf.getKernel(BATCH_MAT_MUL, WASM);
  const transpose = tf.getKernel(TRANSPOSE, WASM);
  if (stock === undefined || transpose === undefined) return false;
  if (stockOf(stock.kernelFunc) !== undefined) return true;

  const transposeFunc = transpose.kernelFunc;
  const stockFunc = stock.kernelFunc;
  const kernelFunc = ((params: KernelParams) => {
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
  }) as KernelFunc;
  (kernelFunc as unknown as Record<symbol, KernelFunc>)[STOCK] = stockFunc;

  tf.unregisterKernel(BATCH_MAT_MUL, WASM);
  // The stock setupFunc binds the C++ entry point the stock kernelFunc calls; keep it so a
  // backend initialised after this still gets it bound.
  tf.registerKernel({ ...stock, kernelFunc });
  return true;
}

/** Puts the stock kernel back (tests compare against it). */
export function uninstallTransposeFirstMatMul(): void {
  const current = tf.getKernel(BATCH_MAT_MUL, WASM);
  if (current === undefined) return;
  const stock = stockOf(current.kernelFunc);
  if (stock === undefined) return;
  tf.unregisterKernel(BATCH_MAT_MUL, WASM);
  tf.registerKernel({ ...current, kernelFunc: stock });
}
