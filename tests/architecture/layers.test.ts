// The layering the contributors' guide describes, checked on the real import graph of src/:
// the core is plain TypeScript (no vscode, no face imports it), faces do not import each other,
// and no module imports itself through a cycle. A cycle or an upward import is how "one core,
// many faces" decays, one convenient import at a time.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

function repoRoot(): string {
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'src', 'core')) && fs.existsSync(path.join(dir, 'package.json'))) return dir;
  }
  return process.cwd();
}
const root = repoRoot();
const src = path.join(root, 'src');

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sources(full);
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [full] : [];
  });
}

/** Import specifiers of a file, type-only ones included (they still couple the layers). */
function specifiers(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  const found = [...text.matchAll(/^\s*(?:import|export)\b[^'"]*?from\s+['"]([^'"]+)['"]|^\s*import\s+['"]([^'"]+)['"]|\brequire\(\s*['"]([^'"]+)['"]\s*\)/gm)];
  return found.map((m) => m[1] ?? m[2] ?? m[3]);
}

/** A relative specifier resolved to a source file (x.ts or x/index.ts); undefined for packages. */
function resolve(from: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined;
  const base = path.resolve(path.dirname(from), spec);
  for (const candidate of [`${base}.ts`, path.join(base, 'index.ts')]) if (fs.existsSync(candidate)) return candidate;
  return undefined;
}

const files = sources(src);
const graph = new Map(files.map((f) => [f, specifiers(f)]));
const rel = (f: string) => path.relative(root, f);
/** The top-level folder of src/ a file belongs to: core, server, extension, worker or cli. */
const face = (f: string) => path.relative(src, f).split(path.sep)[0];

test('the source tree is where the test expects it', () => {
  assert.ok(files.length > 100, `expected the sources under ${src}`);
  for (const f of ['core', 'server', 'extension', 'worker', 'cli']) assert.ok(fs.existsSync(path.join(src, f)), f);
});

/** Data the core reads at build time: the JSON schema is the one source of config keys and defaults. */
const isJsonData = (spec: string) => spec.endsWith('.json');
/**
 * The wire vocabulary of LSP (message types, no client or server) is what src/core/protocol/ is
 * written in, like rust-analyzer's lsp_ext.ts; the rest of the core does not speak LSP.
 */
const isProtocolVocabulary = (file: string, spec: string) => spec === 'vscode-languageserver-protocol' && path.relative(src, file).startsWith(path.join('core', 'protocol'));

test('src/core imports no vscode and nothing outside src/core', () => {
  const offenders: string[] = [];
  for (const [file, specs] of graph) {
    if (face(file) !== 'core') continue;
    for (const spec of specs) {
      if (spec === 'vscode' || spec.startsWith('vscode-languageclient') || (spec.startsWith('vscode-languageserver') && !isProtocolVocabulary(file, spec)))
        offenders.push(`${rel(file)}: ${spec}`);
      const target = resolve(file, spec);
      if (spec.startsWith('.') && !isJsonData(spec) && (target === undefined || face(target) !== 'core')) offenders.push(`${rel(file)}: ${spec}`);
    }
  }
  assert.deepEqual(offenders, []);
});

test('faces import the core, never each other (the worker bundle name is the only shared fact)', () => {
  const offenders: string[] = [];
  for (const [file, specs] of graph) {
    const from = face(file);
    if (from === 'core') continue;
    for (const spec of specs) {
      const target = resolve(file, spec);
      if (target && face(target) !== 'core' && face(target) !== from) offenders.push(`${rel(file)}: ${spec}`);
    }
  }
  assert.deepEqual(offenders, []);
});

test('only the extension imports vscode, and src/ never imports webview/', () => {
  const offenders: string[] = [];
  for (const [file, specs] of graph) {
    for (const spec of specs) {
      if (spec === 'vscode' && face(file) !== 'extension') offenders.push(`${rel(file)}: ${spec}`);
      if (spec.startsWith('.') && path.resolve(path.dirname(file), spec).startsWith(path.join(root, 'webview'))) offenders.push(`${rel(file)}: ${spec}`);
    }
  }
  assert.deepEqual(offenders, []);
});

test('no import cycle between modules', () => {
  // Tarjan's strongly connected components over the resolved relative imports.
  const edges = new Map([...graph].map(([f, specs]) => [f, specs.map((s) => resolve(f, s)).filter((t): t is string => t !== undefined)]));
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  let counter = 0;
  const visit = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(rel(w));
      } while (w !== v);
      if (component.length > 1 || (edges.get(v) ?? []).includes(v)) cycles.push(component.sort());
    }
  };
  for (const v of edges.keys()) if (!index.has(v)) visit(v);
  assert.deepEqual(cycles, []);
});
