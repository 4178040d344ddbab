// Reads a model description in the config format's terms off what the interpreter found: the
// model (Keras Sequential / functional / subclassed, or a PyTorch nn.Module), its layer chain
// split into encoder, latent, bridge and decoder, the training setup (compile/fit, optimizer,
// loss call, DataLoader), scaling and windowing. Each field holds the value and the Python range
// it came from; a field the code does not determine is left out (unknown). Library defaults
// (Keras LSTM activation tanh, torch Adam lr 1e-3, ...) count as known: they are documented.

import type { SourceSpan } from '../config/document';
import type { Range } from '../types';
import { interpret, type Program } from './interpret';
import { kerasActivation, RECURRENT_KERAS, RECURRENT_TORCH, CELL_TORCH } from './names';
import { namedChildren, type SyntaxNode } from './parser';
import { argOf, boolOf, numberOf, stringOf } from './values';
import type { Arg, InstanceValue, LibObject, PyValue, Step, TensorValue } from './values';

export type Framework = 'keras' | 'pytorch';

/** A literal the quick fixes may rewrite: written at the place the finding points to. */
export interface EditableLiteral {
  range: Range;
  kind: 'string' | 'number' | 'bool';
  /** The quote the string was written with. */
  quote?: string;
  /** How a TSAE value is spelt here (Keras activation names differ). */
  spelling?: 'keras-activation';
}

export interface PythonDescription {
  framework: Framework | undefined;
  /** The fields of a config the code determines, in the config format's shape. */
  value: Record<string, unknown>;
  /** Dotted config path -> where in the Python text it was written. */
  spans: Map<string, SourceSpan>;
  literals: Map<string, EditableLiteral>;
  /** Config paths whose value could not be inferred, with the place that hides it when known. */
  unknown: Map<string, Range | undefined>;
  /** Why an unknown path could not be inferred, when the code shows more than a value known only at run time. */
  unknownWhy: Map<string, string>;
  /** Range of the model definition, for hovers. */
  modelRange?: Range;
}

export function rangeOfNode(node: SyntaxNode): Range {
  return { start: { line: node.startPosition.row, character: node.startPosition.column }, end: { line: node.endPosition.row, character: node.endPosition.column } };
}

class Builder {
  readonly value: Record<string, unknown> = {};
  readonly spans = new Map<string, SourceSpan>();
  readonly literals = new Map<string, EditableLiteral>();
  readonly unknown = new Map<string, Range | undefined>();
  readonly unknownWhy = new Map<string, string>();

