// What the Python front end knows about an expression. It never runs user code: a small
// abstract interpreter folds constants, follows names, imports, calls to visible functions and
// classes, and records library objects (layers, optimizers, losses) with the node each argument
// was written at. Anything it cannot follow is `unknown`, and stays so.

import type { SyntaxNode } from './parser';

export interface Arg {
  value: PyValue;
  /** The argument as written: a keyword argument (`activation='relu'`) or a positional expression. */
  node: SyntaxNode;
}

export interface Scope {
  vars: Map<string, PyValue>;
  parent?: Scope;
  /** Names assigned in a branch whose condition is unknown: their value depends on the run. */
}

/** One step a tensor went through, in order; the model description is read off the chain. */
export type Step =
  | { kind: 'rnn'; layer: LibObject; sequences: boolean; node: SyntaxNode; initialState?: SyntaxNode }
  | { kind: 'dense'; layer: LibObject; node: SyntaxNode }
  | { kind: 'dropout'; rate: PyValue; node: SyntaxNode; argNode: SyntaxNode }
  | { kind: 'activation'; name: string | undefined; node: SyntaxNode; argNode?: SyntaxNode }
  | { kind: 'bridge'; type: 'repeat' | 'sequence' | 'initialState'; node: SyntaxNode; steps?: PyValue }
  /** The time axis is gone (last step taken, final state used). */
  | { kind: 'reduceTime'; node: SyntaxNode }
  /** An operation the front end does not model (an embedding, a matrix product ...): widths and ranges after it are not known. */
  | { kind: 'opaque'; node: SyntaxNode };

/** Layout of a tensor's axes after the time axis was reduced: B batch, H units, T time (repeated), 1 a new axis, ? unknown. */
export type Axis = 'B' | 'H' | 'T' | 'N' | '1' | '?';

export interface TensorValue {
  kind: 'tensor';
  chain: Step[];
  axes?: Axis[];
  /** The op that last changed the axes (an unsqueeze, repeat, view ...), where a bridge is reported. */
  layoutOp?: SyntaxNode;
  /** Repeat count written in the op that created the T axis. */
  repeatSteps?: PyValue;
  /** Set by `torch.flip` / `.flip` on the tensor: where the time axis was reversed. */
  reversedBy?: SyntaxNode;
  /** Set by `.mean(1)` / `torch.mean(x, dim=1)`: where the time axis was averaged away. */
  reducedOverTime?: SyntaxNode;
  /** The Keras `Input(...)` the chain starts from. */
  input?: LibObject;
  node?: SyntaxNode;
}

export interface LibObject {
  kind: 'lib';
  /** Canonical name, e.g. `keras.LSTM`, `nn.LSTM`, `optim.Adam`, `sklearn.MinMaxScaler`. */
  ref: string;
  args: Arg[];
  kwargs: Map<string, Arg>;
  node: SyntaxNode;
  /** Mutable state: a Sequential's layers, a model's compile/fit calls. */
  layers?: PyValue[];
  /** Built inside a loop whose number of turns is not known: how many such layers there are is not known. */
  inOpenLoop?: boolean;
  calls: Map<string, LibObject[]>;
}

export interface ClassValue {
  kind: 'class';
  name: string;
  def: SyntaxNode;
  scope: Scope;
  bases: PyValue[];
  methods: Map<string, SyntaxNode>;
  node?: SyntaxNode;
}

export interface InstanceValue {
  kind: 'instance';
  cls: ClassValue;
  attrs: Map<string, PyValue>;
  node: SyntaxNode;
  /** Calls made on the instance (`model.compile`, `model.fit`) as library-like records. */
  calls: Map<string, LibObject[]>;
}

export type PyValue =
  | { kind: 'number'; value: number; node: SyntaxNode }
  | { kind: 'string'; value: string; node: SyntaxNode }
  | { kind: 'bool'; value: boolean; node: SyntaxNode }
  | { kind: 'none'; node: SyntaxNode }
  | { kind: 'seq'; items: PyValue[]; node: SyntaxNode }
  | { kind: 'dict'; entries: Map<string, PyValue>; node: SyntaxNode }
  | { kind: 'range'; start: number; stop: number; step: number; node: SyntaxNode }
  | { kind: 'ref'; name: string; node: SyntaxNode }
  | { kind: 'func'; def: SyntaxNode; scope: Scope; self?: PyValue; node?: SyntaxNode }
  | { kind: 'method'; name: string; of: PyValue; node: SyntaxNode }
  | ClassValue
  | InstanceValue
  | LibObject
  | TensorValue
  /** `loopStep`: the variable of a loop over a range of unknown length, with the range's step. */
  | { kind: 'unknown'; node?: SyntaxNode; loopStep?: PyValue };

export const UNKNOWN: PyValue = { kind: 'unknown' };

export function isKnownScalar(value: PyValue): value is Extract<PyValue, { kind: 'number' | 'string' | 'bool' | 'none' }> {
  return value.kind === 'number' || value.kind === 'string' || value.kind === 'bool' || value.kind === 'none';
}

export function numberOf(value: PyValue | undefined): number | undefined {
  if (!value) return undefined;
  if (value.kind === 'number') return value.value;
  if (value.kind === 'bool') return value.value ? 1 : 0;
  return undefined;
}

export function stringOf(value: PyValue | undefined): string | undefined {
  return value?.kind === 'string' ? value.value : undefined;
}

export function boolOf(value: PyValue | undefined): boolean | undefined {
  if (!value) return undefined;
  if (value.kind === 'bool') return value.value;
  if (value.kind === 'none') return false;
  if (value.kind === 'number') return value.value !== 0;
  if (value.kind === 'string') return value.value !== '';
  if (value.kind === 'seq') return value.items.length > 0;
  // A layer or activation object (`if self.h_activ:`), a function or a class is truthy; a tensor's truth is its data's.
  if (value.kind === 'lib' || value.kind === 'func' || value.kind === 'class') return true;
  return undefined;
}

/** The value of a library object's parameter, by keyword or by position. */
export function argOf(obj: LibObject, name: string, position?: number): Arg | undefined {
  const byName = obj.kwargs.get(name);
  if (byName) return byName;
  if (position !== undefined && position < obj.args.length) return obj.args[position];
  return undefined;
}
