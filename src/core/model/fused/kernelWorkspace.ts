// What the fused cells' workspaces share (lstmKernel.ts, gruKernel.ts): the kernel module's
// exports, the flags of a layer call, a block of the kernel heap holding one layer's buffers
// behind the call struct that describes them to the kernel, and the workspace that marshals a
// forward and a backward call through it (CellWorkspace). The struct is five ints (batch, steps,
// inputs, units, flags), one pointer per buffer in the cell's order, then `repeated`; each cell's
// C file declares it with the same field order (LstmCall, GruCall). A cell adds only its buffer
// list and sizes, its state buffers (h0, c0 / h0) and its kernel entry points (CellSpec).

export interface KernelExports {
  memory: WebAssembly.Memory;
  lstm_alloc(bytes: number): number;
  lstm_forward(call: number): void;
  lstm_backward(call: number): void;
  gru_forward(call: number): void;
  gru_backward(call: number): void;
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

export interface RecurrentDims {
  batch: number;
  steps: number;
  inputs: number;
  units: number;
}

export interface RecurrentFlags {
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

// The bits of kernel_math.h's flags enum.
const FLAG_RETURN_SEQUENCES = 1;
const FLAG_GO_BACKWARDS = 2;
const FLAG_HARD_SIGMOID = 4;
const FLAG_REPEATED_INPUT = 8;
const FLAG_ZERO_INITIAL_STATE = 16;

/** The flags word of a call; without an initial state the kernel skips the products with the zero state. */
export function flagBits(f: RecurrentFlags, zeroInitialState: boolean): number {
  return (
    (f.returnSequences ? FLAG_RETURN_SEQUENCES : 0) |
    (f.goBackwards ? FLAG_GO_BACKWARDS : 0) |
    (f.hardSigmoid ? FLAG_HARD_SIGMOID : 0) |
    (f.repeatedInput === true ? FLAG_REPEATED_INPUT : 0) |
    (zeroInitialState ? FLAG_ZERO_INITIAL_STATE : 0)
  );
}

/**
 * How a buffer's size follows from a call's dimensions, with G = gates * U. Each cell lists its
 * buffers with one of these (LSTM_BUFFERS, GRU_BUFFERS), in its call struct's field order.
 */
export type BufferShape =
  | 'input' // [B, T, D]
  | 'kernel' // [D, G]
  | 'recurrent' // [U, G]
  | 'gateRow' // [G]
  | 'state' // [B, U]
  | 'output' // [B, T, U] with returnSequences, else [B, U]
  | 'stateSteps' // [T + 1, B, U]: the initial state at slot 0, then every step's
  | 'gateSteps' // [T, B, G]
  | 'unitSteps' // [T, B, U]
  | 'batchGates'; // [B, G]

function shapeFloats(shape: BufferShape, d: RecurrentDims, gates: number, returnSequences: boolean): number {
  const { batch: B, steps: T, inputs: D, units: U } = d;
  const G = gates * U;
  switch (shape) {
    case 'input':
      return B * T * D;
    case 'kernel':
      return D * G;
    case 'recurrent':
      return U * G;
    case 'gateRow':
      return G;
    case 'state':
      return B * U;
    case 'output':
      return returnSequences ? B * T * U : B * U;
    case 'stateSteps':
      return (T + 1) * B * U;
    case 'gateSteps':
      return T * B * G;
    case 'unitSteps':
      return T * B * U;
    case 'batchGates':
      return B * G;
  }
}

/** One cell's buffers: their order in the call struct and their sizes in floats. */
export interface CellBuffers<Name extends string> {
  /** For messages: 'fused LSTM', 'fused GRU'. */
  label: string;
  names: readonly Name[];
  floats(name: Name, d: RecurrentDims, returnSequences: boolean): number;
}

const DIM_FIELDS = ['batch', 'steps', 'inputs', 'units'] as const;

interface Layout<Name extends string> {
  /** Float offsets relative to the first buffer (after the call struct). */
  offsets: Record<Name, number>;
  sizes: Record<Name, number>;
  totalFloats: number;
}

/**
 * One layer's call struct and buffers in the kernel heap, reused by every call: a larger shape
 * allocates a new block (the old one stays unused in the bump heap; sizes settle after the
 * first batch).
 */
export class HeapBlock<Name extends string> {
  private base = 0;
  private capacityFloats = 0;
  private layout: Layout<Name> | undefined;
  /** Counts forward calls: backward must follow the forward whose activations it uses. */
  private generation = 0;
  private readonly callInts: number;
  /** Bytes before the first buffer: the struct, rounded up so every buffer stays 16-byte aligned. */
  private readonly callBytes: number;

