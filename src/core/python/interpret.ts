// A small abstract interpreter over the tree-sitter syntax tree. It executes module code, the
// functions and classes it calls (binding parameters from the visible call, else their defaults),
// and then every function and model class nobody called, with unknown arguments. It folds
// constants, unrolls loops over known sequences, follows tensors through forward/call methods as
// a chain of layer steps, and records what the model description needs: library objects, calls
// on models, loss calls and window-cutting slices. Budgets keep it fast on any input.

import { namedChildren, type SyntaxNode } from './parser';
import { canonicalName, CELL_TORCH, CONVENTIONAL_ROOTS, DENSE, DROPOUT, KERAS_BARE_NAMES, RECURRENT_KERAS, RECURRENT_TORCH, TORCH_ACTIVATIONS } from './names';
import { argOf, boolOf, numberOf, stringOf, UNKNOWN } from './values';
import type { Arg, Axis, ClassValue, InstanceValue, LibObject, PyValue, Scope, Step, TensorValue } from './values';

const MAX_CALL_DEPTH = 8;
const MAX_CALLS = 3000;
const MAX_UNROLL = 256;

export interface LossCall {
  criterion: LibObject | undefined;
  /** Canonical loss name (`nn.MSELoss`, `F.mse_loss` ...). */
  name: string;
  prediction: PyValue;
  target: PyValue;
  targetNode: SyntaxNode;
  node: SyntaxNode;
}

export interface WindowSlice {
  length: PyValue;
  stride: PyValue;
  node: SyntaxNode;
}

/** A name bound to a number, by assignment or by a call's argument: evidence for sizes the code never declares. */
export interface NamedNumber {
  name: string;
  value: PyValue;
  node: SyntaxNode;
}

export interface Program {
  root: SyntaxNode;
  libObjects: LibObject[];
  instances: InstanceValue[];
  lossCalls: LossCall[];
  windowSlices: WindowSlice[];
  namedNumbers: NamedNumber[];
  /** The value a model's forward/call returned, per instance. */
  forwards: Map<InstanceValue | LibObject, PyValue>;
  /** True when some import is of keras/tensorflow (decides bare names like `LSTM`). */
  usesKeras: boolean;
  usesTorch: boolean;
}

interface Frame {
  returned?: PyValue;
  /** > 0 inside a branch or loop whose execution cannot be known. */
  uncertain: number;
}

const BUILTINS = new Set([
  'range',
  'len',
  'zip',
  'enumerate',
  'int',
  'float',
  'min',
  'max',
  'abs',
  'list',
  'tuple',
  'print',
  'isinstance',
  'super',
  'round',
  'sum',
  'str',
  'bool',
  'dict',
  'type',
]);

export function interpret(root: SyntaxNode): Program {
  return new Interpreter(root).run();
}

class Interpreter {
  private readonly program: Program;
  private readonly globals: Scope = { vars: new Map() };
  private calls = 0;
  private depth = 0;
  private readonly executedDefs = new Set<number>();
  private readonly classes: ClassValue[] = [];

  constructor(root: SyntaxNode) {
    this.program = { root, libObjects: [], instances: [], lossCalls: [], windowSlices: [], namedNumbers: [], forwards: new Map(), usesKeras: false, usesTorch: false };
    const text = root.text;
    this.program.usesKeras = /\b(import\s+(tensorflow|keras)|from\s+(tensorflow|keras))\b/.test(text) || /\btf\.keras\b/.test(text);
    this.program.usesTorch = /\b(import\s+torch|from\s+torch)\b/.test(text);
  }

  run(): Program {
    const frame: Frame = { uncertain: 0 };
    this.execBlock(namedChildren(this.program.root), this.globals, frame);
    // Model classes nobody instantiated, and functions nobody called: analyse them with unknown arguments.
    for (const cls of this.classes) {
      if (!this.program.instances.some((i) => i.cls === cls) && this.isModelClass(cls)) this.instantiate(cls, [], new Map(), cls.def);
    }
    for (const inst of [...this.program.instances]) this.runForward(inst);
    for (const obj of [...this.program.libObjects]) {
      if (obj.ref === 'keras.Sequential' || obj.ref === 'keras.Model' || obj.ref === 'nn.Sequential') {
        this.program.forwards.set(obj, this.callLibObject(obj, [{ value: newTensor(obj.node), node: obj.node }], new Map(), obj.node));
      }
    }
    this.runUncalledFunctions(this.program.root, this.globals);
    return this.program;
  }

  // ---------------------------------------------------------------- statements

  private execBlock(statements: SyntaxNode[], scope: Scope, frame: Frame): void {
    for (const statement of statements) {
      if (frame.returned && frame.uncertain === 0) return;
      this.exec(statement, scope, frame);
    }
  }

  private exec(node: SyntaxNode, scope: Scope, frame: Frame): void {
    switch (node.type) {
      case 'expression_statement':
        for (const child of namedChildren(node)) this.execExpressionStatement(child, scope, frame);
        return;
      case 'import_statement':
      case 'import_from_statement':
        this.execImport(node, scope);
        return;
      case 'function_definition':
        scope.vars.set(node.childForFieldName('name')?.text ?? '', { kind: 'func', def: node, scope });
        return;
      case 'decorated_definition': {
        const definition = node.childForFieldName('definition');
        if (definition) this.exec(definition, scope, frame);
        return;
      }
      case 'class_definition':
        this.defineClass(node, scope);
        return;
      case 'return_statement': {
        const expr = namedChildren(node)[0];
        const value = expr ? this.eval(expr, scope, frame) : UNKNOWN;
        if (!frame.returned) frame.returned = value;
        return;
      }
      case 'if_statement':
        this.execIf(node, scope, frame);
        return;
      case 'for_statement':
        this.execFor(node, scope, frame);
        return;
      case 'while_statement': {
        const body = node.childForFieldName('body');
        frame.uncertain++;
        if (body) this.execBlock(namedChildren(body), scope, frame);
        frame.uncertain--;
        return;
      }
      case 'with_statement':
      case 'try_statement':
      case 'block':
      case 'else_clause':
      case 'finally_clause':
      case 'except_clause': {
        for (const child of namedChildren(node)) {
          if (child.type === 'block') this.execBlock(namedChildren(child), scope, frame);
          else if (child.type === 'with_clause') for (const item of namedChildren(child)) this.eval(namedChildren(item)[0] ?? item, scope, frame);
          else if (child.type.endsWith('_clause')) this.exec(child, scope, frame);
        }
        return;
      }
      default:
        return;
    }
  }

  private execExpressionStatement(node: SyntaxNode, scope: Scope, frame: Frame): void {
    if (node.type === 'assignment') {
      const right = node.childForFieldName('right');
      const left = node.childForFieldName('left');
      if (!right || !left) return;
      const value = this.eval(right, scope, frame);
      this.assign(left, value, scope, frame);
      return;
    }
    if (node.type === 'augmented_assignment') {
      const left = node.childForFieldName('left');
      const right = node.childForFieldName('right');
      if (right) this.eval(right, scope, frame);
      if (left?.type === 'identifier') this.setVar(scope, left.text, { kind: 'unknown', node });
      return;
    }
    this.eval(node, scope, frame);
  }

