// Completion of config keys, enum values and data column names, from the schema (the one source
// of truth for fields) and the data file's header. TSAE configs have their own language ids, so
// the YAML and JSON language services never see them; without this there is no completion.
//
// The text being typed is usually not valid yet. JSON: jsonc-parser locates the cursor in broken
// text. YAML: the word at the cursor is replaced by a placeholder key or value, which makes the
// line valid, and the core parser's source map says which config path the placeholder landed on.

import * as fs from 'node:fs';
import { dirname, resolve } from 'node:path';
import * as jsonc from 'jsonc-parser';
import { CompletionItemKind, InsertTextFormat, InsertTextMode, MarkupKind, type CompletionItem } from 'vscode-languageserver/node';
import { parseConfig } from '../core/config/parse';
import { deref, propertyNames, schemaAt, type JsonSchema } from '../core/config/schema';
import { probeData } from '../core/data/probe';
import { mayReadData } from '../core/data/access';
import { dataRoots } from './dataAccess';
import type { Position, Range } from '../core/types';

const PLACEHOLDER = 'tsaeCompletionPlaceholder';

/** Fields whose values are column names of the data file. */
const COLUMN_FIELD = /^(data\.columns\.\d+|task\.targetColumns\.\d+|data\.timestamp|data\.label)$/;
/** Fields listing feature columns: numeric ones, without the timestamp, the label and those already listed. */
const FEATURE_LIST = /^(data\.columns|task\.targetColumns)\.\d+$/;
/** Files offered for `data.path`: the formats the readers take. */
const DATA_FILE = /\.(csv|txt|tsv|data|dat)$/i;
/** Folders never offered for `data.path`. */
const SKIPPED_FOLDERS = new Set(['node_modules', '.git', '.tsae', 'out', 'dist']);
const MAX_PATH_ITEMS = 200;

/**
 * Characters that open completion while typing (editor.quickSuggestions covers letters): `:`
 * and a space after a key for its values, `[` `,` in flow lists, `"` in JSON, `/` in data.path.
 */
export const TRIGGER_CHARACTERS = [':', '"', '[', ',', ' ', '/'];

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
  /** The part of the value typed before the cursor (data.path completion lists what is under it). */
  typed: string;
}

