// Loads lstm_kernel.wasm and drives it on plain Float32Arrays (no tfjs here, so the kernel can be
// tested and benchmarked on its own). All buffers of one layer live in one block of the kernel's
// heap (a `LstmWorkspace`), laid out below and described to the kernel by a `LstmCall` struct
// whose field order must match lstm_kernel.c.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { GruWorkspace } from './gruKernel';
import {
  CellWorkspace,
  LAYER_GRADIENT_BUFFERS,
  LAYER_INPUT_BUFFERS,
  type CellForwardInputs,
  type CellGradients,
  type CellSpec,
  type KernelExports,
  type RecurrentDims,
  type RecurrentFlags,
} from './kernelWorkspace';

export const KERNEL_FILE = 'lstm_kernel.wasm';

export type LstmDims = RecurrentDims;
export type LstmFlags = RecurrentFlags;

/** x [B, T, D], kernel [D, 4U], recurrent [U, 4U], bias [4U]; initial state h0 and c0 [B, U] each, zeros when absent. */
export type LstmForwardInputs = CellForwardInputs<'h0' | 'c0'>;

/** Views into the kernel's heap (see CellGradients); dh0 and dc0 are zeros without an initial state. */
export type LstmGradients = CellGradients<'dh0' | 'dc0'>;

// Mirrors `LstmCall` in lstm_kernel.c: its buffer pointers in field order, each with the shape its size follows.
const LSTM_BUFFERS = {
  ...LAYER_INPUT_BUFFERS,
  c0: 'state',
  y: 'output',
  hs: 'stateSteps',
  cs: 'stateSteps',
  gates: 'gateSteps',
  tanh_c: 'unitSteps',
  proj0: 'batchGates',
  ...LAYER_GRADIENT_BUFFERS,
  dc0: 'state',
  dh: 'state',
  dc: 'state',
  dgate_sum: 'batchGates',
} as const;
type BufferName = keyof typeof LSTM_BUFFERS;

const LSTM_CELL: CellSpec<BufferName, 'h0' | 'c0', 'dh0' | 'dc0'> = {
  gates: 4,
  label: 'fused LSTM',
  buffers: LSTM_BUFFERS,
  states: ['h0', 'c0'],
  stateGradients: ['dh0', 'dc0'],
  forward: 'lstm_forward',
  backward: 'lstm_backward',
};

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

/** One fused LSTM layer's workspace (the shared marshalling: CellWorkspace). */
export class LstmWorkspace extends CellWorkspace<BufferName, 'h0' | 'c0', 'dh0' | 'dc0'> {
  constructor(exports: KernelExports) {
    super(exports, LSTM_CELL);
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