  private assign(target: SyntaxNode, value: PyValue, scope: Scope, frame: Frame): void {
    switch (target.type) {
      case 'identifier':
        this.setVar(scope, target.text, frame.uncertain > 0 && !isStructural(value) ? this.mergeUncertain(scope, target.text, value) : value);
        if (value.kind === 'number') this.program.namedNumbers.push({ name: target.text, value, node: target });
        return;
      case 'pattern_list':
      case 'tuple_pattern':
      case 'list_pattern':
      case 'tuple':
      case 'list': {
        const targets = namedChildren(target);
        targets.forEach((t, i) => this.assign(t, value.kind === 'seq' && value.items.length === targets.length ? value.items[i] : { kind: 'unknown', node: t }, scope, frame));
        return;
      }
      case 'attribute': {
        const object = this.eval(target.childForFieldName('object')!, scope, frame);
        const attr = target.childForFieldName('attribute')?.text ?? '';
        if (object.kind === 'instance') {
          object.attrs.set(attr, value);
          if (value.kind === 'number') this.program.namedNumbers.push({ name: attr, value, node: target });
        }
        return;
      }
      default:
        return;
    }
  }

  /** A scalar assigned in a branch that may not run: the variable is known only if both paths agree. */
  private mergeUncertain(scope: Scope, name: string, value: PyValue): PyValue {
    const before = this.lookup(scope, name);
    if (before && isKnownEqual(before, value)) return before;
    return { kind: 'unknown', node: value.kind === 'unknown' ? value.node : (value as { node?: SyntaxNode }).node };
  }

  private setVar(scope: Scope, name: string, value: PyValue): void {
    scope.vars.set(name, value);
  }

  private lookup(scope: Scope, name: string): PyValue | undefined {
    for (let s: Scope | undefined = scope; s; s = s.parent) {
      const value = s.vars.get(name);
      if (value) return value;
    }
    return undefined;
  }

  private execImport(node: SyntaxNode, scope: Scope): void {
    if (node.type === 'import_statement') {
      for (const item of namedChildren(node)) {
        if (item.type === 'dotted_name') {
          // `import torch.nn` binds `torch`.
          const first = item.text.split('.')[0];
          scope.vars.set(first, { kind: 'ref', name: first, node: item });
        } else if (item.type === 'aliased_import') {
          const name = item.childForFieldName('name')?.text ?? '';
          const alias = item.childForFieldName('alias')?.text ?? '';
          scope.vars.set(alias, { kind: 'ref', name, node: item });
        }
      }
      return;
    }
    const module = node.childForFieldName('module_name')?.text ?? '';
    for (const item of node.childrenForFieldName('name').filter((n): n is SyntaxNode => n !== null)) {
      if (item.type === 'dotted_name') scope.vars.set(item.text, { kind: 'ref', name: `${module}.${item.text}`, node: item });
      else if (item.type === 'aliased_import') {
        const name = item.childForFieldName('name')?.text ?? '';
        const alias = item.childForFieldName('alias')?.text ?? '';
        scope.vars.set(alias, { kind: 'ref', name: `${module}.${name}`, node: item });
      }
    }
  }

  private defineClass(node: SyntaxNode, scope: Scope): void {
    const name = node.childForFieldName('name')?.text ?? '';
    const superclasses = node.childForFieldName('superclasses');
    const bases = superclasses ? namedChildren(superclasses).map((b) => this.eval(b, scope, { uncertain: 0 })) : [];
    const methods = new Map<string, SyntaxNode>();
    const body = node.childForFieldName('body');
    for (const statement of body ? namedChildren(body) : []) {
      const def = statement.type === 'decorated_definition' ? statement.childForFieldName('definition') : statement;
      if (def?.type === 'function_definition') methods.set(def.childForFieldName('name')?.text ?? '', def);
    }
    const cls: ClassValue = { kind: 'class', name, def: node, scope, bases, methods };
    this.classes.push(cls);
    scope.vars.set(name, cls);
  }

  private execIf(node: SyntaxNode, scope: Scope, frame: Frame): void {
    const condition = node.childForFieldName('condition');
    const truth = condition ? boolOf(this.eval(condition, scope, frame)) : undefined;
    const consequence = node.childForFieldName('consequence');
    const alternatives = node.childrenForFieldName('alternative').filter((n): n is SyntaxNode => n !== null);
    if (truth === true) {
      if (consequence) this.execBlock(namedChildren(consequence), scope, frame);
      return;
    }
    if (truth === false) {
      const [first, ...rest] = alternatives;
      if (!first) return;
      if (first.type === 'elif_clause') {
        // Re-enter as an if over the remaining clauses.
        const cond = first.childForFieldName('condition');
        const t = cond ? boolOf(this.eval(cond, scope, frame)) : undefined;
        const body = first.childForFieldName('consequence');
        if (t === true && body) return this.execBlock(namedChildren(body), scope, frame);
        if (t === undefined) {
          frame.uncertain++;
          if (body) this.execBlock(namedChildren(body), scope, frame);
          for (const alt of rest) this.exec(alt, scope, frame);
          frame.uncertain--;
          return;
        }
        for (const alt of rest.slice(0, 1)) this.exec(alt, scope, frame);
        return;
      }
      this.exec(first, scope, frame);
      return;
    }
    frame.uncertain++;
    if (consequence) this.execBlock(namedChildren(consequence), scope, frame);
    for (const alt of alternatives) {
      const body = alt.childForFieldName('body') ?? alt.childForFieldName('consequence');
      if (body) this.execBlock(namedChildren(body), scope, frame);
      else this.exec(alt, scope, frame);
    }
    frame.uncertain--;
  }

  private execFor(node: SyntaxNode, scope: Scope, frame: Frame): void {
    const left = node.childForFieldName('left');
    const right = node.childForFieldName('right');
    const body = node.childForFieldName('body');
    if (!left || !right || !body) return;
    const iterable = this.eval(right, scope, frame);
    const items = this.iterate(iterable);
    if (items) {
      for (const item of items) {
        this.assign(left, item, scope, frame);
        this.execBlock(namedChildren(body), scope, frame);
        if (frame.returned && frame.uncertain === 0) return;
      }
      return;
    }
    frame.uncertain++;
    this.assign(left, this.loopVariable(iterable, left), scope, frame);
    this.execBlock(namedChildren(body), scope, frame);
    frame.uncertain--;
  }

  /** Items of a sequence whose length is known and small enough to unroll. */
  private iterate(value: PyValue): PyValue[] | undefined {
    if (value.kind === 'seq') return value.items.length <= MAX_UNROLL ? value.items : undefined;
    if (value.kind === 'range') {
      const count = Math.ceil((value.stop - value.start) / value.step);
      if (!Number.isFinite(count) || count > MAX_UNROLL) return undefined;
      const items: PyValue[] = [];
      for (let i = 0; i < count; i++) items.push({ kind: 'number', value: value.start + i * value.step, node: value.node });
      return items;
    }
    return undefined;
  }

