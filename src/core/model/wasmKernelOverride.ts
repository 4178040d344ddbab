// Swapping one of tfjs's wasm kernels for a faster one (wasmMatMul.ts, wasmTile.ts), undoably.
// The replacement keeps the stock kernelFunc under a symbol: that marks it (installing twice
// keeps one wrapper), lets it delegate the cases it does not take, and lets tests restore it.

import * as tf from '@tensorflow/tfjs';

type KernelConfig = NonNullable<ReturnType<typeof tf.getKernel>>;
export type KernelFunc = KernelConfig['kernelFunc'];
export type KernelParams = Parameters<KernelFunc>[0];
export type TensorInfo = { dataId: object; shape: number[]; dtype: tf.DataType };

export const WASM = 'wasm';

const STOCK = Symbol('tsae.stockKernel');

function stockOf(fn: KernelFunc): KernelFunc | undefined {
  return (fn as unknown as Record<symbol, KernelFunc | undefined>)[STOCK];
}

/**
 * Registers `replace(stock)` as the wasm backend's `kernelName`. Idempotent; returns false (and
 * changes nothing) when the wasm backend's kernel is not registered.
 */
export function overrideWasmKernel(kernelName: string, replace: (stock: KernelFunc) => KernelFunc): boolean {
  const stock = tf.getKernel(kernelName, WASM);
  if (stock === undefined) return false;
  if (stockOf(stock.kernelFunc) !== undefined) return true;
  const kernelFunc = replace(stock.kernelFunc);
  (kernelFunc as unknown as Record<symbol, KernelFunc>)[STOCK] = stock.kernelFunc;
  tf.unregisterKernel(kernelName, WASM);
  // Keep the stock setupFunc: it binds the C++ entry point the stock kernelFunc calls, also for
  // a backend initialised after this.
  tf.registerKernel({ ...stock, kernelFunc });
  return true;
}

/** Puts the stock kernel back (tests and the bench compare against it). */
export function restoreWasmKernel(kernelName: string): void {
  const current = tf.getKernel(kernelName, WASM);
  if (current === undefined) return;
  const stock = stockOf(current.kernelFunc);
  if (stock === undefined) return;
  tf.unregisterKernel(kernelName, WASM);
  tf.registerKernel({ ...current, kernelFunc: stock });
}
