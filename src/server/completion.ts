// Completion of config keys, enum values and data column names, from the schema (the one source
// of truth for fields) and the data file's header. TSAE configs have their own language ids, so
// the YAML and JSON language services never see them; without this there is no completion.
//
// The text being typed is usually not valid yet. JSON: jsonc-parser locates the cursor in broken
// text. YAML: the word at the cursor is replaced by a placeholder key or value, which makes the
// line valid, and the core parser's source map says which config path the placeholder landed on.

import { dirname, resolve } from 'node:path';
import * as jsonc from 'jsonc-parser';
import { CompletionItemKind, MarkupKind, type CompletionItem } from 'vscode-languageserver/node';
import { parseConfig } from '../core/config/parse';
import { deref, propertyNames, schemaAt, type JsonSchema } from '../core/config/schema';
import { probeData } from '../core/data/probe';
import type { Position, Range } from '../core/types';

const PLACEHOLDER = 'tsaeCompletionPlaceholder';

/** Fields whose values are column names of the data file. */
const COLUMN_FIELD = /^(data\.columns\.\d+|task\.targetColumns\.\d+|data\.timestamp|data\.label)$/;

interface CompletionSite {
  /** `key`: a property name of the object at `path`; `value`: a value for the field at `path`. */
  kind: 'key' | 'value';
  path: string;
  /** What the completion replaces: the partial word at the cursor. */
  replace: Range;
  /** Keys already written in the object (not offered again). */
  present: Set<string>;
  /** The config value as far as it could be parsed, to find the data file. */
  value: unknown;
  format: 'yaml' | 'json';
  /** YAML: indentation of the key being typed, for multi-line inserts. */
  indent: number;
  /** Put before the inserted text (a space after a `key:` typed a moment ago). */
  lead: string;
  /** YAML: the key's colon is already written after the cursor, so only the name is inserted. */
  keyHasColon: boolean;
}

export function completionsAt(text: string, position: Position, fileName: string): CompletionItem[] {
  const site = /\.json$/i.test(fileName) ? jsonSite(text, position) : yamlSite(text, position, fileName);
  if (!site) return [];
  const schema = schemaAt(site.path);
  if (site.kind === 'key' && schema && propertyNames(schema).length > 0) return keyItems(site, schema);
  // A `- ` item in a list of scalars (e.g. data.columns) reads like a key; complete it as a value.
  return valueItems(site, schema, fileName);
}

function keyItems(site: CompletionSite, schema: JsonSchema): CompletionItem[] {
  const resolved = deref(schema);
  const required = new Set(resolved.required ?? []);
  return propertyNames(schema)
    .filter((name) => !site.present.has(name) && name !== '$schema')
    .map((name) => {
      const child = schemaAt(joinPath(site.path, name)) ?? {};
      return {
        label: name,
        kind: CompletionItemKind.Property,
        detail: typeLabel(child) + (required.has(name) ? ' (required)' : ''),
        documentation: documentationOf(child),
        // Required keys first, then the schema's order.
        sortText: `${required.has(name) ? 0 : 1}${String(propertyNames(schema).indexOf(name)).padStart(3, '0')}`,
        textEdit: { range: site.replace, newText: keyInsertText(site, name, child) },
      };
    });
}