  /** The loop variable of a loop that is not unrolled: a range index keeps its step, for window slices. */
  private loopVariable(iterable: PyValue, left: SyntaxNode): PyValue {
    if (iterable.kind === 'range' || (iterable.kind === 'unknown' && rangeStep(iterable))) {
      return { kind: 'unknown', node: left, loopStep: iterable.kind === 'range' ? { kind: 'number', value: iterable.step, node: iterable.node } : rangeStep(iterable) };
    }
    return { kind: 'unknown', node: left };
  }

  // ---------------------------------------------------------------- expressions

  eval(node: SyntaxNode, scope: Scope, frame: Frame): PyValue {
    switch (node.type) {
      case 'integer':
      case 'float': {
        const value = Number(node.text.replace(/_/g, '').replace(/[jJ]$/, ''));
        return Number.isFinite(value) ? { kind: 'number', value, node } : { kind: 'unknown', node };
      }
      case 'true':
        return { kind: 'bool', value: true, node };
      case 'false':
        return { kind: 'bool', value: false, node };
      case 'none':
        return { kind: 'none', node };
      case 'string':
        return stringLiteral(node);
      case 'concatenated_string':
        return { kind: 'unknown', node };
      case 'parenthesized_expression': {
        const inner = namedChildren(node)[0];
        return inner ? this.eval(inner, scope, frame) : { kind: 'unknown', node };
      }
      case 'tuple':
      case 'list':
      case 'expression_list':
        return {
          kind: 'seq',
          items: namedChildren(node).map((child) => (child.type === 'list_splat' ? { kind: 'unknown' as const, node: child } : this.eval(child, scope, frame))),
          node,
        };
      case 'dictionary': {
        const entries = new Map<string, PyValue>();
        for (const pair of namedChildren(node)) {
          if (pair.type !== 'pair') return { kind: 'unknown', node };
          const key = this.eval(pair.childForFieldName('key')!, scope, frame);
          if (key.kind !== 'string') return { kind: 'unknown', node };
          entries.set(key.value, this.eval(pair.childForFieldName('value')!, scope, frame));
        }
        return { kind: 'dict', entries, node };
      }
      case 'identifier':
        return this.evalName(node, scope);
      case 'attribute':
        return this.evalAttribute(node, scope, frame);
      case 'subscript':
        return this.evalSubscript(node, scope, frame);
      case 'call':
        return this.evalCall(node, scope, frame);
      case 'unary_operator': {
        const argument = this.eval(node.childForFieldName('argument')!, scope, frame);
        const op = node.child(0)?.text;
        if (argument.kind === 'number') return { kind: 'number', value: op === '-' ? -argument.value : op === '~' ? ~argument.value : argument.value, node: argument.node };
        return { kind: 'unknown', node };
      }
      case 'binary_operator':
        return this.evalBinary(node, scope, frame);
      case 'boolean_operator': {
        const left = boolOf(this.eval(node.childForFieldName('left')!, scope, frame));
        const right = boolOf(this.eval(node.childForFieldName('right')!, scope, frame));
        const op = node.childForFieldName('operator')?.text ?? node.child(1)?.text;
        if (op === 'and') return left === false || right === false ? bool(false, node) : left === true && right === true ? bool(true, node) : { kind: 'unknown', node };
        return left === true || right === true ? bool(true, node) : left === false && right === false ? bool(false, node) : { kind: 'unknown', node };
      }
      case 'not_operator': {
        const value = boolOf(this.eval(node.childForFieldName('argument')!, scope, frame));
        return value === undefined ? { kind: 'unknown', node } : bool(!value, node);
      }
      case 'comparison_operator':
        return this.evalComparison(node, scope, frame);
      case 'conditional_expression': {
        const [whenTrue, condition, whenFalse] = namedChildren(node);
        const truth = condition ? boolOf(this.eval(condition, scope, frame)) : undefined;
        if (truth === true && whenTrue) return this.eval(whenTrue, scope, frame);
        if (truth === false && whenFalse) return this.eval(whenFalse, scope, frame);
        if (whenTrue) this.eval(whenTrue, scope, frame);
        if (whenFalse) this.eval(whenFalse, scope, frame);
        return { kind: 'unknown', node };
      }
      case 'list_comprehension':
      case 'generator_expression':
        return this.evalComprehension(node, scope, frame);
      case 'lambda':
        return { kind: 'unknown', node };
      case 'keyword_argument':
        return this.eval(node.childForFieldName('value')!, scope, frame);
      default:
        for (const child of namedChildren(node)) if (child.type === 'call') this.eval(child, scope, frame);
        return { kind: 'unknown', node };
    }
  }

  private evalName(node: SyntaxNode, scope: Scope): PyValue {
    const name = node.text;
    const bound = this.lookup(scope, name);
    if (bound) return bound;
    if (BUILTINS.has(name)) return { kind: 'ref', name: `builtins.${name}`, node };
    const root = CONVENTIONAL_ROOTS[name];
    if (root) return { kind: 'ref', name: root, node };
    if (KERAS_BARE_NAMES.has(name) && this.program.usesKeras) {
      if (name === 'MinMaxScaler' || name === 'StandardScaler') return { kind: 'ref', name: `sklearn.${name}`, node };
      return { kind: 'ref', name: `keras.${name}`, node };
    }
    return { kind: 'unknown', node };
  }

  private evalAttribute(node: SyntaxNode, scope: Scope, frame: Frame): PyValue {
    const object = this.eval(node.childForFieldName('object')!, scope, frame);
    const attr = node.childForFieldName('attribute')?.text ?? '';
    switch (object.kind) {
      case 'ref':
        return { kind: 'ref', name: `${object.name}.${attr}`, node };
      case 'instance': {
        const own = object.attrs.get(attr);
        if (own) return own;
        const method = this.findMethod(object.cls, attr);
        if (method) return { kind: 'func', def: method.def, scope: method.cls.scope, self: object };
        return { kind: 'method', name: attr, of: object, node };
      }
      case 'class': {
        const method = this.findMethod(object, attr);
        return method ? { kind: 'func', def: method.def, scope: method.cls.scope } : { kind: 'unknown', node };
      }
      case 'lib':
      case 'tensor':
      case 'seq':
        return { kind: 'method', name: attr, of: object, node };
      case 'unknown':
        return { kind: 'method', name: attr, of: object, node };
      default:
        return { kind: 'unknown', node };
    }
  }

  private findMethod(cls: ClassValue, name: string): { def: SyntaxNode; cls: ClassValue } | undefined {
    const seen = new Set<ClassValue>();
    const visit = (c: ClassValue): { def: SyntaxNode; cls: ClassValue } | undefined => {
      if (seen.has(c)) return undefined;
      seen.add(c);
      const def = c.methods.get(name);
      if (def) return { def, cls: c };
      for (const base of c.bases)
        if (base.kind === 'class') {
          const found = visit(base);
          if (found) return found;
        }
      return undefined;
    };
    return visit(cls);
  }

  /** The library class a user class derives from, e.g. `nn.Module` or `keras.Model`. */
  libraryBase(cls: ClassValue): string | undefined {
    for (const base of cls.bases) {
      if (base.kind === 'ref') return canonicalName(base.name);
      if (base.kind === 'class') {
        const found = this.libraryBase(base);
        if (found) return found;
      }
    }
    return undefined;
  }

  private isModelClass(cls: ClassValue): boolean {
    const base = this.libraryBase(cls);
    return base === 'nn.Module' || base === 'keras.Model' || base === 'keras.Layer';
  }

