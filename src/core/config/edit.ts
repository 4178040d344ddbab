// Minimal text edits that set one config value: replace it when present, otherwise insert the
// key (creating missing parent sections) under its nearest present ancestor, matching the
// surrounding style (YAML block or flow, JSON one-line or multi-line).

import type { TextEdit } from '../types';
import type { ParsedConfig, SourceSpan } from './document';
import { splitPath } from './schema';
import { LineIndex } from './text';
import { valueAt } from './validate';

export function setValueEdits(doc: ParsedConfig, configPath: string, value: unknown): TextEdit[] {
  const edits = editsForValue(doc, configPath, value);
  // Keep the file's line endings: inserted lines are built with \n.
  if (!doc.text.includes('\r\n')) return edits;
  return edits.map((edit) => ({ ...edit, newText: edit.newText.replace(/\r?\n/g, '\r\n') }));
}

function editsForValue(doc: ParsedConfig, configPath: string, value: unknown): TextEdit[] {
  // Python descriptions are edited by their own front end (src/core/python/edits.ts), never as config text.
  if (doc.format === 'python') return [];
  const index = new LineIndex(doc.text);
  const existing = doc.spans.get(configPath);
  if (existing && configPath !== '') {
    return [{ range: existing.value, newText: formatInline(doc.format, value) }];
  }
  const segments = splitPath(configPath);
  let depth = segments.length - 1;
  while (depth > 0 && !doc.spans.has(segments.slice(0, depth).join('.'))) depth--;
  const ancestorPath = segments.slice(0, depth).join('.');
  const firstMissing = segments[depth];
  const nested = nestValue(segments.slice(depth + 1), value);
  const ancestor = doc.spans.get(ancestorPath);
  if (!ancestor || firstMissing === undefined) return [];
  const opener = doc.text.charAt(index.offsetAt(ancestor.value.start));
  const children = childSpans(doc, ancestorPath);

  const ancestorValue = ancestorPath === '' ? doc.value : valueAt(doc.value, ancestorPath);
  // A key cannot go into a list, nor an item into a mapping.
  if (Array.isArray(ancestorValue) !== /^\d+$/.test(firstMissing) && ancestorValue !== null && typeof ancestorValue === 'object') {
    return [];
  }
  if (/^\d+$/.test(firstMissing)) {
    if (Number(firstMissing) !== children.length) return []; // only appending right after the last item is meaningful
    return opener === '[' ? [insertIntoFlow(doc, index, ancestor, children, undefined, nested)] : [appendBlockItem(doc, index, ancestor, children, nested)];
  }
  if (opener === '{') return [insertIntoFlow(doc, index, ancestor, children, firstMissing, nested)];
  if (children.length > 0 && doc.format === 'yaml') {
    return [appendBlockKey(doc, index, children, firstMissing, nested)];
  }
  // The ancestor has no collection to insert into (`training:` with nothing, an empty file):
  // write the whole section as its value.
  const section = { [firstMissing]: nested };
  if (doc.format === 'json') return [{ range: ancestor.value, newText: formatJson(section, '') }];
  if (ancestorPath === '') {
    const end = index.rangeOf(doc.text.length, doc.text.length);
    const prefix = doc.text.length > 0 && !doc.text.endsWith('\n') ? '\n' : '';
    return [{ range: end, newText: `${prefix}${formatYamlBlockEntries(section, '').slice(1)}\n` }];
  }
  const keyIndent = ancestor.key ? ' '.repeat(ancestor.key.start.character) : '';
  return [{ range: ancestor.value, newText: formatYamlBlockEntries(section, `${keyIndent}  `) }];
}

/** `{a: {b: value}}` for segments [a, b]; numeric segments become one-item lists. */
function nestValue(segments: string[], value: unknown): unknown {
  let result = value;
  for (let i = segments.length - 1; i >= 0; i--) {
    result = /^\d+$/.test(segments[i]) ? [result] : { [segments[i]]: result };
  }
  return result;
}

interface ChildSpan {
  key: string;
  span: SourceSpan;
}

/** Direct children of `parentPath`, in text order. */
function childSpans(doc: ParsedConfig, parentPath: string): ChildSpan[] {
  const prefix = parentPath === '' ? '' : `${parentPath}.`;
  const children: ChildSpan[] = [];
  for (const [path, span] of doc.spans) {
    if (path === '' || !path.startsWith(prefix)) continue;
    const rest = path.slice(prefix.length);
    if (!rest.includes('.')) children.push({ key: rest, span });
  }
  return children.sort((a, b) => compareStart(a.span, b.span));
}

function compareStart(a: SourceSpan, b: SourceSpan): number {
  const ra = a.key ?? a.value;
  const rb = b.key ?? b.value;
  return ra.start.line - rb.start.line || ra.start.character - rb.start.character;
}

/** End offset of everything written under `path` (its value and all descendants). */
function contentEnd(doc: ParsedConfig, index: LineIndex, path: string): number {
  let end = 0;
  const prefix = `${path}.`;
  for (const [p, span] of doc.spans) {
    if (p === path || p.startsWith(prefix)) end = Math.max(end, index.offsetAt(span.value.end));
  }
  // Block values end after trailing line breaks; the content ends at the last visible character.
  while (end > 0 && /\s/.test(doc.text.charAt(end - 1))) end--;
  return end;
}

function pathOf(doc: ParsedConfig, span: SourceSpan): string {
  for (const [p, s] of doc.spans) if (s === span) return p;
  return '';
}

