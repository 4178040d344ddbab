// Config changes ({path, value}) made in a config text: the fix planner, the diagnosis and the
// language server turn every fix into edits here, so a fix means the same text everywhere.

import { setValueEdits } from '../config/edit';
import { parseConfig } from '../config/parse';
import { valueAt } from '../config/validate';
import type { ConfigChange, TextEdit } from '../types';
import { applyTextEdits, replacementEdit } from './textEdits';

/**
 * The config text with every change made, one after the other (each on a fresh parse, since
 * inserting a key moves what the next change points into). Throws when a change cannot be made
 * (the text no longer parses, or a path runs through a scalar).
 */
export function applyConfigChanges(text: string, fileName: string, changes: readonly ConfigChange[]): string {
  let current = text;
  for (const change of changes) {
    const parsed = parseConfig(current, fileName);
    if (parsed.syntaxFindings.length > 0) throw new Error(`cannot set ${change.path}: the config does not parse`);
    const edits = setValueEdits(parsed, change.path, change.value);
    if (edits.length === 0 && !sameValue(parsed.value, change)) throw new Error(`cannot set ${change.path} in this config`);
    current = applyTextEdits(current, edits);
  }
  return current;
}

/** Edits that make `changes` in `text`: a single change's minimal edits, or one replacement covering several. */
export function configChangeEdits(text: string, fileName: string, changes: readonly ConfigChange[]): TextEdit[] {
  if (changes.length === 1) {
    const parsed = parseConfig(text, fileName);
    if (parsed.syntaxFindings.length === 0) return setValueEdits(parsed, changes[0].path, changes[0].value);
  }
  try {
    const edit = replacementEdit(text, applyConfigChanges(text, fileName, changes));
    return edit ? [edit] : [];
  } catch {
    return [];
  }
}

function sameValue(root: unknown, change: ConfigChange): boolean {
  return JSON.stringify(valueAt(root, change.path)) === JSON.stringify(change.value);
}
