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

/**
 * Configs with more entries (keys and list items, estimated by shape()) are refused before
 * parsing. A config has a few dozen (a list of a thousand column names is a thousand); the YAML
 * parser costs 20-40 us per entry, so 60,000 keys (under 1 MB) held the language server for
 * seconds on every keystroke. Long text is not the cost: a 5 MB block scalar parses in 0.3 s.
 */
export const MAX_CONFIG_ENTRIES = 10_000;

export function parseConfig(text: string, fileName: string, format: ConfigFormat = formatOf(fileName)): ParsedConfig {
  const unparsed = (message: string): ParsedConfig => ({
    format,
    fileName,
    text,
    value: undefined,
    spans: new Map(),
    syntaxFindings: [syntaxFinding(message, firstLineRange(text))],
  });
  const { depth, entries } = shape(text, format);
  if (entries > MAX_CONFIG_ENTRIES) {
    return unparsed(
      `the config has about ${entries.toLocaleString('en-US')} entries (keys and list items), over the limit of ${MAX_CONFIG_ENTRIES.toLocaleString('en-US')} for a config, so it was not parsed or checked (a config has a few dozen; was a data file or a generated list pasted into it?)`,
    );
  }
  if (depth > MAX_NESTING) return unparsed(`the config is nested more than ${MAX_NESTING} levels deep`);
  const index = new LineIndex(text);
  try {
    return format === 'json' ? parseJson(text, fileName, index) : parseYaml(text, fileName, index);
  } catch (error) {
    // The parsers recurse; pathological nesting can exhaust the stack.
    return unparsed(`could not parse the config: ${errorMessage(error)}`);
  }
}

/**
 * An upper bound of the nesting depth: brackets outside quotes and comments, and YAML block
 * indentation (with each `- ` opening a level); the content of YAML block scalars (`|`, `>`)
 * is text and counts for nothing. With it, an estimate of the entries: YAML lines with content
 * (not comments, not block-scalar text) and commas between flow items, outside quotes and
 * comments. Linear, and only needs to be right about "far too deep" and "far too many".
 */
function shape(text: string, format: ConfigFormat): { depth: number; entries: number } {
  let max = 0;
  let entries = 0;
  let flow = 0;
  const indents: number[] = [];
  let lineStart = true;
  let indent = 0;
  /** Indentation of the line that opened a block scalar; lines indented deeper are its text. */
  let blockScalarIndent = -1;
  let lineText = 0;
  /** Whether the line has a `|` or `>` outside quotes (only then can it open a block scalar). */
  let indicator = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\n' || c === '\r') {
      if (format === 'yaml' && indicator && !lineStart && blockScalarIndent < 0 && /[|>][+-]?\d?[+-]?\s*$/.test(text.slice(lineText, i).replace(/\s#.*$/, ''))) {
        blockScalarIndent = indent;
      }
      lineStart = true;
      indent = 0;
      indicator = false;
      continue;
    }
    if (c === '|' || c === '>') indicator = true;
    if (lineStart) {
      if (c === ' ' || c === '-' || c === '\t') {
        indent++;
        continue;
      }
      lineStart = false;
      lineText = i;
      if (blockScalarIndent >= 0) {
        if (indent > blockScalarIndent) {
          i = skipToLineEnd(text, i);
          lineStart = true;
          indent = 0;
          continue;
        }
        blockScalarIndent = -1;
      }
      if (c !== '#') {
        if (format === 'yaml') entries++;
        while (indents.length > 0 && indents[indents.length - 1] >= indent) indents.pop();
        indents.push(indent);
        // Every `- ` inside the indentation is a sequence level of its own.
        let dashes = 0;
        for (let k = i - indent; k < i; k++) if (text[k] === '-') dashes++;
        max = Math.max(max, indents.length + dashes);
      }
    }
    if (c === '"' || c === "'") {
      const close = closingQuote(text, i, format);
      if (close !== -1) i = close;
    } else if (format === 'yaml' && c === '#' && (i === 0 || /\s/.test(text[i - 1]))) {
      i = skipToLineEnd(text, i) - 1;
    } else if (format === 'json' && c === '/' && text[i + 1] === '/') {
      i = skipToLineEnd(text, i) - 1;
    } else if (format === 'json' && c === '/' && text[i + 1] === '*') {
      const close = text.indexOf('*/', i + 2);
      i = close === -1 ? text.length : close + 1;
    } else if (c === '[' || c === '{') {
      flow++;
      max = Math.max(max, flow + indents.length);
    } else if (c === ']' || c === '}') {
      flow = Math.max(0, flow - 1);
    } else if (c === ',') {
      entries++;
    }
  }
  return { depth: max, entries };
}

/** Offset of the next line break after `from` (or the text's end). */
function skipToLineEnd(text: string, from: number): number {
  for (let i = from; i < text.length; i++) if (text[i] === '\n' || text[i] === '\r') return i;
  return text.length;
}

