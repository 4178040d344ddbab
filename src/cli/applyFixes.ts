// `tsae lint --fix`: applies the fixes marked safe, the way an editor's "fix all" does. A fix
// can move text other fixes point into, so each pass applies only non-overlapping fixes and the
// file is linted again; passes stop when nothing safe is left (or after a bound, against a
// pair of fixes that would undo each other forever).

import { LineIndex } from '../core/config/text';
import { lintText } from '../core/lint';
import type { Finding, TextEdit } from '../core/types';

const MAX_PASSES = 10;

export interface FixResult {
  text: string;
  /** Fixes applied over all passes. */
  applied: number;
  /** Findings of the final text. */
  findings: Finding[];
}

export function applySafeFixes(text: string, fileName: string): FixResult {
  let current = text;
  let applied = 0;
  let findings = lintText(current, { fileName }).findings;
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const safe = findings.filter((f) => f.fix?.safety === 'safe' && f.fix.edits.length > 0);
    if (safe.length === 0) break;
    const { text: next, count } = applyNonOverlapping(current, safe.map((f) => f.fix!.edits));
    if (count === 0 || next === current) break;
    current = next;
    applied += count;
    findings = lintText(current, { fileName }).findings;
  }
  return { text: current, applied, findings };
}

interface OffsetEdit {
  start: number;
  end: number;
  newText: string;
}

/** Applies whole fixes (all of a fix's edits or none) whose edits touch no other chosen fix. */
function applyNonOverlapping(text: string, fixes: TextEdit[][]): { text: string; count: number } {
  const index = new LineIndex(text);
  const chosen: OffsetEdit[] = [];
  let count = 0;
  for (const edits of fixes) {
    const located = edits.map((e) => ({ start: index.offsetAt(e.range.start), end: index.offsetAt(e.range.end), newText: e.newText }));
    // Two insertions at the same point also conflict: their order would be arbitrary.
    const clashes = located.some((a) => chosen.some((b) => a.start < b.end && b.start < a.end || a.start === b.start));
    if (clashes) continue;
    chosen.push(...located);
    count++;
  }
  chosen.sort((a, b) => b.start - a.start);
  let result = text;
  for (const edit of chosen) result = result.slice(0, edit.start) + edit.newText + result.slice(edit.end);
  return { text: result, count };
}