function appendBlockKey(doc: ParsedConfig, index: LineIndex, children: ChildSpan[], key: string, value: unknown): TextEdit {
  const first = children[0].span;
  const indent = ' '.repeat((first.key ?? first.value).start.character);
  const last = children[children.length - 1];
  const end = contentEnd(doc, index, pathOf(doc, last.span));
  const at = index.lineEnd(index.positionAt(end).line);
  const position = index.positionAt(at);
  return { range: { start: position, end: position }, newText: formatYamlBlockEntries({ [key]: value }, indent) };
}

function appendBlockItem(doc: ParsedConfig, index: LineIndex, sequence: SourceSpan, items: ChildSpan[], item: unknown): TextEdit {
  const dashColumn = sequence.value.start.character;
  const indent = ' '.repeat(dashColumn);
  const end = items.length > 0 ? contentEnd(doc, index, pathOf(doc, items[items.length - 1].span)) : index.offsetAt(sequence.value.end);
  const at = index.lineEnd(index.positionAt(end).line);
  const position = index.positionAt(at);
  return { range: { start: position, end: position }, newText: `\n${indent}- ${formatYamlItem(item, `${indent}  `)}` };
}

function insertIntoFlow(doc: ParsedConfig, index: LineIndex, container: SourceSpan, children: ChildSpan[], key: string | undefined, value: unknown): TextEdit {
  const json = doc.format === 'json';
  const entry = (indent: string) => {
    const formatted = json ? formatJson(value, indent) : formatYamlFlow(value);
    if (key === undefined) return formatted;
    return json ? `${JSON.stringify(key)}: ${formatted}` : `${formatYamlKey(key)}: ${formatted}`;
  };
  if (children.length === 0) {
    const inside = index.positionAt(index.offsetAt(container.value.start) + 1);
    return { range: { start: inside, end: inside }, newText: entry('') };
  }
  const last = children[children.length - 1].span;
  const afterLast = last.value.end;
  const multiLine = container.value.start.line !== container.value.end.line && json;
  if (multiLine) {
    const lastStart = (last.key ?? last.value).start;
    const lineText = doc.text.slice(index.lineStart(lastStart.line), index.offsetAt(lastStart));
    const indent = /^\s*$/.test(lineText) ? lineText : '  ';
    return { range: { start: afterLast, end: afterLast }, newText: `,\n${indent}${entry(indent)}` };
  }
  return { range: { start: afterLast, end: afterLast }, newText: `, ${entry('')}` };
}

/** A value written where an existing value stood (always on one line). */
export function formatInline(format: 'yaml' | 'json', value: unknown): string {
  return format === 'json' ? formatJsonInline(value) : formatYamlFlow(value);
}

const YAML_RESERVED = /^(true|false|yes|no|on|off|y|n|null|~)$/i;

function formatYamlScalar(value: unknown): string {
  if (typeof value === 'string') {
    const plain = /^[A-Za-z_/.][\w ./-]*$/.test(value) && !value.endsWith(' ') && !YAML_RESERVED.test(value) && !/^[-+]?(\.\d|\d)/.test(value) && !/^\.(inf|nan)$/i.test(value);
    return plain ? value : JSON.stringify(value);
  }
  if (value === undefined || value === null) return 'null';
  return String(value);
}

function formatYamlKey(key: string): string {
  return formatYamlScalar(key);
}

export function formatYamlFlow(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(formatYamlFlow).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value)
      .map(([k, v]) => `${formatYamlKey(k)}: ${formatYamlFlow(v)}`)
      .join(', ')}}`;
  }
  return formatYamlScalar(value);
}

function isScalarList(value: unknown): boolean {
  return Array.isArray(value) && value.every((item) => item === null || typeof item !== 'object');
}

/** `\n<indent>key: value` lines for each entry, nesting mappings one level (two spaces) deeper. */
function formatYamlBlockEntries(entries: Record<string, unknown>, indent: string): string {
  return Object.entries(entries)
    .map(([key, value]) => `\n${indent}${formatYamlKey(key)}:${formatYamlBlockValue(value, indent)}`)
    .join('');
}

function formatYamlBlockValue(value: unknown, indent: string): string {
  if (Array.isArray(value) && !isScalarList(value)) {
    return value.map((item) => `\n${indent}  - ${formatYamlItem(item, `${indent}    `)}`).join('');
  }
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length > 0) {
    return formatYamlBlockEntries(value as Record<string, unknown>, `${indent}  `);
  }
  return ` ${formatYamlFlow(value)}`;
}

/** A sequence item after its `- `; mappings continue at `indent` on the following lines. */
function formatYamlItem(item: unknown, indent: string): string {
  if (item !== null && typeof item === 'object' && !Array.isArray(item) && Object.keys(item).length > 0) {
    return formatYamlBlockEntries(item as Record<string, unknown>, indent).replace(/^\n\s*/, '');
  }
  return formatYamlFlow(item);
}

export function formatJsonInline(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(formatJsonInline).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value)
      .map(([k, v]) => `${JSON.stringify(k)}: ${formatJsonInline(v)}`)
      .join(', ')}}`;
  }
  return value === undefined ? 'null' : JSON.stringify(value);
}

/** Multi-line JSON for mappings, each line after the first indented by `indent`. */
function formatJson(value: unknown, indent: string): string {
  if (value === null || typeof value !== 'object' || isScalarList(value)) return formatJsonInline(value);
  const inner = `${indent}  `;
  const entries = Array.isArray(value)
    ? value.map((item) => `${inner}${formatJson(item, inner)}`)
    : Object.entries(value).map(([k, v]) => `${inner}${JSON.stringify(k)}: ${formatJson(v, inner)}`);
  if (entries.length === 0) return Array.isArray(value) ? '[]' : '{}';
  const [open, close] = Array.isArray(value) ? ['[', ']'] : ['{', '}'];
  return `${open}\n${entries.join(',\n')}\n${indent}${close}`;
}