  private evalSubscript(node: SyntaxNode, scope: Scope, frame: Frame): PyValue {
    const value = this.eval(node.childForFieldName('value')!, scope, frame);
    const subscripts = node.childrenForFieldName('subscript').filter((n): n is SyntaxNode => n !== null);
    for (const sub of subscripts) if (sub.type === 'slice') this.noteWindowSlice(sub, scope, frame);
    if (value.kind === 'seq' && subscripts.length === 1) {
      const index = numberOf(this.eval(subscripts[0], scope, frame));
      if (index !== undefined && Number.isInteger(index)) {
        const item = value.items[index < 0 ? value.items.length + index : index];
        if (item) return item;
      }
      return { kind: 'unknown', node };
    }
    if (value.kind === 'tensor') return this.indexTensor(value, subscripts, node, scope, frame);
    return { kind: 'unknown', node };
  }

  /** `series[i : i + length]` with `i` the index of a loop over a range: the window length and stride. */
  private noteWindowSlice(slice: SyntaxNode, scope: Scope, frame: Frame): void {
    const parts = namedChildren(slice);
    if (parts.length < 2) return;
    const start = this.eval(parts[0], scope, frame);
    if (start.kind !== 'unknown' || !start.loopStep) return;
    const stop = parts[1];
    if (stop.type !== 'binary_operator' || stop.child(1)?.text !== '+') return;
    const left = stop.childForFieldName('left');
    const right = stop.childForFieldName('right');
    if (!left || !right || left.text !== parts[0].text) return;
    const length = this.eval(right, scope, frame);
    if (length.kind !== 'number') return;
    this.program.windowSlices.push({ length, stride: start.loopStep, node: slice.parent ?? slice });
  }

  private evalBinary(node: SyntaxNode, scope: Scope, frame: Frame): PyValue {
    const left = this.eval(node.childForFieldName('left')!, scope, frame);
    const right = this.eval(node.childForFieldName('right')!, scope, frame);
    const op = node.childForFieldName('operator')?.text ?? node.child(1)?.text;
    const a = numberOf(left);
    const b = numberOf(right);
    if (a !== undefined && b !== undefined) {
      const result = (() => {
        switch (op) {
          case '+':
            return a + b;
          case '-':
            return a - b;
          case '*':
            return a * b;
          case '/':
            return b === 0 ? undefined : a / b;
          case '//':
            return b === 0 ? undefined : Math.floor(a / b);
          case '%':
            return b === 0 ? undefined : a - Math.floor(a / b) * b;
          case '**':
            return a ** b;
          default:
            return undefined;
        }
      })();
      return result === undefined || !Number.isFinite(result) ? { kind: 'unknown', node } : { kind: 'number', value: result, node };
    }
    if (op === '*' && left.kind === 'seq' && b !== undefined && b <= MAX_UNROLL) {
      return { kind: 'seq', items: Array.from({ length: b }, () => left.items).flat(), node };
    }
    if (op === '+' && left.kind === 'seq' && right.kind === 'seq') return { kind: 'seq', items: [...left.items, ...right.items], node };
    if (left.kind === 'tensor' || right.kind === 'tensor') return left.kind === 'tensor' ? { ...left, node } : { ...(right as TensorValue), node };
    return { kind: 'unknown', node };
  }

  private evalComparison(node: SyntaxNode, scope: Scope, frame: Frame): PyValue {
    const operands = namedChildren(node).map((child) => this.eval(child, scope, frame));
    const operators = node.children.filter((c): c is SyntaxNode => c !== null && !c.isNamed).map((c) => c.text);
    // `is not` comes as two tokens.
    const ops: string[] = [];
    for (let i = 0; i < operators.length; i++) {
      if ((operators[i] === 'is' || operators[i] === 'not') && operators[i + 1] === (operators[i] === 'is' ? 'not' : 'in')) {
        ops.push(`${operators[i]} ${operators[i + 1]}`);
        i++;
      } else ops.push(operators[i]);
    }
    if (operands.length !== 2 || ops.length !== 1) return { kind: 'unknown', node };
    const [l, r] = operands;
    const op = ops[0];
    if (op === 'is' || op === 'is not' || op === '==' || op === '!=') {
      const known = (v: PyValue) => v.kind === 'none' || v.kind === 'number' || v.kind === 'string' || v.kind === 'bool';
      if (!known(l) || !known(r)) {
        // Something that is a library object or tensor is not None.
        const notNone = (v: PyValue) => v.kind === 'lib' || v.kind === 'instance' || v.kind === 'tensor' || v.kind === 'seq';
        if ((r.kind === 'none' && notNone(l)) || (l.kind === 'none' && notNone(r))) return bool(op === 'is not' || op === '!=', node);
        return { kind: 'unknown', node };
      }
      const equal = l.kind === r.kind && (l.kind === 'none' || (l as { value: unknown }).value === (r as { value: unknown }).value);
      return bool(op === 'is' || op === '==' ? equal : !equal, node);
    }
    const a = numberOf(l);
    const b = numberOf(r);
    if (a === undefined || b === undefined) return { kind: 'unknown', node };
    switch (op) {
      case '<':
        return bool(a < b, node);
      case '<=':
        return bool(a <= b, node);
      case '>':
        return bool(a > b, node);
      case '>=':
        return bool(a >= b, node);
      default:
        return { kind: 'unknown', node };
    }
  }

  private evalComprehension(node: SyntaxNode, scope: Scope, frame: Frame): PyValue {
    const body = node.childForFieldName('body');
    const clause = namedChildren(node).find((c) => c.type === 'for_in_clause');
    if (!body || !clause) return { kind: 'unknown', node };
    const left = clause.childForFieldName('left');
    const right = clause.childForFieldName('right');
    if (!left || !right) return { kind: 'unknown', node };
    const inner: Scope = { vars: new Map(), parent: scope };
    const iterable = this.eval(right, scope, frame);
    const items = this.iterate(iterable);
    const hasFilter = namedChildren(node).some((c) => c.type === 'if_clause' || (c.type === 'for_in_clause' && c !== clause));
    if (items && !hasFilter) {
      return {
        kind: 'seq',
        items: items.map((item) => {
          this.assign(left, item, inner, frame);
          return this.eval(body, inner, frame);
        }),
        node,
      };
    }
    this.assign(left, this.loopVariable(iterable, left), inner, frame);
    this.eval(body, inner, frame);
    return { kind: 'unknown', node };
  }

  // ---------------------------------------------------------------- calls

