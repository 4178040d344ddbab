// The Python parser: web-tree-sitter with the tree-sitter-python grammar, both as .wasm, so the
// same code runs in Node and in a browser worker (VS Code for the Web). Tree-sitter is
// error-tolerant: a half-typed line becomes an ERROR node and the rest of the file still parses.
// Loading is asynchronous and happens once per process; parsing is synchronous afterwards.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { Language, Parser } from 'web-tree-sitter';
import type { Node, Tree } from 'web-tree-sitter';

export type { Node as SyntaxNode, Tree as SyntaxTree } from 'web-tree-sitter';

export const RUNTIME_WASM = 'tree-sitter.wasm';
export const PYTHON_WASM = 'tree-sitter-python.wasm';

export interface PythonParserOptions {
  /** The two binaries as bytes (a browser worker fetches them itself); otherwise they are looked up on disk. */
  runtimeWasm?: Uint8Array;
  grammarWasm?: Uint8Array;
  /** Extra folders to look in first. */
  dirs?: string[];
}

let loading: Promise<Parser> | undefined;
let ready: Parser | undefined;

/**
 * Where a binary is: `wasm/` beside the bundle (esbuild copies both there), or the npm package
 * when running unbundled (compiled tests), found by walking up to a node_modules folder.
 */
export function findWasm(name: string, extraDirs: string[] = []): string | undefined {
  const pkg = name === RUNTIME_WASM ? 'web-tree-sitter' : 'tree-sitter-python';
  const candidates = [...extraDirs, path.join(__dirname, 'wasm'), __dirname];
  for (const start of [__dirname, process.cwd()]) {
    for (let dir = start; ; dir = path.dirname(dir)) {
      candidates.push(path.join(dir, 'node_modules', pkg));
      if (path.dirname(dir) === dir) break;
    }
  }
  return candidates.map((dir) => path.join(dir, name)).find((file) => fs.existsSync(file));
}

function readWasm(name: string, dirs: string[] | undefined): Uint8Array {
  const file = findWasm(name, dirs);
  if (!file) throw new Error(`${name} not found (looked in dist/wasm and node_modules)`);
  return fs.readFileSync(file);
}

/** Loads the parser once per process; later calls return the same promise. */
export function initPythonParser(options: PythonParserOptions = {}): Promise<Parser> {
  if (!loading) {
    loading = (async () => {
      const runtime = options.runtimeWasm ?? readWasm(RUNTIME_WASM, options.dirs);
      await Parser.init({ wasmBinary: runtime } as unknown as object);
      const language = await Language.load(options.grammarWasm ?? readWasm(PYTHON_WASM, options.dirs));
      const parser = new Parser();
      parser.setLanguage(language);
      ready = parser;
      return parser;
    })();
    // A failed load may succeed later (e.g. after a build); do not cache the failure.
    loading.catch(() => (loading = undefined));
  }
  return loading;
}

export function pythonParserReady(): boolean {
  return ready !== undefined;
}

/** Parses Python source; initPythonParser must have finished. */
export function parsePython(text: string): Tree {
  if (!ready) throw new Error('the Python parser is not loaded yet (initPythonParser was not awaited)');
  const tree = ready.parse(text);
  if (!tree) throw new Error('tree-sitter returned no tree');
  return tree;
}

/** Named children, skipping comments. */
export function namedChildren(node: Node): Node[] {
  return node.namedChildren.filter((child): child is Node => child !== null && child.type !== 'comment');
}
