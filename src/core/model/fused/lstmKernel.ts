// Loads lstm_kernel.wasm and drives it on plain Float32Arrays (no tfjs here, so the kernel can be
// tested and benchmarked on its own). All buffers of one layer live in one block of the kernel's
// heap (a `LstmWorkspace`), laid out below and described to the kernel by a `LstmCall` struct
// whose field order must match lstm_kernel.c.

import * as fs from 'node:fs';
import * as path from 'node:path';

export const KERNEL_FILE = 'lstm_kernel.wasm';

export interface LstmDims {
  batch: number;
  steps: number;
  inputs: number;
  units: number;
}

export interface LstmFlags {
  returnSequences: boolean;
  goBackwards: boolean;
  /** Recurrent activation hardSigmoid (tfjs's default) instead of sigmoid. */
  hardSigmoid: boolean;
  /**
   * The input is a RepeatVector's output. Backward then returns the input gradient summed over
   * steps, at step 0 (zeros elsewhere): what Tile's gradient makes of it is unchanged, and the
   * per-step products are saved. Only for inputs whose gradient nothing reads but Tile's.
   */
  repeatedInput?: boolean;
}

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

const FLAG_RETURN_SEQUENCES = 1;
const FLAG_GO_BACKWARDS = 2;
const FLAG_HARD_SIGMOID = 4;
const FLAG_REPEATED_INPUT = 8;
const FLAG_ZERO_INITIAL_STATE = 16;

// Mirrors `LstmCall` in lstm_kernel.c: five ints, the float pointers, then `repeated`.
const DIM_FIELDS = ['batch', 'steps', 'inputs', 'units', 'flags'] as const;
const BUFFER_FIELDS = [
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
type BufferName = (typeof BUFFER_FIELDS)[number];
const CALL_INTS = DIM_FIELDS.length + BUFFER_FIELDS.length + 1;
const REPEATED_FIELD = CALL_INTS - 1;
/** Bytes before the first buffer: the struct, rounded up so every buffer stays 16-byte aligned. */
const CALL_BYTES = Math.ceil((CALL_INTS * 4) / 16) * 16;

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

interface Layout {
  /** Float offsets relative to the workspace start (after the call struct). */
  offsets: Record<BufferName, number>;
  sizes: Record<BufferName, number>;
  totalFloats: number;
}

function planLayout(d: LstmDims, returnSequences: boolean): Layout {
  const offsets = {} as Record<BufferName, number>;
  const sizes = {} as Record<BufferName, number>;
  let at = 0;
  for (const name of BUFFER_FIELDS) {
    offsets[name] = at;
    sizes[name] = bufferFloats(name, d, returnSequences);
    at += Math.ceil(sizes[name] / 4) * 4; // keep every buffer 16-byte aligned
  }
  return { offsets, sizes, totalFloats: at };
}

interface KernelExports {
  memory: WebAssembly.Memory;
  lstm_alloc(bytes: number): number;
  lstm_forward(call: number): void;
  lstm_backward(call: number): void;
  adam_update(
    n: number,
    w: number,
    g: number,
    m: number,
    v: number,
    learningRate: number,
    beta1: number,
    beta2: number,
    epsilon: number,
    correction1: number,
    correction2: number,
  ): void;
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
  private base = 0; // byte address of the call struct; buffers follow it
  private capacityFloats = 0;
  private layout: Layout | undefined;
  private dims: LstmDims | undefined;
  private flags = 0;
  private generationCounter = 0;

  constructor(private readonly exports: KernelExports) {}

  /** Runs the layer forward; returns its output (a heap view) and the generation for backward. */
  forward(d: LstmDims, f: LstmFlags, inputs: LstmForwardInputs): { y: Float32Array; generation: number } {
    // Without an initial state the kernel skips the products with the zero state (and dh0).
    this.prepare(d, f, inputs.h0 === undefined && inputs.c0 === undefined);
    const put = (name: BufferName, values: Float32Array | undefined): void => {
      const view = this.view(name);
      if (values === undefined) view.fill(0);
      else if (values.length !== view.length) throw new Error(`fused LSTM: ${name} has ${values.length} values, expected ${view.length}`);
      else view.set(values);
    };
    put('x', inputs.x);
    put('kernel', inputs.kernel);
    put('recurrent', inputs.recurrent);
    put('bias', inputs.bias);
    put('h0', inputs.h0);
    put('c0', inputs.c0);
    this.exports.lstm_forward(this.base);
    this.generationCounter += 1;
    return { y: this.view('y'), generation: this.generationCounter };
  }

  /** True when the last forward found the same input at every step (a repeated latent). */
  get lastInputRepeated(): boolean {
    return new Int32Array(this.exports.memory.buffer, this.base, CALL_INTS)[REPEATED_FIELD] === 1;
  }

  backward(generation: number, dy: Float32Array): LstmGradients {
    if (generation !== this.generationCounter || this.layout === undefined) {
      throw new Error('fused LSTM: backward called after another forward on the same layer; the saved activations are gone');
    }
    const dyView = this.view('dy');
    if (dy.length !== dyView.length) throw new Error(`fused LSTM: dy has ${dy.length} values, expected ${dyView.length}`);
    dyView.set(dy);
    this.exports.lstm_backward(this.base);
    return {
      dx: this.view('dx'),
      dkernel: this.view('dkernel'),
      drecurrent: this.view('drecurrent'),
      dbias: this.view('dbias'),
      dh0: this.view('dh0'),
      dc0: this.view('dc0'),
    };
  }

  private prepare(d: LstmDims, f: LstmFlags, zeroInitialState: boolean): void {
    const layout = planLayout(d, f.returnSequences);
    if (layout.totalFloats > this.capacityFloats) {
      // A new block; the old one stays unused in the bump heap (sizes settle after the first batch).
      const bytes = CALL_BYTES + layout.totalFloats * 4 + 16;
      const base = this.exports.lstm_alloc(bytes);
      if (base === 0) throw new Error(`fused LSTM: out of WebAssembly memory allocating ${bytes} bytes`);
      this.base = base;
      this.capacityFloats = layout.totalFloats;
    }
    this.layout = layout;
    this.dims = d;
    this.flags =
      (f.returnSequences ? FLAG_RETURN_SEQUENCES : 0) |
      (f.goBackwards ? FLAG_GO_BACKWARDS : 0) |
      (f.hardSigmoid ? FLAG_HARD_SIGMOID : 0) |
      (f.repeatedInput === true ? FLAG_REPEATED_INPUT : 0) |
      (zeroInitialState ? FLAG_ZERO_INITIAL_STATE : 0);
    const call = new Int32Array(this.exports.memory.buffer, this.base, CALL_INTS);
    DIM_FIELDS.forEach((name, k) => (call[k] = name === 'flags' ? this.flags : d[name]));
    BUFFER_FIELDS.forEach((name, k) => (call[DIM_FIELDS.length + k] = this.bufferAddress(name)));
    call[REPEATED_FIELD] = 0;
  }

  private bufferAddress(name: BufferName): number {
    return this.base + CALL_BYTES + (this.layout as Layout).offsets[name] * 4;
  }

  /** A fresh view each time: growing the heap detaches earlier ArrayBuffers. */
  private view(name: BufferName): Float32Array {
    const layout = this.layout as Layout;
    return new Float32Array(this.exports.memory.buffer, this.bufferAddress(name), layout.sizes[name]);
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