  private evalCall(node: SyntaxNode, scope: Scope, frame: Frame): PyValue {
    const calleeNode = node.childForFieldName('function');
    const argList = node.childForFieldName('arguments');
    if (!calleeNode) return { kind: 'unknown', node };
    const callee = this.eval(calleeNode, scope, frame);
    const args: Arg[] = [];
    const kwargs = new Map<string, Arg>();
    let splat = false;
    for (const arg of argList ? namedChildren(argList) : []) {
      if (arg.type === 'keyword_argument') {
        const name = arg.childForFieldName('name')?.text ?? '';
        kwargs.set(name, { value: this.eval(arg.childForFieldName('value')!, scope, frame), node: arg });
      } else if (arg.type === 'dictionary_splat') {
        const value = this.eval(namedChildren(arg)[0], scope, frame);
        if (value.kind === 'dict') for (const [k, v] of value.entries) kwargs.set(k, { value: v, node: v.node ?? arg });
        else splat = true;
      } else if (arg.type === 'list_splat') {
        const value = this.eval(namedChildren(arg)[0], scope, frame);
        if (value.kind === 'seq') for (const item of value.items) args.push({ value: item, node: item.node ?? arg });
        else splat = true;
      } else {
        args.push({ value: this.eval(arg, scope, frame), node: arg });
      }
    }
    if (splat) return { kind: 'unknown', node };
    return this.call(callee, args, kwargs, node, frame);
  }

  call(callee: PyValue, args: Arg[], kwargs: Map<string, Arg>, node: SyntaxNode, frame: Frame): PyValue {
    if (++this.calls > MAX_CALLS) return { kind: 'unknown', node };
    switch (callee.kind) {
      case 'ref':
        return this.callLibrary(canonicalName(callee.name), args, kwargs, node, frame);
      case 'func':
        return this.invoke(callee.def, callee.scope, callee.self, args, kwargs, node);
      case 'class':
        return this.instantiate(callee, args, kwargs, node);
      case 'instance':
        return this.callInstance(callee, args, kwargs, node);
      case 'lib':
        return this.callLibObject(callee, args, kwargs, node);
      case 'method':
        return this.callMethod(callee.of, callee.name, args, kwargs, node, frame);
      default:
        return { kind: 'unknown', node };
    }
  }

  private invoke(def: SyntaxNode, closure: Scope, self: PyValue | undefined, args: Arg[], kwargs: Map<string, Arg>, node: SyntaxNode): PyValue {
    if (this.depth >= MAX_CALL_DEPTH) return { kind: 'unknown', node };
    this.executedDefs.add(def.id);
    const scope: Scope = { vars: new Map(), parent: closure };
    const params = def.childForFieldName('parameters');
    let positional = [...args];
    let first = true;
    for (const param of params ? namedChildren(params) : []) {
      const name = paramName(param);
      if (!name) continue;
      if (first && self) {
        scope.vars.set(name, self);
        first = false;
        continue;
      }
      first = false;
      if (param.type === 'list_splat_pattern') {
        scope.vars.set(name, { kind: 'seq', items: positional.map((a) => a.value), node: param });
        positional = [];
        continue;
      }
      if (param.type === 'dictionary_splat_pattern') {
        scope.vars.set(name, { kind: 'unknown', node: param });
        continue;
      }
      let value: PyValue;
      const byName = kwargs.get(name);
      if (byName) value = byName.value;
      else if (positional.length > 0) value = positional.shift()!.value;
      else {
        const defaultNode = param.childForFieldName('value');
        value = defaultNode ? this.eval(defaultNode, closure, { uncertain: 0 }) : { kind: 'unknown', node: param };
      }
      scope.vars.set(name, value);
      if (value.kind === 'number') this.program.namedNumbers.push({ name, value, node: param });
    }
    const body = def.childForFieldName('body');
    const frame: Frame = { uncertain: 0 };
    this.depth++;
    try {
      if (body) this.execBlock(namedChildren(body), scope, frame);
    } finally {
      this.depth--;
    }
    return frame.returned ?? { kind: 'none', node };
  }

  private instantiate(cls: ClassValue, args: Arg[], kwargs: Map<string, Arg>, node: SyntaxNode): PyValue {
    const instance: InstanceValue = { kind: 'instance', cls, attrs: new Map(), node, calls: new Map() };
    this.program.instances.push(instance);
    const init = this.findMethod(cls, '__init__');
    if (init) this.invoke(init.def, init.cls.scope, instance, args, kwargs, node);
    return instance;
  }

  private callInstance(instance: InstanceValue, args: Arg[], kwargs: Map<string, Arg>, node: SyntaxNode): PyValue {
    const method = this.findMethod(instance.cls, 'forward') ?? this.findMethod(instance.cls, 'call') ?? this.findMethod(instance.cls, '__call__');
    if (!method) return { kind: 'unknown', node };
    const input = args[0]?.value;
    const tensorArgs = args.map((a, i) => (i === 0 && input && input.kind !== 'tensor' && input.kind !== 'seq' ? { ...a, value: newTensor(a.node) } : a));
    return this.invoke(method.def, method.cls.scope, instance, tensorArgs, kwargs, node);
  }

  /** Runs a model instance's forward/call on a fresh input, once, to read its layer chain. */
  private runForward(instance: InstanceValue): void {
    if (!this.isModelClass(instance.cls) || this.program.forwards.has(instance)) return;
    const method = this.findMethod(instance.cls, 'forward') ?? this.findMethod(instance.cls, 'call');
    if (!method) return;
    const result = this.invoke(method.def, method.cls.scope, instance, [{ value: newTensor(method.def), node: method.def }], new Map(), method.def);
    this.program.forwards.set(instance, result);
  }

  private runUncalledFunctions(node: SyntaxNode, scope: Scope): void {
    for (const statement of namedChildren(node)) {
      const def = statement.type === 'decorated_definition' ? statement.childForFieldName('definition') : statement;
      if (def?.type === 'function_definition' && !this.executedDefs.has(def.id)) {
        this.invoke(def, scope, undefined, [], new Map(), def);
      }
    }
  }

  // ---------------------------------------------------------------- library semantics

