// Parses a config text (YAML or JSON with comments) into its plain value plus a source map from
// dotted config paths to key and value ranges. Never throws: anything the parsers reject, or
// that makes them fail, becomes a TSAE001 finding.

import * as jsonc from 'jsonc-parser';
import { isMap, isPair, isScalar, isSeq, parseDocument } from 'yaml';
import type { Node as YamlNode } from 'yaml';
import type { Finding, Range } from '../types';
import type { ConfigFormat, ParsedConfig, SourceSpan } from './document';
import { firstLineRange, LineIndex } from './text';

/** Configs are a few levels deep; deeper input is still parsed but not mapped. */
const MAX_MAPPED_DEPTH = 32;

export function formatOf(fileName: string): ConfigFormat {
  return /\.json$/i.test(fileName) ? 'json' : 'yaml';
}

/**
 * Deeper input is refused before parsing: both parsers recurse, and V8 can abort the whole
 * process (not throw) when the stack runs out inside its regular-expression compiler.
 */
export const MAX_NESTING = 100;

export function parseConfig(text: string, fileName: string, format: ConfigFormat = formatOf(fileName)): ParsedConfig {
  const index = new LineIndex(text);
  const depth = nestingDepth(text);
  const unparsed = (message: string): ParsedConfig => ({
    format,
    fileName,
    text,
    value: undefined,
    spans: new Map(),
    syntaxFindings: [syntaxFinding(message, firstLineRange(text))],
  });
  if (depth > MAX_NESTING) return unparsed(`the config is nested more than ${MAX_NESTING} levels deep`);
  try {
    return format === 'json' ? parseJson(text, fileName, index) : parseYaml(text, fileName, index);
  } catch (error) {
    // The parsers recurse; pathological nesting can exhaust the stack.
    return unparsed(`could not parse the config: ${errorMessage(error)}`);
  }
}

/**
 * An upper bound of the nesting depth: brackets outside quotes, and YAML block indentation
 * (with each `- ` opening a level). Cheap and only needs to be right about "far too deep".
 */
function nestingDepth(text: string): number {
  let max = 0;
  let flow = 0;
  const indents: number[] = [];
  let lineStart = true;
  let indent = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\n' || c === '\r') {
      lineStart = true;
      indent = 0;
      continue;
    }
    if (lineStart) {
      if (c === ' ' || c === '-' || c === '\t') {
        indent++;
        continue;
      }
      lineStart = false;
      if (c !== '#') {
        while (indents.length > 0 && indents[indents.length - 1] >= indent) indents.pop();
        indents.push(indent);
        // Every `- ` inside the indentation is a sequence level of its own.
        const dashes = text.slice(i - indent, i).split('-').length - 1;
        max = Math.max(max, indents.length + dashes);
      }
    }
    if (c === '"' || c === "'") {
      const close = text.indexOf(c, i + 1);
      const lineEnd = text.indexOf('\n', i + 1);
      if (close !== -1 && (lineEnd === -1 || close < lineEnd)) i = close;
    } else if (c === '[' || c === '{') {
      flow++;
      max = Math.max(max, flow + indents.length);
    } else if (c === ']' || c === '}') {
      flow = Math.max(0, flow - 1);
    }
  }
  return max;
}

export function joinPath(parent: string, key: string | number): string {
  return parent === '' ? String(key) : `${parent}.${key}`;
}

