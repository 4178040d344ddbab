// Finds the line of a dotted config path (`model.latent.activation`, `model.encoder.0.units`) in
// a config's text, so "Go to config" can reveal the key a finding blames even when the language
// server has no diagnostic for it (the run is old, or the text changed since).

import * as YAML from 'yaml';
import { findNodeAtLocation, parseTree } from 'jsonc-parser';

export interface TextPosition {
  line: number;
  character: number;
}

/**
 * The position of the deepest key of `configPath` that exists in the text: if the exact key is
 * absent (the finding blames a default), its nearest written ancestor is the place to add it.
 * Undefined when not even the first segment is written or the text does not parse.
 */
export function locateConfigPath(text: string, configPath: string, format: 'yaml' | 'json'): TextPosition | undefined {
  const segments = configPath.split('.').filter((s) => s !== '');
  if (segments.length === 0) return undefined;
  const offset = format === 'json' ? jsonKeyOffset(text, segments) : yamlKeyOffset(text, segments);
  return offset === undefined ? undefined : positionAt(text, offset);
}

export function formatOf(fileName: string): 'yaml' | 'json' {
  return /\.json$/i.test(fileName) ? 'json' : 'yaml';
}

function yamlKeyOffset(text: string, segments: string[]): number | undefined {
  const doc = YAML.parseDocument(text);
  let node: unknown = doc.contents;
  let found: number | undefined;
  for (const segment of segments) {
    if (YAML.isMap(node)) {
      const pair = node.items.find((p) => YAML.isScalar(p.key) && String(p.key.value) === segment);
      if (!pair) break;
      const keyRange = YAML.isScalar(pair.key) ? pair.key.range : undefined;
      if (keyRange) found = keyRange[0];
      node = pair.value;
    } else if (YAML.isSeq(node) && /^\d+$/.test(segment)) {
      const item = node.items[Number(segment)];
      if (item === undefined) break;
      const range = YAML.isNode(item) ? item.range : undefined;
      if (range) found = range[0];
      node = item;
    } else {
      break;
    }
  }
  return found;
}

function jsonKeyOffset(text: string, segments: string[]): number | undefined {
  const root = parseTree(text);
  if (!root) return undefined;
  for (let depth = segments.length; depth > 0; depth--) {
    const path = segments.slice(0, depth).map((s) => (/^\d+$/.test(s) ? Number(s) : s));
    const node = findNodeAtLocation(root, path);
    if (!node) continue;
    // For a property value, point at its key (the property node starts at the key's quote).
    return node.parent?.type === 'property' ? node.parent.offset : node.offset;
  }
  return undefined;
}

function positionAt(text: string, offset: number): TextPosition {
  let line = 0;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, character: offset - lineStart };
}
