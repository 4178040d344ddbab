// Parses a config text (YAML or JSON with comments) into its plain value plus a source map from
// dotted config paths to key and value ranges. Never throws: anything the parsers reject, or
// that makes them fail, becomes a TSAE001 finding.

import * as jsonc from 'jsonc-parser';
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import type { Node as YamlNode } from 'yaml';
import type { Finding, Range } from '../types';
import type { ConfigFormat, ParsedConfig, SourceSpan } from './document';
import { firstLineRange, LineIndex } from './text';

/** Configs are a few levels deep; deeper input is still parsed but not mapped. */
const MAX_MAPPED_DEPTH = 32;

export function formatOf(fileName: string): ConfigFormat {
  return /\.json$/i.test(fileName) ? 'json' : 'yaml';
}

export function parseConfig(text: string, fileName: string, format: ConfigFormat = formatOf(fileName)): ParsedConfig {
  const index = new LineIndex(text);
  try {
    return format === 'json' ? parseJson(text, fileName, index) : parseYaml(text, fileName, index);
  } catch (error) {
    // The parsers recurse; pathological nesting can exhaust the stack.
    return {
      format,
      fileName,
      text,
      value: undefined,
      spans: new Map(),
      syntaxFindings: [syntaxFinding(`could not parse the config: ${errorMessage(error)}`, firstLineRange(text))],
    };
  }
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
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
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
  if (doc.contents) mapYamlNode(doc.contents as YamlNode, '', undefined, spans, index, 0);
  else spans.set('', { value: index.rangeOf(0, text.length) });
  return { format: 'yaml', fileName, text, value, spans, syntaxFindings };
}

function nodeRange(node: YamlNode | null | undefined, index: LineIndex): Range | undefined {
  const range = node?.range;
  return range ? index.rangeOf(range[0], range[1]) : undefined;
}

function mapYamlNode(
  node: YamlNode,
  path: string,
  key: Range | undefined,
  spans: Map<string, SourceSpan>,
  index: LineIndex,
  depth: number,
): void {
  const value = nodeRange(node, index) ?? key ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  spans.set(path, key ? { key, value } : { value });
  if (depth >= MAX_MAPPED_DEPTH) return;
  if (isMap(node)) {
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const keyNode = pair.key as YamlNode | null;
      const keyName = isScalar(keyNode) ? String(keyNode.value) : undefined;
      if (keyName === undefined) continue;
      const keyRange = nodeRange(keyNode, index);
      if (!keyRange) continue;
      const childPath = joinPath(path, keyName);
      const valueNode = pair.value as YamlNode | null;
      if (valueNode && valueNode.range) {
        mapYamlNode(valueNode, childPath, keyRange, spans, index, depth + 1);
      } else {
        // `key:` with nothing after it: an empty value right after the key.
        spans.set(childPath, { key: keyRange, value: { start: keyRange.end, end: keyRange.end } });
      }
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, i) => {
      if (item && (item as YamlNode).range) mapYamlNode(item as YamlNode, joinPath(path, i), undefined, spans, index, depth + 1);
    });
  }
}

function parseJson(text: string, fileName: string, index: LineIndex): ParsedConfig {
  const errors: jsonc.ParseError[] = [];
  const root = jsonc.parseTree(text, errors, { allowTrailingComma: true, disallowComments: false });
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
    if (syntaxFindings.length === 0) value = jsonc.getNodeValue(root);
  } else {
    spans.set('', { value: index.rangeOf(0, text.length) });
    if (syntaxFindings.length === 0 && text.trim() === '') value = null;
  }
  return { format: 'json', fileName, text, value, spans, syntaxFindings };
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