function syntaxFinding(message: string, range: Range): Finding {
  return { code: 'TSAE001', severity: 'error', message, range, configPath: '' };
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function parseYaml(text: string, fileName: string, index: LineIndex): ParsedConfig {
  // Offsets go through our own LineIndex (shared with JSON), so yaml's LineCounter is not needed.
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  const syntaxFindings = doc.errors.map((error) => {
    const [start, end] = error.pos;
    // Messages end in " at line N, column M:" plus a code frame; the range already says where.
    const message = error.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
    return syntaxFinding(`YAML syntax error: ${message}`, index.rangeOf(start, Math.max(end, start)));
  });
  let value: unknown;
  if (syntaxFindings.length === 0) {
    try {
      value = doc.toJS({ maxAliasCount: 100 });
    } catch (error) {
      syntaxFindings.push(syntaxFinding(`YAML error: ${errorMessage(error)}`, firstLineRange(text)));
    }
  }
  const spans = new Map<string, SourceSpan>();
  if (doc.contents) mapYamlNode(text, doc.contents as YamlNode, '', undefined, spans, index, 0);
  else spans.set('', { value: index.rangeOf(0, text.length) });
  return { format: 'yaml', fileName, text, value, spans, syntaxFindings };
}

function nodeRange(node: YamlNode | null | undefined, index: LineIndex, text: string): Range | undefined {
  const range = node?.range;
  if (!range) return undefined;
  // Block collections end after their last line break; the range should end on the content.
  let end = range[1];
  while (end > range[0] && /\s/.test(text.charAt(end - 1))) end--;
  return index.rangeOf(range[0], end);
}

function mapYamlNode(
  text: string,
  node: YamlNode,
  path: string,
  key: Range | undefined,
  spans: Map<string, SourceSpan>,
  index: LineIndex,
  depth: number,
): void {
  const value = nodeRange(node, index, text) ?? key ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  spans.set(path, key ? { key, value } : { value });
  if (depth >= MAX_MAPPED_DEPTH) return;
  if (isMap(node)) {
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const keyNode = pair.key as YamlNode | null;
      const keyName = isScalar(keyNode) ? String(keyNode.value) : undefined;
      if (keyName === undefined) continue;
      const keyRange = nodeRange(keyNode, index, text);
      if (!keyRange) continue;
      const childPath = joinPath(path, keyName);
      const valueNode = pair.value as YamlNode | null;
      if (valueNode && valueNode.range) {
        mapYamlNode(text, valueNode, childPath, keyRange, spans, index, depth + 1);
      } else {
        // `key:` with nothing after it: an empty value right after the key.
        spans.set(childPath, { key: keyRange, value: { start: keyRange.end, end: keyRange.end } });
      }
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, i) => {
      if (item && (item as YamlNode).range) mapYamlNode(text, item as YamlNode, joinPath(path, i), undefined, spans, index, depth + 1);
    });
  }
}

function parseJson(text: string, fileName: string, index: LineIndex): ParsedConfig {
  const errors: jsonc.ParseError[] = [];
  // A byte order mark is not JSON; a space keeps every offset (and so every range) in place.
  const root = jsonc.parseTree(text.charCodeAt(0) === 0xfeff ? ` ${text.slice(1)}` : text, errors, { allowTrailingComma: true, disallowComments: false });
  const syntaxFindings = errors.map((error) =>
    syntaxFinding(
      `JSON syntax error: ${describeJsonError(error.error)}`,
      index.rangeOf(error.offset, error.offset + error.length),
    ),
  );
  const spans = new Map<string, SourceSpan>();
  let value: unknown;
  if (root) {
    mapJsonNode(root, '', undefined, spans, index, 0);
    if (syntaxFindings.length === 0) value = jsonNodeValue(root, 0);
  } else {
    spans.set('', { value: index.rangeOf(0, text.length) });
    if (syntaxFindings.length === 0 && text.trim() === '') value = null;
  }
  return { format: 'json', fileName, text, value, spans, syntaxFindings };
}

/** Like jsonc.getNodeValue, but with ordinary objects (it makes prototype-less ones). */
function jsonNodeValue(node: jsonc.Node, depth: number): unknown {
  if (depth > MAX_NESTING) return undefined;
  switch (node.type) {
    case 'object': {
      const result: Record<string, unknown> = {};
      for (const property of node.children ?? []) {
        const [keyNode, valueNode] = property.children ?? [];
        if (!keyNode || !valueNode) continue;
        // defineProperty, so a "__proto__" key is data rather than a prototype change.
        Object.defineProperty(result, String(keyNode.value), {
          value: jsonNodeValue(valueNode, depth + 1),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      return result;
    }
    case 'array':
      return (node.children ?? []).map((item) => jsonNodeValue(item, depth + 1));
    default:
      return node.value;
  }
}

function describeJsonError(code: jsonc.ParseErrorCode): string {
  const name = jsonc.printParseErrorCode(code);
  // `PropertyNameExpected` -> `property name expected`
  return name.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}

function mapJsonNode(
  node: jsonc.Node,
  path: string,
  key: Range | undefined,
  spans: Map<string, SourceSpan>,
  index: LineIndex,
  depth: number,
): void {
  const value = index.rangeOf(node.offset, node.offset + node.length);
  spans.set(path, key ? { key, value } : { value });
  if (depth >= MAX_MAPPED_DEPTH || !node.children) return;
  if (node.type === 'object') {
    for (const property of node.children) {
      const [keyNode, valueNode] = property.children ?? [];
      if (!keyNode || typeof keyNode.value !== 'string') continue;
      const keyRange = index.rangeOf(keyNode.offset, keyNode.offset + keyNode.length);
      const childPath = joinPath(path, keyNode.value);
      if (valueNode) mapJsonNode(valueNode, childPath, keyRange, spans, index, depth + 1);
      else spans.set(childPath, { key: keyRange, value: { start: keyRange.end, end: keyRange.end } });
    }
  } else if (node.type === 'array') {
    node.children.forEach((item, i) => mapJsonNode(item, joinPath(path, i), undefined, spans, index, depth + 1));
  }
}
