// Test helpers for ranges and edits in LSP coordinates (0-based line, UTF-16 character), the
// coordinates findings and fixes use.

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Range, TextEdit } from '../../src/core/types';

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\r' && text[i + 1] === '\n') continue;
    if (text[i] === '\n' || text[i] === '\r') starts.push(i + 1);
  }
  return starts;
}

export function offsetAt(text: string, position: Range['start']): number {
  const starts = lineStarts(text);
  if (position.line >= starts.length) throw new RangeError(`line ${position.line} is past the end of the text (${starts.length} lines)`);
  return starts[position.line] + position.character;
}

export function positionAt(text: string, offset: number): Range['start'] {
  const starts = lineStarts(text);
  let line = 0;
  while (line + 1 < starts.length && starts[line + 1] <= offset) line++;
  return { line, character: offset - starts[line] };
}

/** Applies non-overlapping edits as an editor would: all ranges refer to the original text. */
export function applyEdits(text: string, edits: TextEdit[]): string {
  const located = edits
    .map((edit) => ({ start: offsetAt(text, edit.range.start), end: offsetAt(text, edit.range.end), newText: edit.newText }))
    .sort((a, b) => b.start - a.start || b.end - a.end);
  for (let i = 1; i < located.length; i++) {
    if (located[i].end > located[i - 1].start) throw new Error('overlapping edits');
  }
  return located.reduce((result, edit) => result.slice(0, edit.start) + edit.newText + result.slice(edit.end), text);
}

/** Range of the `occurrence`-th (0-based) match of `needle` in `text`; throws when absent so a test cannot pass vacuously. */
export function rangeOfText(text: string, needle: string, occurrence = 0): Range {
  let at = -1;
  for (let i = 0; i <= occurrence; i++) {
    at = text.indexOf(needle, at + 1);
    if (at < 0) throw new Error(`"${needle}" (occurrence ${occurrence}) not found in:\n${text}`);
  }
  return { start: positionAt(text, at), end: positionAt(text, at + needle.length) };
}

/** The repository root, found from the compiled test's folder whatever the outDir is. */
export function repoRoot(): string {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).name === 'tsae') return dir;
    if (dirname(dir) === dir) break;
  }
  return process.cwd();
}
