// Loads lstm_kernel.wasm and drives it on plain Float32Arrays (no tfjs here, so the kernel can be
// tested and benchmarked on its own). All buffers of one layer live in one block of the kernel's
// heap (a `LstmWorkspace`), laid out below and described to the kernel by a `LstmCall` struct
// whose field order must match lstm_kernel.c.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { GruWorkspace } from './gruKernel';
import { flagBits, HeapBlock, type CellBuffers, type KernelExports, type RecurrentDims, type RecurrentFlags } from './kernelWorkspace';

export const KERNEL_FILE = 'lstm_kernel.wasm';

export type LstmDims = RecurrentDims;
export type LstmFlags = RecurrentFlags;

export interface LstmForwardInputs {
  x: Float32Array; // [B, T, D]
  kernel: Float32Array; // [D, 4U]
  recurrent: Float32Array; // [U, 4U]
  bias: Float32Array; // [4U]
  /** Initial state [B, U] each; zeros when absent. */
  h0?: Float32Array;
  c0?: Float32Array;
}

/**
 * Views into the kernel's heap: valid only until the next kernel call on any workspace. dh0 is
 * zeros when the forward call had no initial state (nothing to differentiate).
 */
export interface LstmGradients {
  dx: Float32Array;
  dkernel: Float32Array;
  drecurrent: Float32Array;
  dbias: Float32Array;
  dh0: Float32Array;
  dc0: Float32Array;
}

// Mirrors `LstmCall` in lstm_kernel.c.
const BUFFER_NAMES = [
  'x',
  'kernel',
  'recurrent',
  'bias',
  'h0',
  'c0',
  'y',
  'hs',
  'cs',
  'gates',
  'tanh_c',
  'proj0',
  'dy',
  'dx',
  'dkernel',
  'drecurrent',
  'dbias',
  'dh0',
  'dc0',
  'dh',
  'dc',
  'dgate_sum',
] as const;
type BufferName = (typeof BUFFER_NAMES)[number];

const LSTM_BUFFERS: CellBuffers<BufferName> = { label: 'fused LSTM', names: BUFFER_NAMES, floats: bufferFloats };

function bufferFloats(name: BufferName, d: LstmDims, returnSequences: boolean): number {
  const { batch: B, steps: T, inputs: D, units: U } = d;
  const G = 4 * U;
  switch (name) {
    case 'x':
    case 'dx':
      return B * T * D;
    case 'kernel':
    case 'dkernel':
      return D * G;
    case 'recurrent':
    case 'drecurrent':
      return U * G;
    case 'bias':
    case 'dbias':
      return G;
    case 'h0':
    case 'c0':
    case 'dh0':
    case 'dc0':
    case 'dh':
    case 'dc':
      return B * U;
    case 'y':
    case 'dy':
      return returnSequences ? B * T * U : B * U;
    case 'hs':
    case 'cs':
      return (T + 1) * B * U;
    case 'gates':
      return T * B * G;
    case 'tanh_c':
      return T * B * U;
    case 'proj0':
    case 'dgate_sum':
      return B * G;
  }
}

export class LstmKernel {
  private constructor(private readonly exports: KernelExports) {}

  static async fromBytes(bytes: Uint8Array): Promise<LstmKernel> {
    const { instance } = await WebAssembly.instantiate(bytes, {});
    return new LstmKernel(instance.exports as unknown as KernelExports);
  }

  /** Byte size of the kernel's heap (it only grows). */
  get heapBytes(): number {
    return this.exports.memory.buffer.byteLength;
  }

  createWorkspace(): LstmWorkspace {
    return new LstmWorkspace(this.exports);
  }

  /** A workspace for one fused GRU layer (gru_kernel.c, in the same module and heap). */
  createGruWorkspace(): GruWorkspace {
    return new GruWorkspace(this.exports);
  }

  /** Adam state for one variable of `size` floats (see AdamSlot). */
  createAdamSlot(size: number): AdamSlot {
    return new AdamSlot(this.exports, size);
  }
}

/** Hyperparameters of one Adam step; correction1 and correction2 are 1 - beta1^t and 1 - beta2^t. */
export interface AdamStep {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  correction1: number;
  correction2: number;
}

/**
 * One variable's Adam moments in the kernel heap, with room to stage its weights and gradient:
 * four blocks of `size` floats (w, g, m, v), allocated once. The moments start at zero.
 */
export class AdamSlot {
  private readonly base: number;
  private readonly stride: number; // floats per block, rounded up to keep blocks 16-byte aligned

  constructor(
    private readonly exports: KernelExports,
    readonly size: number,
  ) {
    this.stride = Math.ceil(size / 4) * 4;
    const bytes = 4 * this.stride * 4;
    const base = exports.lstm_alloc(bytes);
    if (base === 0) throw new Error(`fused Adam: out of WebAssembly memory allocating ${bytes} bytes`);
    this.base = base;
    this.block(2).fill(0);
    this.block(3).fill(0);
  }