  private callLibrary(name: string, args: Arg[], kwargs: Map<string, Arg>, node: SyntaxNode, frame: Frame): PyValue {
    switch (name) {
      case 'builtins.range': {
        const nums = args.map((a) => numberOf(a.value));
        const step = nums.length >= 3 ? nums[2] : 1;
        if (nums.length === 1 && nums[0] !== undefined) return { kind: 'range', start: 0, stop: nums[0], step: 1, node };
        if (nums.length >= 2 && nums[0] !== undefined && nums[1] !== undefined && step) return { kind: 'range', start: nums[0], stop: nums[1], step, node };
        // Unknown bounds: the step still tells how far apart window starts are.
        return { kind: 'unknown', node, loopStep: nums.length >= 3 ? args[2].value : { kind: 'number', value: 1, node } };
      }
      case 'builtins.zip': {
        const seqs = args.map((a) => a.value);
        if (seqs.every((s) => s.kind === 'seq')) {
          const n = Math.min(...seqs.map((s) => (s as { items: PyValue[] }).items.length));
          return { kind: 'seq', items: Array.from({ length: n }, (_, i) => ({ kind: 'seq' as const, items: seqs.map((s) => (s as { items: PyValue[] }).items[i]), node })), node };
        }
        return { kind: 'unknown', node };
      }
      case 'builtins.enumerate': {
        const seq = args[0]?.value;
        if (seq?.kind === 'seq')
          return { kind: 'seq', items: seq.items.map((item, i) => ({ kind: 'seq' as const, items: [{ kind: 'number' as const, value: i, node }, item], node })), node };
        return { kind: 'unknown', node };
      }
      case 'builtins.list':
      case 'builtins.tuple':
        return args[0]?.value.kind === 'seq' ? args[0].value : { kind: 'unknown', node };
      case 'builtins.int':
      case 'builtins.float':
      case 'builtins.round': {
        const n = numberOf(args[0]?.value);
        if (n === undefined) return { kind: 'unknown', node };
        return { kind: 'number', value: name === 'builtins.float' ? n : Math.trunc(n), node };
      }
      case 'builtins.min':
      case 'builtins.max': {
        const nums = args.map((a) => numberOf(a.value));
        if (nums.length < 2 || nums.some((n) => n === undefined)) return { kind: 'unknown', node };
        return { kind: 'number', value: name === 'builtins.min' ? Math.min(...(nums as number[])) : Math.max(...(nums as number[])), node };
      }
      case 'builtins.super':
      case 'builtins.print':
      case 'builtins.len':
      case 'builtins.isinstance':
        return { kind: 'unknown', node };
      case 'torch.flip': {
        const input = args[0]?.value;
        return { ...asTensor(input, node), reversedBy: node, node };
      }
      case 'torch.mean':
      case 'torch.sum': {
        const input = args[0]?.value;
        const dim = kwargs.get('dim') ?? args[1];
        return reduceOverDim(asTensor(input, node), dim?.value, node);
      }
      case 'torch.cat':
      case 'torch.stack': {
        const items = args[0]?.value;
        const tensors = items?.kind === 'seq' ? items.items.filter((i): i is TensorValue => i.kind === 'tensor') : [];
        const longest = tensors.sort((a, b) => b.chain.length - a.chain.length)[0];
        return longest ? { kind: 'tensor', chain: longest.chain, node } : newTensor(node);
      }
      case 'torch.tensor':
      case 'torch.zeros':
      case 'torch.randn':
      case 'torch.ones':
        return newTensor(node);
    }
    const activation = TORCH_ACTIVATIONS[name];
    if (activation && (name.startsWith('torch.') || name.startsWith('F.'))) {
      const input = asTensor(args[0]?.value, node);
      return { ...input, chain: [...input.chain, { kind: 'activation', name: activation, node }], node };
    }
    if (name === 'F.mse_loss' || name === 'F.l1_loss') {
      this.recordLoss(undefined, name, args, kwargs, node);
      return { kind: 'unknown', node };
    }
    if (name === 'F.dropout') {
      const input = asTensor(args[0]?.value, node);
      const rate = kwargs.get('p') ?? args[1];
      return rate ? { ...input, chain: [...input.chain, { kind: 'dropout', rate: rate.value, node, argNode: rate.node }], node } : input;
    }
    if (name === 'keras.Input') {
      const input: LibObject = { kind: 'lib', ref: name, args, kwargs, node, calls: new Map() };
      this.program.libObjects.push(input);
      return { kind: 'tensor', chain: [], input, node };
    }
    // Everything else from a library is an object: a layer, optimizer, loss, scaler, model ...
    const obj: LibObject = { kind: 'lib', ref: name, args, kwargs, node, calls: new Map() };
    if (name === 'keras.Sequential' || name === 'nn.Sequential') {
      const layers = name === 'nn.Sequential' ? args.map((a) => a.value) : argOf(obj, 'layers', 0)?.value;
      obj.layers = layers === undefined ? [] : Array.isArray(layers) ? layers : layers.kind === 'seq' ? [...layers.items] : [{ kind: 'unknown', node }];
    }
    if (name === 'keras.Model') {
      // Functional API: the outputs' chain is the model.
      const outputs = argOf(obj, 'outputs', 1)?.value;
      const out = outputs?.kind === 'seq' ? outputs.items[0] : outputs;
      if (out?.kind === 'tensor') obj.layers = [out];
    }
    if (frame.uncertain > 0) (obj as LibObject & { uncertain?: boolean }).uncertain = true;
    this.program.libObjects.push(obj);
    return obj;
  }

  private callLibObject(obj: LibObject, args: Arg[], kwargs: Map<string, Arg>, node: SyntaxNode): PyValue {
    const ref = obj.ref;
    if (ref === 'nn.MSELoss' || ref === 'nn.L1Loss' || ref === 'nn.SmoothL1Loss' || ref === 'nn.HuberLoss') {
      this.recordLoss(obj, ref, args, kwargs, node);
      return { kind: 'unknown', node };
    }
    const input = args[0]?.value;
    const tensor = asTensor(input, node);
    if (RECURRENT_TORCH.has(ref)) {
      const state = args[1];
      const step: Step = { kind: 'rnn', layer: obj, sequences: true, node, initialState: state ? state.node : undefined };
      const fromState = state ? stateChain(state.value) : undefined;
      // A layer whose input a decoder already produced is a later decoder layer, also handed a state.
      const later = fromState !== undefined && decoded(tensor.chain);
      const bridge = later ? [] : this.bridgeBefore(tensor, obj, node, state);
      const chain = [...(fromState && !later ? encoderChain(fromState, tensor.chain) : tensor.chain), ...bridge, step];
      const batchFirst = boolOf(argOf(obj, 'batch_first', 4)?.value) === true;
      const out: TensorValue = { kind: 'tensor', chain, axes: batchFirst ? ['B', 'T', 'H'] : ['T', 'B', 'H'], node };
      const finalState: TensorValue = { kind: 'tensor', chain: [...chain.slice(0, -1), { ...step, sequences: false }], axes: ['N', 'B', 'H'], node };
      const stateValue: PyValue = ref === 'nn.LSTM' ? { kind: 'seq', items: [finalState, { ...finalState }], node } : finalState;
      return { kind: 'seq', items: [out, stateValue], node };
    }
    if (CELL_TORCH.has(ref)) {
      const state = args[1];
      const fromState = state ? stateChain(state.value) : undefined;
      const bridge: Step[] = fromState && !fromState.some((s) => s.kind === 'bridge') ? [{ kind: 'bridge', type: 'initialState', node }] : [];
      const chain = [...(fromState ?? tensor.chain), ...bridge, { kind: 'rnn' as const, layer: obj, sequences: false, node, initialState: state?.node }];
      const h: TensorValue = { kind: 'tensor', chain, axes: ['B', 'H'], node };
      return ref === 'nn.LSTMCell' ? { kind: 'seq', items: [h, { ...h }], node } : h;
    }
    if (RECURRENT_KERAS.has(ref) || ref === 'keras.Bidirectional') {
      const inner = ref === 'keras.Bidirectional' ? argOf(obj, 'layer', 0)?.value : obj;
      const layer = inner?.kind === 'lib' ? inner : obj;
      const initial = kwargs.get('initial_state');
      const sequences = boolOf(argOf(layer, 'return_sequences')?.value) === true;
      const fromState = initial ? stateChain(initial.value) : undefined;
      // A layer whose input a decoder already produced is a later decoder layer, also handed a state.
      const later = fromState !== undefined && decoded(tensor.chain);
      const chain = [
        ...(fromState && !later ? encoderChain(fromState, tensor.chain) : tensor.chain),
        ...(initial && !later ? [{ kind: 'bridge' as const, type: 'initialState' as const, node }] : []),
        { kind: 'rnn' as const, layer: obj, sequences, node, initialState: initial?.node },
      ];
      const out: TensorValue = { kind: 'tensor', chain, node, input: tensor.input };
      if (boolOf(argOf(layer, 'return_state')?.value) === true) {
        const stateTensor: TensorValue = { kind: 'tensor', chain: [...chain.slice(0, -1), { kind: 'rnn', layer: obj, sequences: false, node }], node, input: tensor.input };
        return { kind: 'seq', items: [out, stateTensor, { ...stateTensor }], node };
      }
      return out;
    }
    if (ref === 'keras.Sequential' || ref === 'nn.Sequential' || ref === 'keras.Model') {
      let t: PyValue = tensor;
      for (const layer of obj.layers ?? []) {
        if (layer.kind === 'tensor') t = { ...layer };
        else t = this.call(layer, [{ value: t, node }], new Map(), node, { uncertain: 0 });
      }
      return t;
    }
    return this.applyLayer(obj, tensor, node);
  }