  constructor(
    private readonly exports: KernelExports,
    private readonly cell: CellBuffers<Name>,
  ) {
    this.callInts = DIM_FIELDS.length + 1 + cell.names.length + 1;
    this.callBytes = Math.ceil((this.callInts * 4) / 16) * 16;
  }

  /** Byte address of the call struct, the kernel's argument. */
  get call(): number {
    return this.base;
  }

  get prepared(): boolean {
    return this.layout !== undefined;
  }

  /** Marks a forward call done; returns the number its backward must present. */
  forwarded(): number {
    return ++this.generation;
  }

  /** Throws unless `generation` is the last forward's (e.g. a layer applied twice in one training step). */
  checkBackward(generation: number): void {
    if (generation !== this.generation || !this.prepared) {
      throw new Error(`${this.cell.label}: backward called after another forward on the same layer; the saved activations are gone`);
    }
  }

  /** Lays the buffers out for `d` and writes the call struct (with `repeated` cleared). */
  prepare(d: RecurrentDims, flags: number): void {
    const layout = this.planLayout(d, (flags & FLAG_RETURN_SEQUENCES) !== 0);
    if (layout.totalFloats > this.capacityFloats) {
      const bytes = this.callBytes + layout.totalFloats * 4 + 16;
      const base = this.exports.lstm_alloc(bytes);
      if (base === 0) throw new Error(`${this.cell.label}: out of WebAssembly memory allocating ${bytes} bytes`);
      this.base = base;
      this.capacityFloats = layout.totalFloats;
    }
    this.layout = layout;
    const call = new Int32Array(this.exports.memory.buffer, this.base, this.callInts);
    DIM_FIELDS.forEach((name, k) => (call[k] = d[name]));
    call[DIM_FIELDS.length] = flags;
    this.cell.names.forEach((name, k) => (call[DIM_FIELDS.length + 1 + k] = this.address(name)));
    call[this.callInts - 1] = 0;
  }

  /** Copies `values` into buffer `name` (zeros when undefined), checking the length. */
  put(name: Name, values: Float32Array | undefined): void {
    const view = this.view(name);
    if (values === undefined) view.fill(0);
    else if (values.length !== view.length) throw new Error(`${this.cell.label}: ${name} has ${values.length} values, expected ${view.length}`);
    else view.set(values);
  }

  /** A fresh view each time: growing the heap detaches earlier ArrayBuffers. */
  view(name: Name): Float32Array {
    const layout = this.layout as Layout<Name>;
    return new Float32Array(this.exports.memory.buffer, this.address(name), layout.sizes[name]);
  }

  /** The struct's last field, set by forward: 1 when every step had the first step's input. */
  get repeated(): boolean {
    return new Int32Array(this.exports.memory.buffer, this.base, this.callInts)[this.callInts - 1] === 1;
  }

  private address(name: Name): number {
    return this.base + this.callBytes + (this.layout as Layout<Name>).offsets[name] * 4;
  }