function valueItems(site: CompletionSite, schema: JsonSchema | undefined, fileName: string): CompletionItem[] {
  const values: { value: unknown; detail?: string }[] = [];
  if (schema) {
    const resolved = deref(schema);
    for (const value of resolved.enum ?? []) values.push({ value, detail: value === resolved.default ? 'default' : undefined });
    const types = Array.isArray(resolved.type) ? resolved.type : [resolved.type];
    if (types.includes('boolean') && !resolved.enum) values.push({ value: true }, { value: false });
    for (const branch of resolved.oneOf?.map(deref) ?? []) {
      if (branch.const !== undefined) values.push({ value: branch.const });
      if (branch.type === 'boolean') values.push({ value: true }, { value: false });
    }
  }
  if (COLUMN_FIELD.test(site.path)) {
    for (const column of dataColumns(site.value, fileName)) values.push({ value: column, detail: 'column of the data file' });
  }
  const seen = new Set<string>();
  return values
    .filter(({ value }) => {
      const key = JSON.stringify(value);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .map(({ value, detail }, index) => ({
      label: String(value),
      kind: typeof value === 'string' ? CompletionItemKind.EnumMember : CompletionItemKind.Value,
      detail,
      sortText: String(index).padStart(3, '0'),
      textEdit: { range: site.replace, newText: site.lead + (site.format === 'json' ? JSON.stringify(value) : String(value)) },
    }));
}

/** Header names of the data file the config names, when it can be read. */
function dataColumns(value: unknown, fileName: string): string[] {
  const data = isObject(value) ? value.data : undefined;
  const path = isObject(data) ? data.path : undefined;
  if (typeof path !== 'string' || path === '') return [];
  const format = isObject(data) && (data.format === 'csv' || data.format === 'ucr') ? data.format : undefined;
  const probe = probeData(resolve(dirname(resolve(fileName)), path), format);
  return probe.ok && probe.probe.format === 'csv' ? probe.probe.columns : [];
}

function keyInsertText(site: CompletionSite, name: string, child: JsonSchema): string {
  if (site.format === 'json') return `"${name}": `;
  if (site.keyHasColon) return name;
  const resolved = deref(child);
  const inner = ' '.repeat(site.indent + 2);
  if (resolved.type === 'object') return `${name}:\n${inner}`;
  if (resolved.type === 'array' && resolved.items && !Array.isArray(resolved.items) && deref(resolved.items).type === 'object') {
    return `${name}:\n${inner}- `;
  }
  return `${name}: `;
}

function typeLabel(schema: JsonSchema): string {
  const resolved = deref(schema);
  if (resolved.enum) return resolved.enum.map((v) => JSON.stringify(v)).join(' | ');
  const type = Array.isArray(resolved.type) ? resolved.type.join(' | ') : (resolved.type ?? (resolved.oneOf ? 'one of several forms' : 'value'));
  return resolved.default !== undefined ? `${type}, default ${JSON.stringify(resolved.default)}` : type;
}

function documentationOf(schema: JsonSchema): CompletionItem['documentation'] {
  const resolved = deref(schema);
  const text = resolved.markdownDescription ?? resolved.description;
  return text ? { kind: MarkupKind.Markdown, value: text } : undefined;
}

// --- Where the cursor is -------------------------------------------------------------------

function yamlSite(text: string, position: Position, fileName: string): CompletionSite | undefined {
  const lines = text.split(/\r?\n/);
  const line = lines[position.line];
  if (line === undefined) return undefined;
  const before = line.slice(0, position.character);
  if (/(^|\s)#/.test(before)) return undefined;
  const prefix = /[\w$.-]*$/.exec(before)?.[0] ?? '';
  const head = before.slice(0, before.length - prefix.length);
  const tail = line.slice(position.character).replace(/^[\w$.-]*/, '');
  const start = position.character - prefix.length;
  const replace: Range = {
    start: { line: position.line, character: start },
    end: { line: position.line, character: start + prefix.length + (line.slice(position.character).match(/^[\w$.-]*/)?.[0].length ?? 0) },
  };

  let kind: 'key' | 'value';
  let edited: string;
  // Right after `key:` (the completion was triggered by the colon) the value needs a space first.
  const lead = /:$/.test(head) ? ' ' : '';
  if (/^\s*(-\s+)*$/.test(head)) {
    kind = 'key';
    edited = `${head}${PLACEHOLDER}: 0`;
  } else if (/:\s*$/.test(head) || /[[,]\s*$/.test(head)) {
    kind = 'value';
    edited = `${head}${lead}${PLACEHOLDER}${tail}`;
  } else {
    return undefined;
  }
  const placeholderAt = start + lead.length;
  lines[position.line] = edited;
  const parsed = parseConfig(lines.join('\n'), fileName, 'yaml');
  for (const [path, span] of parsed.spans) {
    const onPlaceholder = kind === 'key' ? span.key : span.value;
    if (!onPlaceholder || onPlaceholder.start.line !== position.line || onPlaceholder.start.character !== placeholderAt) continue;
    const parent = kind === 'key' ? path.slice(0, Math.max(path.lastIndexOf('.'), 0)) : path;
    return {
      kind,
      path: parent,
      replace,
      present: siblingKeys(parsed.spans.keys(), parent),
      value: parsed.value,
      format: 'yaml',
      indent: start,
      lead,
      keyHasColon: kind === 'key' && /^\s*:/.test(tail),
    };
  }
  return undefined;
}

function jsonSite(text: string, position: Position): CompletionSite | undefined {
  const offset = offsetAt(text, position);
  const location = jsonc.getLocation(text, offset);
  const node = location.previousNode;
  // The token being typed (a partial key or literal) is replaced whole, quotes included.
  const replace: Range =
    node && node.offset <= offset && offset <= node.offset + node.length
      ? { start: positionAt(text, node.offset), end: positionAt(text, node.offset + node.length) }
      : { start: position, end: position };
  const path = location.path.map(String);
  const value = jsonc.parse(text, [], { allowTrailingComma: true });
  if (location.isAtPropertyKey) {
    // The last segment is the key being typed (possibly still empty).
    const parent = path.slice(0, -1).join('.');
    const present = siblingKeysOf(value, parent);
    return { kind: 'key', path: parent, replace, present, value, format: 'json', indent: 0, lead: '', keyHasColon: false };
  }
  return { kind: 'value', path: path.join('.'), replace, present: new Set(), value, format: 'json', indent: 0, lead: '', keyHasColon: false };
}

function siblingKeys(paths: Iterable<string>, parent: string): Set<string> {
  const keys = new Set<string>();
  const depth = parent === '' ? 0 : parent.split('.').length;
  for (const path of paths) {
    const segments = path === '' ? [] : path.split('.');
    if (segments.length === depth + 1 && (parent === '' || path.startsWith(`${parent}.`))) keys.add(segments[depth]);
  }
  keys.delete(PLACEHOLDER);
  return keys;
}

function siblingKeysOf(value: unknown, parent: string): Set<string> {
  let node: unknown = value;
  for (const segment of parent === '' ? [] : parent.split('.')) node = isObject(node) ? node[segment] : undefined;
  return new Set(isObject(node) ? Object.keys(node) : []);
}

function joinPath(parent: string, key: string): string {
  return parent === '' ? key : `${parent}.${key}`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function offsetAt(text: string, position: Position): number {
  let offset = 0;
  for (let line = 0; line < position.line; line++) {
    const next = text.indexOf('\n', offset);
    if (next < 0) return text.length;
    offset = next + 1;
  }
  return Math.min(offset + position.character, text.length);
}

function positionAt(text: string, offset: number): Position {
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return { line, character: offset - (before.lastIndexOf('\n') + 1) };
}