  /** Runs one step; returns the updated weights (a heap view, valid until the next kernel call). */
  update(weights: Float32Array, gradient: Float32Array, step: AdamStep): Float32Array {
    if (weights.length !== this.size || gradient.length !== this.size) {
      throw new Error(`fused Adam: ${weights.length} weights and ${gradient.length} gradient values for a slot of ${this.size}`);
    }
    this.block(0).set(weights);
    this.block(1).set(gradient);
    const { learningRate, beta1, beta2, epsilon, correction1, correction2 } = step;
    this.exports.adam_update(this.size, this.address(0), this.address(1), this.address(2), this.address(3), learningRate, beta1, beta2, epsilon, correction1, correction2);
    return this.block(0);
  }

  /** The first and second moments (heap views). */
  get firstMoment(): Float32Array {
    return this.block(2);
  }

  get secondMoment(): Float32Array {
    return this.block(3);
  }

  private address(block: number): number {
    return this.base + block * this.stride * 4;
  }

  /** A fresh view each time: growing the heap detaches earlier ArrayBuffers. */
  private block(block: number): Float32Array {
    return new Float32Array(this.exports.memory.buffer, this.address(block), this.size);
  }
}

/**
 * One layer's buffers in the kernel heap, reused by every call. Backward uses what the last
 * forward saved, so it must follow that forward with no other forward on this workspace in
 * between; `generation` catches violations (e.g. a layer applied twice in one training step).
 */
export class LstmWorkspace {
  private readonly block: HeapBlock<BufferName>;

  constructor(private readonly exports: KernelExports) {
    this.block = new HeapBlock(exports, LSTM_BUFFERS);
  }

  /** Runs the layer forward; returns its output (a heap view) and the generation for backward. */
  forward(d: LstmDims, f: LstmFlags, inputs: LstmForwardInputs): { y: Float32Array; generation: number } {
    const block = this.block;
    block.prepare(d, flagBits(f, inputs.h0 === undefined && inputs.c0 === undefined));
    block.put('x', inputs.x);
    block.put('kernel', inputs.kernel);
    block.put('recurrent', inputs.recurrent);
    block.put('bias', inputs.bias);
    block.put('h0', inputs.h0);
    block.put('c0', inputs.c0);
    this.exports.lstm_forward(block.call);
    return { y: block.view('y'), generation: block.forwarded() };
  }

  /** True when the last forward found the same input at every step (a repeated latent). */
  get lastInputRepeated(): boolean {
    return this.block.repeated;
  }

  backward(generation: number, dy: Float32Array): LstmGradients {
    const block = this.block;
    block.checkBackward(generation);
    block.put('dy', dy);
    this.exports.lstm_backward(block.call);
    return {
      dx: block.view('dx'),
      dkernel: block.view('dkernel'),
      drecurrent: block.view('drecurrent'),
      dbias: block.view('dbias'),
      dh0: block.view('dh0'),
      dc0: block.view('dc0'),
    };
  }
}

/**
 * Where the kernel binary is: `wasm/` beside the bundle (esbuild copies it to dist/wasm), an
 * explicitly given folder, or the source folder when running unbundled (compiled tests, found by
 * walking up from this file or from the working directory to the repository root).
 */
export function findKernelFile(extraDirs: string[] = []): string | undefined {
  const candidates = [...extraDirs, path.join(__dirname, 'wasm'), __dirname];
  for (const start of [__dirname, process.cwd()]) {
    for (let dir = start; ; dir = path.dirname(dir)) {
      candidates.push(path.join(dir, 'src', 'core', 'model', 'fused'));
      if (path.dirname(dir) === dir) break;
    }
  }
  return candidates.map((dir) => path.join(dir, KERNEL_FILE)).find((file) => fs.existsSync(file));
}

let loading: Promise<LstmKernel> | undefined;
let loaded: LstmKernel | undefined;

/** The process-wide kernel if loadLstmKernel has finished loading it, for callers that cannot wait. */
export function loadedLstmKernel(): LstmKernel | undefined {
  return loaded;
}

/** The process-wide kernel instance (one heap shared by every fused layer). */
export function loadLstmKernel(extraDirs: string[] = []): Promise<LstmKernel> {
  if (loading === undefined) {
    const file = findKernelFile(extraDirs);
    loading =
      file === undefined
        ? Promise.reject(new Error(`${KERNEL_FILE} not found (looked beside the bundle and in src/core/model/fused)`))
        : fs.promises.readFile(file).then(async (bytes) => (loaded = await LstmKernel.fromBytes(bytes)));
    // A failed load may succeed later with another folder; do not cache the failure.
    loading.catch(() => (loading = undefined));
  }
  return loading;
}