/** `trigger` is the character that opened completion, when one did (not for letters or Ctrl+Space). */
export function completionsAt(text: string, position: Position, fileName: string, trigger?: string): CompletionItem[] {
  const site = /\.json$/i.test(fileName) ? jsonSite(text, position) : yamlSite(text, position, fileName);
  if (!site) return [];
  const schema = schemaAt(site.path);
  const keys = site.kind === 'key' && schema !== undefined && propertyNames(schema).length > 0;
  // A space opens completion only for a value (`key: `); spaces of indentation open nothing.
  if (trigger === ' ' && (keys || site.kind === 'key')) return [];
  if (trigger === '/' && site.path !== 'data.path') return [];
  if (keys) return keyItems(site, schema);
  if (site.path === 'data.path') return pathItems(site, fileName);
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
        // The inserted lines carry their full indentation; the editor must not add the line's again.
        insertTextMode: InsertTextMode.asIs,
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
    for (const column of columnsFor(site.path, site.value, fileName)) values.push(column);
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

interface DataColumns {
  /** Header names in file order. */
  all: string[];
  /** Columns whose values are mostly numbers. */
  numeric: Set<string>;
}

/** Header names of the data file the config names, when it can be read (CSV only). */
function dataColumns(value: unknown, fileName: string): DataColumns | undefined {
  const data = isObject(value) ? value.data : undefined;
  const path = isObject(data) ? data.path : undefined;
  if (typeof path !== 'string' || path === '') return undefined;
  const format = isObject(data) && (data.format === 'csv' || data.format === 'ucr') ? data.format : undefined;
  const file = resolve(dirname(resolve(fileName)), path);
  if (!mayReadData(file, dataRoots())) return undefined;
  const probe = probeData(file, { format });
  if (!probe.ok || probe.probe.format !== 'csv') return undefined;
  return { all: probe.probe.columns, numeric: new Set(Object.keys(probe.probe.stats)) };
}

/**
 * Column names for a column field. Feature lists get numeric columns only, never the timestamp,
 * the label or a column already listed; `data.timestamp` lists non-numeric (date) columns first;
 * `data.label` leaves out the timestamp.
 */
function columnsFor(fieldPath: string, value: unknown, fileName: string): Array<{ value: string; detail: string }> {
  const columns = dataColumns(value, fileName);
  if (!columns) return [];
  const data = isObject(value) && isObject(value.data) ? value.data : {};
  const timestamp = typeof data.timestamp === 'string' && data.timestamp !== PLACEHOLDER ? data.timestamp : undefined;
  const label = typeof data.label === 'string' ? data.label : typeof data.label === 'number' ? columns.all[data.label] : undefined;
  const describe = (name: string): string => (columns.numeric.has(name) ? 'numeric column of the data file' : 'non-numeric column of the data file');
  if (FEATURE_LIST.test(fieldPath)) {
    const listName = fieldPath.slice(0, fieldPath.lastIndexOf('.'));
    const listed = new Set(listAt(value, listName));
    const excluded = new Set([timestamp, label].filter((n): n is string => n !== undefined));
    return columns.all.filter((n) => columns.numeric.has(n) && !excluded.has(n) && !listed.has(n)).map((n) => ({ value: n, detail: describe(n) }));
  }
  if (fieldPath === 'data.timestamp') {
    const ordered = [...columns.all.filter((n) => !columns.numeric.has(n)), ...columns.all.filter((n) => columns.numeric.has(n))];
    return ordered.map((n) => ({ value: n, detail: describe(n) }));
  }
  return columns.all.filter((n) => n !== timestamp).map((n) => ({ value: n, detail: describe(n) }));
}

/** The string items of the list at a dotted path (the completion placeholder left out). */
function listAt(value: unknown, dotted: string): string[] {
  let node: unknown = value;
  for (const segment of dotted.split('.')) node = isObject(node) ? node[segment] : undefined;
  return Array.isArray(node) ? node.filter((v): v is string => typeof v === 'string' && v !== PLACEHOLDER) : [];
}

/**
 * `data.path`: data files and folders under what has been typed, relative to the config's folder.
 * Accepting a folder inserts it with a trailing `/` and opens completion again inside it.
 */
function pathItems(site: CompletionSite, fileName: string): CompletionItem[] {
  const typed = site.typed;
  const folderPart = typed.includes('/') ? typed.slice(0, typed.lastIndexOf('/') + 1) : '';
  const folder = resolve(dirname(resolve(fileName)), folderPart === '' ? '.' : folderPart);
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(folder, { withFileTypes: true });
  } catch {
    return [];
  }
  const items: CompletionItem[] = [];
  const sorted = entries.filter((e) => !e.name.startsWith('.')).sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of sorted) {
    if (items.length >= MAX_PATH_ITEMS) break;
    const isFolder = entry.isDirectory();
    if (isFolder ? SKIPPED_FOLDERS.has(entry.name) : !(entry.isFile() && DATA_FILE.test(entry.name))) continue;
    const path = `${folderPart}${entry.name}${isFolder ? '/' : ''}`;
    const item: CompletionItem = {
      label: `${entry.name}${isFolder ? '/' : ''}`,
      kind: isFolder ? CompletionItemKind.Folder : CompletionItemKind.File,
      detail: isFolder ? 'folder' : 'data file',
      // Files before folders: a data file next to the config is the usual answer.
      sortText: `${isFolder ? 1 : 0}${entry.name}`,
      filterText: path,
      textEdit: { range: site.replace, newText: site.lead + (site.format === 'json' ? JSON.stringify(path) : path) },
    };
    if (isFolder) {
      item.command = { title: 'Complete the path', command: 'editor.action.triggerSuggest' };
      if (site.format === 'json') {
        // The cursor must stay inside the quotes to go on typing the path.
        item.insertTextFormat = InsertTextFormat.Snippet;
        item.textEdit = { range: site.replace, newText: `"${path.replace(/[\\$}"]/g, (c) => `\\${c}`)}$0"` };
      }
    }
    items.push(item);
  }
  return items;
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
  // A word may hold `/` (a path in data.path); keys and other values never do.
  const prefix = /[\w$./-]*$/.exec(before)?.[0] ?? '';
  const head = before.slice(0, before.length - prefix.length);
  const tail = line.slice(position.character).replace(/^[\w$./-]*/, '');
  const start = position.character - prefix.length;
  const replace: Range = {
    start: { line: position.line, character: start },
    end: { line: position.line, character: start + prefix.length + (line.slice(position.character).match(/^[\w$./-]*/)?.[0].length ?? 0) },
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
      typed: prefix,
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
    return { kind: 'key', path: parent, replace, present, value, format: 'json', indent: 0, lead: '', keyHasColon: false, typed: '' };
  }
  // The string typed so far, up to the cursor, without its opening quote.
  const typed = node && node.type === 'string' && node.offset < offset ? text.slice(node.offset + 1, offset).replace(/"$/, '') : '';
  return { kind: 'value', path: path.join('.'), replace, present: new Set(), value, format: 'json', indent: 0, lead: '', keyHasColon: false, typed };
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