  private planLayout(d: RecurrentDims, returnSequences: boolean): Layout<Name> {
    const offsets = {} as Record<Name, number>;
    const sizes = {} as Record<Name, number>;
    let at = 0;
    for (const name of this.cell.names) {
      offsets[name] = at;
      sizes[name] = this.cell.floats(name, d, returnSequences);
      at += Math.ceil(sizes[name] / 4) * 4; // keep every buffer 16-byte aligned
    }
    return { offsets, sizes, totalFloats: at };
  }
}

/** The inputs every cell's forward call takes; the cell's initial-state buffers come beside them. */
export interface CellForwardBase {
  x: Float32Array; // [B, T, D]
  kernel: Float32Array; // [D, gates * U]
  recurrent: Float32Array; // [U, gates * U]
  bias: Float32Array; // [gates * U]
}

/** A cell's forward inputs: the common four and its initial state [B, U] per state buffer, zeros when absent. */
export type CellForwardInputs<State extends string> = CellForwardBase & Partial<Record<State, Float32Array>>;

/**
 * A cell's backward results, views into the kernel's heap: valid only until the next kernel call
 * on any workspace. The state gradients are zeros when the forward call had no initial state.
 */
export type CellGradients<StateGrad extends string> = Record<'dx' | 'dkernel' | 'drecurrent' | 'dbias' | StateGrad, Float32Array>;

/** The forward inputs every call struct starts with, in this order: the input, the weights and the first state. */
export const LAYER_INPUT_BUFFERS = { x: 'input', kernel: 'kernel', recurrent: 'recurrent', bias: 'gateRow', h0: 'state' } as const;

/** The backward buffers every call struct has in a run, in this order: dy, then the gradients of the layer inputs above. */
export const LAYER_GRADIENT_BUFFERS = { dy: 'output', dx: 'input', dkernel: 'kernel', drecurrent: 'recurrent', dbias: 'gateRow', dh0: 'state' } as const;

type CommonBuffer = keyof typeof LAYER_INPUT_BUFFERS | keyof typeof LAYER_GRADIENT_BUFFERS | 'y';

/** What a cell adds to the shared workspace. */
export interface CellSpec<Name extends string, State extends Name, StateGrad extends Name> {
  /** For messages: 'fused LSTM', 'fused GRU'. */
  label: string;
  /** Gate blocks of U columns in the weights: 4 for the LSTM (i, f, c, o), 3 for the GRU (z, r, h). */
  gates: number;
  /** Every buffer of the call struct with its shape, in the struct's field order (object keys keep their insertion order). */
  buffers: Record<Name | CommonBuffer, BufferShape>;
  /** The initial-state buffers in the order the layer's initialState lists them. */
  states: readonly State[];
  /** Their gradients, in the same order. */
  stateGradients: readonly StateGrad[];
  forward: 'lstm_forward' | 'gru_forward';
  backward: 'lstm_backward' | 'gru_backward';
}

/**
 * One layer's buffers in the kernel heap, reused by every call. Backward uses what the last
 * forward saved, so it must follow that forward with no other forward on this workspace in
 * between; the block's generation catches violations (e.g. a layer applied twice in one training
 * step). `exports` is what the kernel calls go through (bench/profileStep.ts wraps it to time them).
 */
export class CellWorkspace<Name extends string, State extends Name, StateGrad extends Name> {
  private readonly block: HeapBlock<Name | CommonBuffer>;

  constructor(
    protected readonly exports: KernelExports,
    readonly spec: CellSpec<Name, State, StateGrad>,
  ) {
    const shapes = spec.buffers;
    const names = Object.keys(shapes) as Array<Name | CommonBuffer>;
    this.block = new HeapBlock(exports, { label: spec.label, names, floats: (name, d, returnSequences) => shapeFloats(shapes[name], d, spec.gates, returnSequences) });
  }

  /** Runs the layer forward; returns its output (a heap view) and the generation for backward. */
  forward(d: RecurrentDims, f: RecurrentFlags, inputs: CellForwardInputs<State>): { y: Float32Array; generation: number } {
    const block = this.block;
    const states = this.spec.states;
    const zeroInitialState = states.every((name) => inputs[name] === undefined);
    block.prepare(d, flagBits(f, zeroInitialState));
    block.put('x', inputs.x);
    block.put('kernel', inputs.kernel);
    block.put('recurrent', inputs.recurrent);
    block.put('bias', inputs.bias);
    for (const name of states) block.put(name, inputs[name]);
    this.exports[this.spec.forward](block.call);
    return { y: block.view('y'), generation: block.forwarded() };
  }

  /** True when the last forward found the same input at every step (a repeated latent). */
  get lastInputRepeated(): boolean {
    return this.block.repeated;
  }

  backward(generation: number, dy: Float32Array): CellGradients<StateGrad> {
    const block = this.block;
    block.checkBackward(generation);
    block.put('dy', dy);
    this.exports[this.spec.backward](block.call);
    const grads = {
      dx: block.view('dx'),
      dkernel: block.view('dkernel'),
      drecurrent: block.view('drecurrent'),
      dbias: block.view('dbias'),
    } as CellGradients<StateGrad>;
    for (const name of this.spec.stateGradients) grads[name] = block.view(name);
    return grads;
  }
}