  /** Sets a known value; `written` is the argument as written, `literal` the literal a fix may edit. */
  set(path: string, value: unknown, written?: SyntaxNode, literal?: { node: SyntaxNode; spelling?: EditableLiteral['spelling'] }): void {
    const segments = path.split('.');
    let target: Record<string, unknown> = this.value;
    for (let i = 0; i < segments.length - 1; i++) {
      const key = segments[i];
      const next = segments[i + 1];
      if (target[key] === undefined) target[key] = /^\d+$/.test(next) ? [] : {};
      target = target[key] as Record<string, unknown>;
    }
    target[segments[segments.length - 1]] = value;
    this.unknown.delete(path);
    if (written) this.spans.set(path, { value: rangeOfNode(written) });
    if (literal) {
      const node = literal.node;
      const kind = node.type === 'string' ? 'string' : node.type === 'true' || node.type === 'false' ? 'bool' : 'number';
      this.literals.set(path, {
        range: rangeOfNode(node),
        kind,
        quote: kind === 'string' ? node.text.match(/^[rbuf]*('''|"""|'|")/i)?.[1] : undefined,
        spelling: literal.spelling,
      });
    }
  }

  /** A value from an argument: known when it folded to the expected type, else unknown. */
  setFrom(path: string, arg: Arg | undefined, convert: (v: PyValue) => unknown, fallback?: { value: unknown; anchor?: SyntaxNode }, spelling?: EditableLiteral['spelling']): void {
    if (!arg) {
      if (fallback) this.set(path, fallback.value, fallback.anchor);
      return;
    }
    const converted = convert(arg.value);
    if (converted === undefined) {
      this.markUnknown(path, arg.node);
      return;
    }
    const origin = arg.value.node;
    const written = origin && isLiteral(origin) && editableHere(origin) ? writtenNode(origin) : arg.node;
    this.set(path, converted, written, origin && isLiteral(origin) && editableHere(origin) ? { node: origin, spelling } : undefined);
  }

  markUnknown(path: string, node?: SyntaxNode, why?: string): void {
    this.unknown.set(path, node ? rangeOfNode(node) : undefined);
    if (why !== undefined) this.unknownWhy.set(path, why);
  }

  anchor(path: string, node: SyntaxNode): void {
    if (!this.spans.has(path)) this.spans.set(path, { value: rangeOfNode(node) });
  }

  has(path: string): boolean {
    let current: unknown = this.value;
    for (const segment of path.split('.')) {
      if (current === null || typeof current !== 'object') return false;
      current = (current as Record<string, unknown>)[segment];
    }
    return current !== undefined;
  }
}

function isLiteral(node: SyntaxNode): boolean {
  if (node.type === 'unary_operator') return node.child(0)?.text === '-' && isLiteral(node.childForFieldName('argument')!);
  return (
    node.type === 'integer' ||
    node.type === 'float' ||
    node.type === 'true' ||
    node.type === 'false' ||
    (node.type === 'string' && !namedChildren(node).some((c) => c.type === 'interpolation'))
  );
}

/** A literal written as an argument or a parameter default: rewriting it changes only this use. */
function editableHere(node: SyntaxNode): boolean {
  const parent = node.parent;
  return parent !== null && ['keyword_argument', 'argument_list', 'default_parameter', 'typed_default_parameter'].includes(parent.type);
}

/** What a diagnostic underlines for a literal: `activation='relu'`, `lr=1e-6`, or the literal itself. */
function writtenNode(node: SyntaxNode): SyntaxNode {
  const parent = node.parent;
  if (parent && ['keyword_argument', 'default_parameter', 'typed_default_parameter'].includes(parent.type)) return parent;
  return node;
}

const asNumber = (v: PyValue): number | undefined => numberOf(v);
const asPositiveInt = (v: PyValue): number | undefined => {
  const n = numberOf(v);
  return n !== undefined && Number.isInteger(n) && n > 0 ? n : undefined;
};
const asBool = (v: PyValue): boolean | undefined => (v.kind === 'bool' ? v.value : undefined);
const asKerasActivation = (v: PyValue): string | undefined => (v.kind === 'none' ? 'linear' : v.kind === 'string' ? kerasActivation(v.value) : undefined);

// Keras optimizer defaults (keras.optimizers, Keras 2 and 3) and PyTorch's (torch.optim, 2.x).
const KERAS_OPTIMIZERS: Record<string, { name: string; lr: number }> = {
  adam: { name: 'adam', lr: 0.001 },
  adamw: { name: 'adam', lr: 0.001 },
  nadam: { name: 'adam', lr: 0.001 },
  rmsprop: { name: 'rmsprop', lr: 0.001 },
  sgd: { name: 'sgd', lr: 0.01 },
  adagrad: { name: 'adagrad', lr: 0.001 },
};
const TORCH_OPTIMIZERS: Record<string, { name: string; lr: number }> = {
  'optim.Adam': { name: 'adam', lr: 0.001 },
  'optim.AdamW': { name: 'adam', lr: 0.001 },
  'optim.RMSprop': { name: 'rmsprop', lr: 0.01 },
  'optim.SGD': { name: 'sgd', lr: 0.001 },
  'optim.Adagrad': { name: 'adagrad', lr: 0.01 },
};
const KERAS_LOSSES: Record<string, string> = {
  mse: 'mse',
  mean_squared_error: 'mse',
  mae: 'mae',
  mean_absolute_error: 'mae',
  'keras.MeanSquaredError': 'mse',
  'keras.MeanAbsoluteError': 'mae',
};

const WINDOW_NAMES = /^(seq_?len(gth)?|sequence_?len(gth)?|time_?steps|n_?time_?steps|n_?steps|num_?steps|window(_?size|_?len(gth)?)?|look_?back|timesteps|time)$/i;
const FEATURE_NAMES = /^(n_?features|num_?features|n_?feats|input_?dim|n_?sensors|num_?sensors|n_?channels|features|n_?vars)$/i;

export function describePython(root: SyntaxNode): PythonDescription {
  const program = interpret(root);
  const b = new Builder();
  const model = findModel(program);
  const framework = model ? frameworkOf(model, program) : program.usesKeras ? 'keras' : program.usesTorch ? 'pytorch' : undefined;
  let output: TensorValue | undefined;
  if (model) {
    b.anchor('model', model.node);
    b.anchor('', model.node);
    output = longestTensor(program.forwards.get(model));
    if (output && !(model.kind === 'lib' && (model as LibObject & { uncertain?: boolean }).uncertain)) describeChain(b, output.chain, framework ?? 'keras');
  }
  describeInput(b, program, output, framework);
  describeTraining(b, program, model, framework);
  describePreprocessing(b, program);
  return { framework, value: b.value, spans: b.spans, literals: b.literals, unknown: b.unknown, unknownWhy: b.unknownWhy, modelRange: model ? rangeOfNode(model.node) : undefined };
}

// ------------------------------------------------------------------ the model

type ModelValue = InstanceValue | LibObject;

function findModel(program: Program): ModelValue | undefined {
  const candidates: ModelValue[] = [...program.forwards.keys()].filter((m) => longestTensor(program.forwards.get(m))?.chain.some((s) => s.kind === 'rnn'));
  if (candidates.length === 0) return undefined;
  // A model that is part of another (an encoder attribute, a Sequential inside a model) is not the top.
  const contained = new Set<ModelValue>();
  for (const m of candidates) {
    if (m.kind === 'instance') for (const v of m.attrs.values()) if (v.kind === 'instance' || v.kind === 'lib') contained.add(v);
    if (m.kind === 'lib') for (const v of m.layers ?? []) if (v.kind === 'lib' || v.kind === 'instance') contained.add(v);
  }
  const top = candidates.filter((m) => !contained.has(m));
  const pool = top.length > 0 ? top : candidates;
  const trained = pool.filter((m) => m.calls.has('compile') || m.calls.has('fit') || m.calls.has('parameters'));
  const chosen = trained.length > 0 ? trained : pool;
  // The longest chain is the whole autoencoder rather than one half of it.
  return chosen.sort((a, c) => (longestTensor(program.forwards.get(c))?.chain.length ?? 0) - (longestTensor(program.forwards.get(a))?.chain.length ?? 0))[0];
}

function frameworkOf(model: ModelValue, program: Program): Framework {
  const chain = longestTensor(program.forwards.get(model))?.chain ?? [];
  const rnn = chain.find((s): s is Extract<Step, { kind: 'rnn' }> => s.kind === 'rnn');
  return rnn && (RECURRENT_TORCH.has(rnn.layer.ref) || CELL_TORCH.has(rnn.layer.ref)) ? 'pytorch' : 'keras';
}

function longestTensor(value: PyValue | undefined): TensorValue | undefined {
  if (!value) return undefined;
  if (value.kind === 'tensor') return value;
  if (value.kind === 'seq') {
    const tensors = value.items.map(longestTensor).filter((t): t is TensorValue => t !== undefined);
    return tensors.sort((a, c) => c.chain.length - a.chain.length)[0];
  }
  return undefined;
}

interface RecurrentLayer {
  step: Extract<Step, { kind: 'rnn' }>;
  /** The layer object holding the settings (inside Bidirectional for Keras). */
  layer: LibObject;
  bidirectional?: SyntaxNode;
  /** Index within a multi-layer nn.LSTM (num_layers > 1). */
  stackIndex: number;
  dropoutBefore?: Extract<Step, { kind: 'dropout' }>;
}

/** Splits a layer chain into encoder, latent, bridge, decoder and output, as the config format has them. */
function describeChain(b: Builder, chain: Step[], framework: Framework): void {
  type Phase = 'encoder' | 'latent' | 'decoder';
  let phase: Phase = 'encoder';
  const encoder: RecurrentLayer[] = [];
  const decoder: RecurrentLayer[] = [];
  const latentDense: Array<Extract<Step, { kind: 'dense' }>> = [];
  let latentActivation: Extract<Step, { kind: 'activation' }> | undefined;
  /** The activation applied right after each latent-phase dense, by the dense's index. */
  const activationAfterDense = new Map<number, Extract<Step, { kind: 'activation' }>>();
  let latentDropout: Extract<Step, { kind: 'dropout' }> | undefined;
  let bridge: Extract<Step, { kind: 'bridge' }> | undefined;
  let pendingDropout: Extract<Step, { kind: 'dropout' }> | undefined;
  const outputDense: Array<Extract<Step, { kind: 'dense' }>> = [];
  let outputActivation: Extract<Step, { kind: 'activation' }> | undefined;
  const seen = new Set<LibObject>();

  for (const step of chain) {
    switch (step.kind) {
      case 'rnn': {
        // A cell called in a loop appears once per call; one layer.
        if (seen.has(step.layer) && decoder.some((d) => d.step.layer === step.layer)) break;
        seen.add(step.layer);
        const layers = expandRecurrent(step, pendingDropout);
        pendingDropout = undefined;
        if (phase === 'latent' && !bridge && !step.initialState) {
          // No recognisable bridge between the latent and this layer: how the latent reaches it is unknown.
          b.markUnknown('model.bridge', step.node);
        }
        if (phase === 'encoder') {
          encoder.push(...layers);
          if (!step.sequences) phase = 'latent';
        } else {
          phase = 'decoder';
          decoder.push(...layers);
          outputDense.length = 0;
          outputActivation = undefined;
        }
        break;
      }
      case 'reduceTime':
        if (phase === 'encoder' && encoder.length > 0) phase = 'latent';
        break;
      case 'dense':
        if (phase === 'latent') latentDense.push(step);
        else if (phase === 'decoder' || (phase === 'encoder' && encoder.length > 0)) outputDense.push(step);
        break;
      case 'activation':
        if (phase === 'latent') {
          latentActivation = step;
          if (latentDense.length > 0) activationAfterDense.set(latentDense.length - 1, step);
        } else outputActivation = step;
        break;
      case 'dropout':
        if (phase === 'latent' && !bridge) latentDropout = step;
        else pendingDropout = step;
        break;
      case 'bridge':
        if (phase === 'latent' && !bridge) bridge = step;
        break;
    }
  }
  if (encoder.length === 0) return;
  const cellRefs = new Set([...encoder, ...decoder].map((l) => l.layer.ref));
  const cell = [...cellRefs].every((r) => r.endsWith('GRU') || r.endsWith('GRUCell'))
    ? 'gru'
    : [...cellRefs].every((r) => r.endsWith('LSTM') || r.endsWith('LSTMCell'))
      ? 'lstm'
      : undefined;
  if (cell) b.set('model.cell', cell, encoder[0].step.layer.node);
  else {
    // E.g. a GRU decoder started from an LSTM encoder's (h, c): TSAE builds every layer with one cell.
    const kinds = [...new Set([...cellRefs].map((r) => r.slice(r.lastIndexOf('.') + 1)))];
    const odd = [...encoder, ...decoder].find((l) => l.layer.ref !== encoder[0].layer.ref);
    b.markUnknown(
      'model.cell',
      (odd ?? encoder[0]).step.layer.node,
      `the recurrent layers are of different kinds (${kinds.join(', ')}); TSAE builds every layer with one cell, lstm or gru`,
    );
  }

  const noBottleneck = phase === 'encoder';
  // The latent: the last dense before the bridge, else the last encoder layer's state itself.
  let latentLayer: RecurrentLayer | undefined;
  if (!noBottleneck && latentDense.length === 0) {
    latentLayer = encoder[encoder.length - 1];
    if (encoder.length > 1) encoder.pop();
  }
  const encoderLayers = noBottleneck ? encoder.slice(0, -1) : encoder;
  let decoderLayers = decoder;
  if (noBottleneck) decoderLayers = [];
  encoderLayers.forEach((layer, i) => describeRecurrent(b, `model.encoder.${i}`, layer, framework));

  if (!noBottleneck) {
    if (latentLayer) {
      const units = recurrentUnits(latentLayer);
      b.anchor('model.latent', latentLayer.step.layer.node);
      b.setFrom('model.latent.size', units, asPositiveInt);
      if (framework === 'keras')
        b.setFrom('model.latent.activation', argOf(latentLayer.layer, 'activation', 1), asKerasActivation, { value: 'tanh', anchor: undefined }, 'keras-activation');
      else b.set('model.latent.activation', 'tanh');
    } else {
      // A decoder fed the latent as its initial state: TSAE makes that state from the latent z
      // itself (h0 = tanh(W_h z), c0 = W_c z), so in code that maps a code vector to h0 and c0
      // with Dense/Linear layers, the last dense is that bridge and the latent is the one before.
      const stateFed = (bridge?.type ?? (decoder[0]?.step.initialState ? 'initialState' : undefined)) === 'initialState' && latentDense.length > 1;
      const index = latentDense.length - (stateFed ? 2 : 1);
      const dense = latentDense[index];
      const activation = stateFed ? activationAfterDense.get(index) : latentActivation;
      b.anchor('model.latent', dense.layer.node);
      b.setFrom('model.latent.size', denseUnits(dense.layer), asPositiveInt);
      if (activation) setActivationStep(b, 'model.latent.activation', activation);
      else if (dense.layer.ref === 'nn.Linear') b.set('model.latent.activation', 'linear');
      else b.setFrom('model.latent.activation', argOf(dense.layer, 'activation', 1), asKerasActivation, { value: 'linear' }, 'keras-activation');
    }
    if (latentDropout) b.setFrom('model.latent.dropout', { value: latentDropout.rate, node: latentDropout.argNode }, asNumber);
    else b.set('model.latent.dropout', 0);
    const stateFed = decoder[0]?.step.initialState;
    // Decoder layers started from a state: a multi-layer nn.LSTM/GRU fed (h0, c0) starts every one
    // of its layers from one (h0 is [num_layers, batch, hidden]), and a later layer may be handed
    // one too. TSAE's initialState starts only the first from the latent, the others from zeros.
    const fed = decoder.filter((d) => d.step.initialState !== undefined);
    if (stateFed && fed.length > 1) {
      const state = fed.find((d) => d.step !== decoder[0].step)?.step.initialState ?? stateFed;
      b.markUnknown(
        'model.bridge',
        state,
        `${fed.length === decoder.length ? `each of the ${fed.length}` : `${fed.length} of the ${decoder.length}`} stacked decoder layers starts from a state of its own here; TSAE's initialState starts only the first from the latent, the others from zeros`,
      );
    } else if (bridge) b.set('model.bridge', bridge.type, bridge.node);
    else if (stateFed) b.set('model.bridge', 'initialState', stateFed);
    else if (!b.unknown.has('model.bridge')) b.markUnknown('model.bridge');
  }

  // The output layer: a dense after the decoder; without one, the last recurrent layer emits the output.
  const last = outputDense[outputDense.length - 1];
  if (last) {
    b.anchor('model.outputActivation', last.layer.node);
    if (outputActivation) setActivationStep(b, 'model.outputActivation', outputActivation);
    else if (last.layer.ref === 'nn.Linear') b.set('model.outputActivation', 'linear', last.layer.node);
    else b.setFrom('model.outputActivation', argOf(last.layer, 'activation', 1), asKerasActivation, { value: 'linear', anchor: last.layer.node }, 'keras-activation');
  } else {
    const emitting = noBottleneck ? encoder[encoder.length - 1] : decoderLayers[decoderLayers.length - 1];
    if (emitting && framework === 'keras') {
      b.setFrom('model.outputActivation', argOf(emitting.layer, 'activation', 1), asKerasActivation, { value: 'tanh', anchor: emitting.step.layer.node }, 'keras-activation');
    } else if (emitting) b.set('model.outputActivation', 'tanh', emitting.step.layer.node);
  }
  decoderLayers.forEach((layer, i) => describeRecurrent(b, `model.decoder.${i}`, layer, framework));
  if (decoderLayers.length === 0) {
    b.markUnknown('model.decoder');
    if (b.has('model')) (b.value.model as Record<string, unknown>).decoder = [];
  }
  if (noBottleneck) {
    b.markUnknown('model.latent');
    b.markUnknown('model.bridge');
  }
}

function expandRecurrent(step: Extract<Step, { kind: 'rnn' }>, dropoutBefore: Extract<Step, { kind: 'dropout' }> | undefined): RecurrentLayer[] {
  let layer = step.layer;
  let bidirectional: SyntaxNode | undefined;
  if (layer.ref === 'keras.Bidirectional') {
    const inner = argOf(layer, 'layer', 0)?.value;
    bidirectional = layer.node;
    if (inner?.kind === 'lib') layer = inner;
  }
  const count = RECURRENT_TORCH.has(layer.ref) ? (numberOf(argOf(layer, 'num_layers', 2)?.value) ?? (argOf(layer, 'num_layers', 2) ? NaN : 1)) : 1;
  const n = Number.isInteger(count) && count >= 1 && count <= 16 ? count : 1;
  return Array.from({ length: n }, (_, i) => ({ step, layer, bidirectional, stackIndex: i, dropoutBefore: i === 0 ? dropoutBefore : undefined }));
}

function recurrentUnits(layer: RecurrentLayer): Arg | undefined {
  const ref = layer.layer.ref;
  if (RECURRENT_KERAS.has(ref)) return argOf(layer.layer, 'units', 0);
  return argOf(layer.layer, 'hidden_size', 1);
}

function denseUnits(layer: LibObject): Arg | undefined {
  return layer.ref === 'nn.Linear' ? argOf(layer, 'out_features', 1) : argOf(layer, 'units', 0);
}

function setActivationStep(b: Builder, path: string, step: Extract<Step, { kind: 'activation' }>): void {
  const name = step.name === undefined ? undefined : (kerasActivation(step.name) ?? (isTsaeActivation(step.name) ? step.name : undefined));
  if (name === undefined) b.markUnknown(path, step.node);
  else b.set(path, name, step.argNode ?? step.node);
}

function isTsaeActivation(name: string): boolean {
  return ['linear', 'tanh', 'sigmoid', 'hardSigmoid', 'relu', 'relu6', 'elu', 'selu', 'softplus', 'softsign'].includes(name);
}

function describeRecurrent(b: Builder, at: string, layer: RecurrentLayer, framework: Framework): void {
  const obj = layer.layer;
  b.anchor(at, layer.step.layer.node);
  b.setFrom(`${at}.units`, recurrentUnits(layer), asPositiveInt);
  if (framework === 'keras') {
    b.setFrom(`${at}.activation`, argOf(obj, 'activation', 1), asKerasActivation, { value: 'tanh' }, 'keras-activation');
    b.setFrom(`${at}.recurrentActivation`, argOf(obj, 'recurrent_activation', 2), asKerasActivation, { value: 'sigmoid' }, 'keras-activation');
    const dropout = argOf(obj, 'dropout');
    if (dropout) b.setFrom(`${at}.dropout`, dropout, asNumber);
    else if (layer.dropoutBefore) b.setFrom(`${at}.dropout`, { value: layer.dropoutBefore.rate, node: layer.dropoutBefore.argNode }, asNumber);
    else b.set(`${at}.dropout`, 0);
    b.setFrom(`${at}.recurrentDropout`, argOf(obj, 'recurrent_dropout'), asNumber, { value: 0 });
  } else {
    // PyTorch cells are tanh/sigmoid by construction; nn.LSTM's dropout acts between stacked layers.
    b.set(`${at}.activation`, 'tanh');
    b.set(`${at}.recurrentActivation`, 'sigmoid');
    const dropout = RECURRENT_TORCH.has(obj.ref) ? argOf(obj, 'dropout', 5) : undefined;
    if (dropout && layer.stackIndex > 0) b.setFrom(`${at}.dropout`, dropout, asNumber);
    else if (layer.dropoutBefore) b.setFrom(`${at}.dropout`, { value: layer.dropoutBefore.rate, node: layer.dropoutBefore.argNode }, asNumber);
    else b.set(`${at}.dropout`, 0);
    b.set(`${at}.recurrentDropout`, 0);
  }
  const bidirectionalArg = RECURRENT_TORCH.has(obj.ref) ? argOf(obj, 'bidirectional', 6) : undefined;
  const bidirectional = framework === 'keras' ? layer.bidirectional !== undefined : bidirectionalArg ? boolOf(bidirectionalArg.value) : false;
  if (bidirectional === undefined) b.markUnknown(`${at}.bidirectional`, layer.step.node);
  else b.set(`${at}.bidirectional`, bidirectional, layer.bidirectional);
}

// ------------------------------------------------------------------ input shape and windows

function describeInput(b: Builder, program: Program, output: TensorValue | undefined, framework: Framework | undefined): void {
  let steps: Arg | undefined;
  let features: Arg | undefined;
  const chain = output?.chain ?? [];
  const firstRnn = chain.find((s): s is Extract<Step, { kind: 'rnn' }> => s.kind === 'rnn');
  // Keras: Input(shape=(T, F)), input_shape=(T, F) or batch_input_shape=(B, T, F) on the first layer.
  const shapes: Arg[] = [];
  if (output?.input) {
    const shape = argOf(output.input, 'shape', 0);
    if (shape) shapes.push(shape);
    const batchShape = argOf(output.input, 'batch_shape');
    if (batchShape) shapes.push(dropFirst(batchShape));
  }
  for (const step of chain) {
    if (step.kind !== 'rnn' && step.kind !== 'dense') continue;
    const layer = step.layer.ref === 'keras.Bidirectional' ? ((argOf(step.layer, 'layer', 0)?.value as LibObject | undefined) ?? step.layer) : step.layer;
    const shape = step.layer.kwargs.get('input_shape') ?? layer.kwargs?.get('input_shape');
    if (shape) shapes.push(shape);
    const batchShape = step.layer.kwargs.get('batch_input_shape') ?? layer.kwargs?.get('batch_input_shape');
    if (batchShape) shapes.push(dropFirst(batchShape));
    break;
  }
  for (const shape of shapes) {
    if (shape.value.kind !== 'seq' || shape.value.items.length !== 2) continue;
    const [t, f] = shape.value.items;
    steps ??= { value: t, node: t.node ?? shape.node };
    features ??= { value: f, node: f.node ?? shape.node };
  }
  if (framework === 'pytorch' && firstRnn) features ??= argOf(firstRnn.layer, 'input_size', 0);

  const slice = program.windowSlices[0];
  if (!steps || numberOf(steps.value) === undefined) {
    const repeat = chain.find((s): s is Extract<Step, { kind: 'bridge' }> => s.kind === 'bridge' && s.type === 'repeat' && numberOf(s.steps) !== undefined);
    if (repeat?.steps) steps = { value: repeat.steps, node: repeat.steps.node ?? repeat.node };
    else if (slice) steps = { value: slice.length, node: slice.length.node ?? slice.node };
    else steps = namedEvidence(program, WINDOW_NAMES);
  }
  if (!features || numberOf(features.value) === undefined) features = namedEvidence(program, FEATURE_NAMES) ?? features;

  if (steps && asPositiveInt(steps.value) !== undefined) {
    b.setFrom('windowing.length', steps, asPositiveInt);
    b.anchor('windowing', steps.node);
  } else b.markUnknown('windowing.length', steps?.node);
  if (slice) {
    b.setFrom('windowing.stride', { value: slice.stride, node: slice.stride.node ?? slice.node }, asPositiveInt);
    b.set('data.layout', 'series', slice.node);
  }
  const count = features ? asPositiveInt(features.value) : undefined;
  if (count !== undefined && count <= 10000 && features) {
    b.set(
      'data.columns',
      Array.from({ length: count }, (_, i) => `feature_${i + 1}`),
      features.node,
    );
    b.set('data.layout', 'series', features.node);
    b.anchor('data', features.node);
  } else b.markUnknown('data.columns', features?.node);
}

function dropFirst(arg: Arg): Arg {
  const v = arg.value;
  return v.kind === 'seq' && v.items.length === 3 ? { value: { kind: 'seq', items: v.items.slice(1), node: v.node }, node: arg.node } : arg;
}

/** The one value bound to names that conventionally hold this size; ambiguous or absent is unknown. */
function namedEvidence(program: Program, pattern: RegExp): Arg | undefined {
  const matches = program.namedNumbers.filter((n) => pattern.test(n.name) && asPositiveInt(n.value) !== undefined);
  const values = new Set(matches.map((m) => numberOf(m.value)));
  if (matches.length === 0 || values.size !== 1) return undefined;
  const first = matches[0];
  return { value: first.value, node: first.value.node ?? first.node };
}

// ------------------------------------------------------------------ training

function describeTraining(b: Builder, program: Program, model: ModelValue | undefined, framework: Framework | undefined): void {
  const stateful = findStateful(program, model);
  if (framework === 'keras') {
    if (stateful) b.set('model.stateful', true, stateful.node, stateful.value.node && editableHere(stateful.value.node) ? { node: stateful.value.node } : undefined);
    else b.set('model.stateful', false);
    const compile = model?.calls.get('compile')?.[0];
    if (compile) {
      b.anchor('training', compile.node);
      describeKerasOptimizer(b, compile);
      const loss = argOf(compile, 'loss', 1);
      const lossName = loss ? (loss.value.kind === 'string' ? KERAS_LOSSES[loss.value.value] : loss.value.kind === 'lib' ? KERAS_LOSSES[loss.value.ref] : undefined) : undefined;
      if (lossName) b.set('training.loss', lossName, loss!.node);
      else b.markUnknown('training.loss', loss?.node);
      if (lossName) b.set('training.lossReduction', 'mean');
    }
    const fit = model?.calls.get('fit')?.[0];
    if (fit) {
      b.anchor('training', fit.node);
      // Defaults of fit() are reported on the fit call.
      b.setFrom('training.batchSize', argOf(fit, 'batch_size', 2), asPositiveInt, { value: 32, anchor: fit.node });
      b.setFrom('training.epochs', argOf(fit, 'epochs', 3), asPositiveInt, { value: 1, anchor: fit.node });
      b.setFrom('training.shuffle', argOf(fit, 'shuffle'), asBool, { value: true, anchor: fit.node });
      const x = argOf(fit, 'x', 0);
      const y = argOf(fit, 'y', 1);
      if (x && y) {
        b.set('task.type', x.node.text === y.node.text ? 'reconstruct' : 'seq2seq', y.node);
        if (x.node.text === y.node.text) b.set('training.targetReduction', 'none', y.node);
      } else b.markUnknown('task.type', fit.node);
    }
    return;
  }
  if (framework === 'pytorch') {
    b.set('model.stateful', false);
    const optimizer = program.libObjects.find((o) => o.ref.startsWith('optim.'));
    if (optimizer) {
      b.anchor('training', optimizer.node);
      const known = TORCH_OPTIMIZERS[optimizer.ref];
      if (known) {
        b.set('training.optimizer', known.name, optimizer.node.childForFieldName('function') ?? optimizer.node);
        b.setFrom('training.learningRate', argOf(optimizer, 'lr', 1), asNumber, { value: known.lr });
      } else b.markUnknown('training.optimizer', optimizer.node);
    }
    describeTorchLoss(b, program);
    const loader = program.libObjects.find((o) => o.ref === 'data.DataLoader');
    if (loader) {
      b.setFrom('training.batchSize', argOf(loader, 'batch_size', 1), asPositiveInt, { value: 1 });
      b.setFrom('training.shuffle', argOf(loader, 'shuffle', 2), asBool, { value: false });
    }
  }
}

function findStateful(program: Program, model: ModelValue | undefined): Arg | undefined {
  const chain = model ? (longestTensor(program.forwards.get(model))?.chain ?? []) : [];
  for (const step of chain) {
    if (step.kind !== 'rnn') continue;
    const inner = step.layer.ref === 'keras.Bidirectional' ? argOf(step.layer, 'layer', 0)?.value : step.layer;
    const arg = inner?.kind === 'lib' ? argOf(inner, 'stateful') : undefined;
    if (arg && boolOf(arg.value) === true) return arg;
  }
  return undefined;
}

function describeKerasOptimizer(b: Builder, compile: LibObject): void {
  const arg = argOf(compile, 'optimizer', 0);
  if (!arg) {
    // Keras compiles with rmsprop when no optimizer is given.
    b.set('training.optimizer', 'rmsprop');
    b.set('training.learningRate', 0.001);
    return;
  }
  const value = arg.value;
  if (value.kind === 'string') {
    const known = KERAS_OPTIMIZERS[value.value.toLowerCase()];
    if (!known) return b.markUnknown('training.optimizer', arg.node);
    b.set('training.optimizer', known.name, arg.node);
    b.set('training.learningRate', known.lr, arg.node);
    return;
  }
  if (value.kind === 'lib' && value.ref.startsWith('keras.')) {
    const known = KERAS_OPTIMIZERS[value.ref.slice('keras.'.length).toLowerCase()];
    if (!known) return b.markUnknown('training.optimizer', arg.node);
    b.set('training.optimizer', known.name, value.node);
    const lr = value.kwargs.get('learning_rate') ?? value.kwargs.get('lr') ?? value.args[0];
    b.setFrom('training.learningRate', lr, asNumber, { value: known.lr, anchor: value.node });
    return;
  }
  b.markUnknown('training.optimizer', arg.node);
}

function describeTorchLoss(b: Builder, program: Program): void {
  const calls = program.lossCalls;
  if (calls.length === 0) return;
  const first = calls[0];
  const name = first.name === 'nn.MSELoss' || first.name === 'F.mse_loss' ? 'mse' : first.name === 'nn.L1Loss' || first.name === 'F.l1_loss' ? 'mae' : undefined;
  if (name) b.set('training.loss', name, first.criterion?.node ?? first.node);
  else b.markUnknown('training.loss', first.node);
  const reductionArg = first.criterion ? argOf(first.criterion, 'reduction', 2) : undefined;
  const reduction = reductionArg ? stringOf(reductionArg.value) : 'mean';
  if (reduction === 'mean' || reduction === 'sum') b.set('training.lossReduction', reduction, reductionArg?.node);
  else b.markUnknown('training.lossReduction', reductionArg?.node);

  const reduced = calls.find((c) => c.target.kind === 'tensor' && c.target.reducedOverTime);
  if (reduced && reduced.target.kind === 'tensor' && reduced.target.reducedOverTime) {
    b.set('training.targetReduction', 'timeMean', reduced.target.reducedOverTime);
  } else if (calls.every((c) => isPlainTarget(c.targetNode))) {
    b.set('training.targetReduction', 'none', first.targetNode);
  } else b.markUnknown('training.targetReduction', first.targetNode);

  const reversed = calls.find((c) => c.target.kind === 'tensor' && c.target.reversedBy);
  if (reversed && reversed.target.kind === 'tensor' && reversed.target.reversedBy) {
    b.set('model.reverseTarget', true, reversed.target.reversedBy);
    // Whether reconstructions are flipped back before they are compared or scored is not visible here.
    b.markUnknown('model.unreverseOutput', reversed.target.reversedBy);
  } else if (calls.every((c) => isPlainTarget(c.targetNode))) {
    b.set('model.reverseTarget', false);
    b.set('model.unreverseOutput', true);
  }
}

/** A target written as a name, attribute or a cast of one (`x`, `batch.x`, `x.float()`), which cannot hide a reduction. */
function isPlainTarget(node: SyntaxNode): boolean {
  if (node.type === 'identifier' || node.type === 'attribute') return true;
  if (node.type === 'keyword_argument') return isPlainTarget(node.childForFieldName('value')!);
  if (node.type === 'call') {
    const fn = node.childForFieldName('function');
    const args = node.childForFieldName('arguments');
    return (
      fn?.type === 'attribute' &&
      ['float', 'double', 'detach', 'to', 'cuda', 'cpu', 'clone'].includes(fn.childForFieldName('attribute')?.text ?? '') &&
      isPlainTarget(fn.childForFieldName('object')!) &&
      (args ? namedChildren(args).length <= 1 : true)
    );
  }
  if (node.type === 'subscript') {
    // `data[indices]`: a row selection keeps every time step.
    const subs = node.childrenForFieldName('subscript').filter((n): n is SyntaxNode => n !== null);
    return subs.length === 1 && subs[0].type === 'identifier' && isPlainTarget(node.childForFieldName('value')!);
  }
  return false;
}

// ------------------------------------------------------------------ preprocessing

function describePreprocessing(b: Builder, program: Program): void {
  const scalers = program.libObjects.filter((o) => o.ref === 'sklearn.MinMaxScaler' || o.ref === 'sklearn.StandardScaler');
  if (scalers.length !== 1) return;
  const scaler = scalers[0];
  if (scaler.ref === 'sklearn.StandardScaler') {
    b.set('preprocessing.scaling', 'standard', scaler.node);
    return;
  }
  b.set('preprocessing.scaling', 'minmax', scaler.node);
  const range = argOf(scaler, 'feature_range', 0);
  if (!range) return b.set('preprocessing.range', [0, 1], scaler.node);
  const items = range.value.kind === 'seq' ? range.value.items.map(numberOf) : [];
  if (items.length === 2 && items.every((n) => n !== undefined)) b.set('preprocessing.range', items, range.node);
  else b.markUnknown('preprocessing.range', range.node);
}