  /** Keras/PyTorch layers other than recurrent ones applied to a tensor. */
  private applyLayer(obj: LibObject, tensor: TensorValue, node: SyntaxNode): PyValue {
    const ref = obj.ref;
    if (DENSE.has(ref)) return { ...tensor, chain: [...tensor.chain, { kind: 'dense', layer: obj, node }], node, axes: tensor.axes };
    if (ref === 'keras.TimeDistributed') {
      const inner = argOf(obj, 'layer', 0)?.value;
      if (inner?.kind === 'lib') return this.applyLayer(inner, tensor, node);
      return { ...tensor, node };
    }
    if (DROPOUT.has(ref)) {
      const rate = argOf(obj, ref === 'nn.Dropout' ? 'p' : 'rate', 0);
      const rateValue: PyValue = rate?.value ?? (ref === 'nn.Dropout' ? { kind: 'number', value: 0.5, node: obj.node } : { kind: 'unknown', node: obj.node });
      return { ...tensor, chain: [...tensor.chain, { kind: 'dropout', rate: rateValue, node: obj.node, argNode: rate?.node ?? obj.node }], node };
    }
    if (ref === 'keras.RepeatVector') {
      return { ...tensor, chain: [...tensor.chain, { kind: 'bridge', type: 'repeat', node: obj.node, steps: argOf(obj, 'n', 0)?.value }], node };
    }
    if (ref === 'keras.Reshape') {
      // Reshape((latent, 1)) after the bottleneck lays the code's units out as time steps.
      const shape = argOf(obj, 'target_shape', 0)?.value;
      const dims = shape?.kind === 'seq' ? shape.items.map(numberOf) : [];
      const units = this.latentUnits(tensor);
      const sequence = dims.length === 2 && dims[1] === 1 && units !== undefined && dims[0] === units && !tensor.chain.some((s) => s.kind === 'bridge');
      return sequence ? { ...tensor, chain: [...tensor.chain, { kind: 'bridge', type: 'sequence', node: obj.node }], node } : { ...tensor, node };
    }
    if (ref === 'keras.Activation') {
      const arg = argOf(obj, 'activation', 0);
      return { ...tensor, chain: [...tensor.chain, { kind: 'activation', name: activationName(arg?.value), node: obj.node, argNode: arg?.node }], node };
    }
    const activation = TORCH_ACTIVATIONS[ref];
    if (activation) return { ...tensor, chain: [...tensor.chain, { kind: 'activation', name: activation, node: obj.node }], node };
    if (ref === 'keras.Input' || ref === 'keras.InputLayer') return { ...tensor, node };
    return { kind: 'unknown', node };
  }

  /** The bridge a recurrent decoder's input shows: the latent repeated over time, or its units laid out as time steps. */
  private bridgeBefore(tensor: TensorValue, layer: LibObject, node: SyntaxNode, state: Arg | undefined): Step[] {
    if (state && stateChain(state.value)) return [{ kind: 'bridge', type: 'initialState', node }];
    if (!tensor.axes || !tensor.chain.some((s) => s.kind === 'rnn')) return [];
    const batchFirst = boolOf(argOf(layer, 'batch_first', 4)?.value) === true;
    const timeAxis = tensor.axes[batchFirst ? 1 : 0];
    const at = tensor.layoutOp ?? node;
    if (timeAxis === 'H') return [{ kind: 'bridge', type: 'sequence', node: at }];
    if (timeAxis === 'T') return [{ kind: 'bridge', type: 'repeat', node: at, steps: tensor.repeatSteps }];
    return [];
  }

  private callMethod(of: PyValue, name: string, args: Arg[], kwargs: Map<string, Arg>, node: SyntaxNode, frame: Frame): PyValue {
    if (of.kind === 'lib') {
      if (name === 'add' && of.layers) {
        if (frame.uncertain > 0) (of as LibObject & { uncertain?: boolean }).uncertain = true;
        of.layers.push(args[0]?.value ?? { kind: 'unknown', node });
        return { kind: 'none', node };
      }
      this.recordCall(of.calls, name, args, kwargs, node);
      if (name === 'parameters') return { kind: 'unknown', node };
      return { kind: 'unknown', node };
    }
    if (of.kind === 'instance') {
      this.recordCall(of.calls, name, args, kwargs, node);
      if (name === 'to' || name === 'train' || name === 'cuda' || name === 'double' || name === 'float') return of;
      return { kind: 'unknown', node };
    }
    if (of.kind === 'seq' && name === 'append') {
      of.items.push(args[0]?.value ?? { kind: 'unknown', node });
      return { kind: 'none', node };
    }
    if (of.kind === 'tensor' || of.kind === 'unknown') return this.tensorMethod(asTensor(of, node), name, args, kwargs, node);
    return { kind: 'unknown', node };
  }

  private recordCall(calls: Map<string, LibObject[]>, name: string, args: Arg[], kwargs: Map<string, Arg>, node: SyntaxNode): void {
    const list = calls.get(name) ?? [];
    list.push({ kind: 'lib', ref: `call.${name}`, args, kwargs, node, calls: new Map() });
    calls.set(name, list);
  }

  private recordLoss(criterion: LibObject | undefined, name: string, args: Arg[], kwargs: Map<string, Arg>, node: SyntaxNode): void {
    const prediction = kwargs.get('input') ?? args[0];
    const target = kwargs.get('target') ?? args[1];
    if (!prediction || !target) return;
    this.program.lossCalls.push({ criterion, name, prediction: prediction.value, target: target.value, targetNode: target.node, node });
  }

