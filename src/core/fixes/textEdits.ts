// Text edits in LSP coordinates applied to a string, and the one edit that turns a text into
// another: what the editor, `tsae lint --fix` and the fix planner all use to move between a fix
// and the text it changes.

import { LineIndex } from '../config/text';
import type { TextEdit } from '../types';

interface OffsetEdit {
  start: number;
  end: number;
  newText: string;
}

function located(index: LineIndex, edits: readonly TextEdit[]): OffsetEdit[] {
  return edits.map((e) => ({ start: index.offsetAt(e.range.start), end: index.offsetAt(e.range.end), newText: e.newText }));
}

/** Two edits conflict when their ranges share text, or both insert at the same point (their order would be arbitrary). */
function clash(a: OffsetEdit, b: OffsetEdit): boolean {
  return (a.start < b.end && b.start < a.end) || a.start === b.start;
}

/** Applies edits whose ranges all refer to `text`, as an editor does; throws on overlapping edits. */
export function applyTextEdits(text: string, edits: readonly TextEdit[]): string {
  const all = located(new LineIndex(text), edits).sort((a, b) => b.start - a.start || b.end - a.end);
  for (let i = 1; i < all.length; i++) if (clash(all[i], all[i - 1])) throw new Error('overlapping edits');
  return all.reduce((result, edit) => result.slice(0, edit.start) + edit.newText + result.slice(edit.end), text);
}

/**
 * Applies whole groups of edits (all of a group or none) that touch no earlier chosen group;
 * returns the text and how many groups went in.
 */
export function applyNonOverlapping(text: string, groups: readonly (readonly TextEdit[])[]): { text: string; applied: number } {
  const index = new LineIndex(text);
  const chosen: OffsetEdit[] = [];
  let applied = 0;
  for (const group of groups) {
    const edits = located(index, group);
    if (edits.some((a) => chosen.some((b) => clash(a, b)))) continue;
    chosen.push(...edits);
    applied++;
  }
  chosen.sort((a, b) => b.start - a.start);
  let result = text;
  for (const edit of chosen) result = result.slice(0, edit.start) + edit.newText + result.slice(edit.end);
  return { text: result, applied };
}

/** The single smallest edit that turns `before` into `after` (common prefix and suffix kept); undefined when equal. */
export function replacementEdit(before: string, after: string): TextEdit | undefined {
  if (before === after) return undefined;
  let start = 0;
  const max = Math.min(before.length, after.length);
  while (start < max && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let end = 0;
  while (end < max - start && before.charCodeAt(before.length - 1 - end) === after.charCodeAt(after.length - 1 - end)) end++;
  const index = new LineIndex(before);
  return { range: { start: index.positionAt(start), end: index.positionAt(before.length - end) }, newText: after.slice(start, after.length - end) };
}