/** The quote closing the one at `open` on the same line (JSON and YAML double quotes take backslash escapes), or -1. */
function closingQuote(text: string, open: number, format: ConfigFormat): number {
  const quote = text[open];
  const escapes = quote === '"';
  for (let i = open + 1; i < text.length; i++) {
    const c = text[i];
    if (c === '\n' || c === '\r') return -1;
    if (escapes && c === '\\') i++;
    else if (c === quote) {
      // YAML single quotes escape themselves by doubling.
      if (format === 'yaml' && quote === "'" && text[i + 1] === "'") i++;
      else return i;
    }
  }
  return -1;
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
  // yaml's own uniqueKeys check compares every pair of keys (quadratic: 60,000 keys took minutes);
  // duplicateKeys finds them in one pass.
  // Broken text is the normal case while typing: each YAML error is an Error whose stack trace is
  // never shown, and capturing their stacks showed in the profile of every keystroke.
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  let doc: ReturnType<typeof parseDocument>;
  try {
    doc = parseDocument(text, { prettyErrors: false, uniqueKeys: false });
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
  const syntaxFindings = doc.errors.map((error) => {
    const [start, end] = error.pos;
    // Messages end in " at line N, column M:" plus a code frame; the range already says where.
    const message = error.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
    return syntaxFinding(`YAML syntax error: ${message}`, index.rangeOf(start, Math.max(end, start)));
  });
  if (syntaxFindings.length === 0 && doc.contents) syntaxFindings.push(...duplicateYamlKeys(doc.contents as YamlNode, index));
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

/** Every key that repeats an earlier key of the same mapping, as a TSAE001 finding on the repeat. */
function duplicateYamlKeys(root: YamlNode, index: LineIndex): Finding[] {
  const findings: Finding[] = [];
  const stack: Array<{ node: YamlNode; depth: number }> = [{ node: root, depth: 0 }];
  while (stack.length > 0) {
    const { node, depth } = stack.pop()!;
    if (depth > MAX_NESTING) continue;
    if (isMap(node)) {
      const seen = new Map<string, number>();
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const keyNode = pair.key as YamlNode | null;
        if (isScalar(keyNode) && keyNode.range) {
          const name = String(keyNode.value);
          const first = seen.get(name);
          const [start, end] = keyNode.range;
          if (first === undefined) seen.set(name, start);
          else findings.push(duplicateKeyFinding(name, index, start, end, first));
        }
        if (pair.value) stack.push({ node: pair.value as YamlNode, depth: depth + 1 });
      }
    } else if (isSeq(node)) {
      for (const item of node.items) if (item) stack.push({ node: item as YamlNode, depth: depth + 1 });
    }
  }
  return findings.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
}

function duplicateKeyFinding(name: string, index: LineIndex, start: number, end: number, firstStart: number): Finding {
  const shown = name.length > 60 ? `${name.slice(0, 60)}...` : name;
  return syntaxFinding(`duplicate key "${shown}" (first on line ${index.positionAt(firstStart).line + 1}); keys must be unique`, index.rangeOf(start, end));
}

function nodeRange(node: YamlNode | null | undefined, index: LineIndex, text: string): Range | undefined {
  const range = node?.range;
  if (!range) return undefined;
  // Block collections end after their last line break; the range should end on the content.
  let end = range[1];
  while (end > range[0] && /\s/.test(text.charAt(end - 1))) end--;
  return index.rangeOf(range[0], end);
}

function mapYamlNode(text: string, node: YamlNode, path: string, key: Range | undefined, spans: Map<string, SourceSpan>, index: LineIndex, depth: number): void {
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
  const syntaxFindings = errors.map((error) => syntaxFinding(`JSON syntax error: ${describeJsonError(error.error)}`, index.rangeOf(error.offset, error.offset + error.length)));
  if (root && syntaxFindings.length === 0) syntaxFindings.push(...duplicateJsonKeys(root, index));
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

/** JSON allows repeated keys and keeps the last; a config must not, so they are reported as in YAML. */
function duplicateJsonKeys(root: jsonc.Node, index: LineIndex): Finding[] {
  const findings: Finding[] = [];
  const stack: Array<{ node: jsonc.Node; depth: number }> = [{ node: root, depth: 0 }];
  while (stack.length > 0) {
    const { node, depth } = stack.pop()!;
    if (depth > MAX_NESTING || !node.children) continue;
    if (node.type === 'object') {
      const seen = new Map<string, number>();
      for (const property of node.children) {
        const [keyNode, valueNode] = property.children ?? [];
        if (keyNode && typeof keyNode.value === 'string') {
          const first = seen.get(keyNode.value);
          if (first === undefined) seen.set(keyNode.value, keyNode.offset);
          else findings.push(duplicateKeyFinding(keyNode.value, index, keyNode.offset, keyNode.offset + keyNode.length, first));
        }
        if (valueNode) stack.push({ node: valueNode, depth: depth + 1 });
      }
    } else if (node.type === 'array') {
      for (const item of node.children) stack.push({ node: item, depth: depth + 1 });
    }
  }
  return findings.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
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

function mapJsonNode(node: jsonc.Node, path: string, key: Range | undefined, spans: Map<string, SourceSpan>, index: LineIndex, depth: number): void {
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