  private tensorMethod(tensor: TensorValue, name: string, args: Arg[], kwargs: Map<string, Arg>, node: SyntaxNode): PyValue {
    const nums = args.map((a) => numberOf(a.value));
    const axes = tensor.axes;
    switch (name) {
      case 'unsqueeze': {
        const dim = nums[0] ?? numberOf(kwargs.get('dim')?.value);
        if (!axes || dim === undefined) return { ...tensor, axes: undefined, node };
        const at = dim < 0 ? axes.length + 1 + dim : dim;
        const next = [...axes.slice(0, at), '1' as Axis, ...axes.slice(at)];
        return { ...tensor, axes: next, layoutOp: node, node };
      }
      case 'squeeze': {
        const dim = nums[0];
        if (!axes || dim === undefined) return { ...tensor, node };
        const at = dim < 0 ? axes.length + dim : dim;
        return { ...tensor, axes: axes.filter((_, i) => i !== at), node };
      }
      case 'repeat':
      case 'expand': {
        if (!axes) return { ...tensor, node };
        const sizes = args.map((a) => a.value);
        if (sizes.length !== axes.length) return { ...tensor, axes: undefined, node };
        let repeatSteps: PyValue | undefined;
        const next = axes.map((axis, i) => {
          const n = numberOf(sizes[i]);
          const grows = name === 'repeat' ? n !== 1 : n !== -1;
          if (axis === '1' && grows) {
            repeatSteps = sizes[i];
            return 'T' as Axis;
          }
          return axis;
        });
        return { ...tensor, axes: next, layoutOp: node, repeatSteps, node };
      }
      case 'view':
      case 'reshape': {
        if (!axes) return { ...tensor, node };
        const units = axes.filter((a) => a === 'H').length === 1 ? this.latentUnits(tensor) : undefined;
        const sizes = (args.length === 1 && args[0].value.kind === 'seq' ? args[0].value.items : args.map((a) => a.value)).map(numberOf);
        const next = sizes.map((n, i): Axis => (n === 1 ? '1' : n === -1 && i === 0 ? 'B' : units !== undefined && n === units ? 'H' : '?'));
        return { ...tensor, axes: next, layoutOp: node, node };
      }
      case 'flip':
        return { ...tensor, reversedBy: node, node };
      case 'mean':
      case 'sum':
        return reduceOverDim(tensor, (kwargs.get('dim') ?? kwargs.get('axis') ?? args[0])?.value, node);
      case 'float':
      case 'double':
      case 'to':
      case 'detach':
      case 'contiguous':
      case 'clone':
      case 'cpu':
      case 'cuda':
      case 'requires_grad_':
        return { ...tensor, node: tensor.node };
      case 'permute':
      case 'transpose':
        return { ...tensor, axes: undefined, node };
      default:
        return { kind: 'unknown', node };
    }
  }

  /** Units of the last dense or recurrent layer in a chain, when written as a number. */
  private latentUnits(tensor: TensorValue): number | undefined {
    for (let i = tensor.chain.length - 1; i >= 0; i--) {
      const step = tensor.chain[i];
      if (step.kind === 'dense') return numberOf(argOf(step.layer, step.layer.ref === 'nn.Linear' ? 'out_features' : 'units', 1 - (step.layer.ref === 'nn.Linear' ? 0 : 1))?.value);
      if (step.kind === 'rnn') return numberOf((RECURRENT_KERAS.has(step.layer.ref) ? argOf(step.layer, 'units', 0) : argOf(step.layer, 'hidden_size', 1))?.value);
    }
    return undefined;
  }

  private indexTensor(tensor: TensorValue, subscripts: SyntaxNode[], node: SyntaxNode, scope: Scope, frame: Frame): PyValue {
    const axes = tensor.axes;
    const selects = subscripts.map((s) => s.type !== 'slice' && s.type !== 'ellipsis' && numberOf(this.eval(s, scope, frame)) !== undefined);
    if (!axes || subscripts.some((s) => s.type === 'ellipsis')) return { ...tensor, axes: undefined, node };
    const dropped = axes.filter((_, i) => i < selects.length && selects[i]);
    const next = axes.filter((_, i) => !(i < selects.length && selects[i]));
    const chain = dropped.includes('T') ? [...tensor.chain, { kind: 'reduceTime' as const, node }] : tensor.chain;
    return { ...tensor, chain, axes: next, node };
  }
}

// ------------------------------------------------------------------ helpers

function bool(value: boolean, node: SyntaxNode): PyValue {
  return { kind: 'bool', value, node };
}

function stringLiteral(node: SyntaxNode): PyValue {
  const parts = namedChildren(node);
  if (parts.some((p) => p.type === 'interpolation')) return { kind: 'unknown', node };
  const content = parts
    .filter((p) => p.type === 'string_content')
    .map((p) => p.text)
    .join('');
  return { kind: 'string', value: content, node };
}

function paramName(param: SyntaxNode): string | undefined {
  if (param.type === 'identifier') return param.text;
  if (param.type === 'default_parameter' || param.type === 'typed_default_parameter') return param.childForFieldName('name')?.text;
  if (param.type === 'typed_parameter' || param.type === 'list_splat_pattern' || param.type === 'dictionary_splat_pattern') {
    return namedChildren(param).find((c) => c.type === 'identifier')?.text;
  }
  return undefined;
}

function isStructural(value: PyValue): boolean {
  return value.kind === 'tensor' || value.kind === 'lib' || value.kind === 'instance' || value.kind === 'func' || value.kind === 'class';
}

function isKnownEqual(a: PyValue, b: PyValue): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'number' || a.kind === 'string' || a.kind === 'bool') return a.value === (b as { value: unknown }).value;
  return a.kind === 'none';
}

function rangeStep(value: PyValue): PyValue | undefined {
  return value.kind === 'unknown' ? value.loopStep : undefined;
}

function newTensor(node: SyntaxNode): TensorValue {
  return { kind: 'tensor', chain: [], node };
}

export function asTensor(value: PyValue | undefined, node: SyntaxNode): TensorValue {
  if (value?.kind === 'tensor') return value;
  if (value?.kind === 'seq') {
    const first = value.items.find((i): i is TensorValue => i.kind === 'tensor');
    if (first) return first;
  }
  return { kind: 'tensor', chain: [], node: value?.node ?? node };
}

/** The chain of an encoder state passed to a decoder: `(h, c)` or `h`. */
/**
 * The encoder a decoder started from `fromState` hangs on: the state's chain, or the input's up to
 * its bridge when that reaches more recurrent layers (a first decoder layer started from a lower
 * encoder layer's state while it reads the top one's, e.g. RepeatVector(h_top)).
 */
function encoderChain(fromState: Step[], input: Step[]): Step[] {
  const cut = input.findIndex((s) => s.kind === 'bridge');
  const head = cut >= 0 ? input.slice(0, cut) : input;
  const depth = (chain: Step[]) => chain.filter((s) => s.kind === 'rnn').length;
  return depth(head) > depth(fromState) ? head : fromState;
}

/** True when `chain` already went through a bridge and a recurrent layer after it: a decoder's output. */
function decoded(chain: Step[]): boolean {
  const bridge = chain.findIndex((s) => s.kind === 'bridge');
  return bridge >= 0 && chain.slice(bridge + 1).some((s) => s.kind === 'rnn');
}

function stateChain(value: PyValue): Step[] | undefined {
  const first = value.kind === 'seq' ? value.items[0] : value;
  if (first?.kind === 'tensor' && first.chain.some((s) => s.kind === 'rnn')) return first.chain;
  return undefined;
}

function reduceOverDim(tensor: TensorValue, dim: PyValue | undefined, node: SyntaxNode): PyValue {
  const d = numberOf(dim);
  if (d === 1 || d === -2) return { ...tensor, reducedOverTime: node, node };
  return { ...tensor, node };
}

function activationName(value: PyValue | undefined): string | undefined {
  if (!value) return 'linear';
  if (value.kind === 'none') return 'linear';
  const s = stringOf(value);
  if (s === undefined) return undefined;
  return s;
}
