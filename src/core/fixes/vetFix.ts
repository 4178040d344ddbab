// The fix planner's check before a fix is offered: the fixed config must lint without any new
// finding (a runtime fix that widens the latent to 50 behind 16-unit layers would trip TSAE103),
// a fix that introduces one is repaired with the new finding's own fix where that is possible,
// and a fix that changes how much training data there is says so in its title.

import { lintText, type LintResult } from '../lint';
import { createRuleContext } from '../rules/engine';
import { countTrainingWindows, trainingWindowsNote } from '../rules/facts';
import type { ConfigChange, ConfigFix, Finding } from '../types';
import { applyConfigChanges } from './configChanges';

/** Rounds of repair: a new finding's fix may itself need one more. */
const REPAIR_ROUNDS = 2;
/** A change of the training windows by more than this share is worth a word in the title. */
const DATA_CHANGE_SHARE = 0.1;

export type VetResult = { ok: true; fix: ConfigFix; text: string; trainingWindows?: { before: number; after: number } } | { ok: false; reason: string };

const keyOf = (f: Finding): string => `${f.code}@${f.configPath}`;
const counts = (f: Finding): boolean => f.severity === 'error' || f.severity === 'warning';

export function vetFix(text: string, fileName: string, fix: ConfigFix, baseline: LintResult = lintText(text, { fileName })): VetResult {
  const known = new Set(baseline.findings.filter(counts).map(keyOf));
  let changes: ConfigChange[] = [...fix.changes];
  for (let round = 0; ; round++) {
    let patched: string;
    try {
      patched = applyConfigChanges(text, fileName, changes);
    } catch (error) {
      return { ok: false, reason: error instanceof Error ? error.message : String(error) };
    }
    const result = lintText(patched, { fileName });
    const introduced = result.findings.filter((f) => counts(f) && !known.has(keyOf(f)));
    if (introduced.length === 0) {
      const repaired = changes.length > fix.changes.length;
      const vetted: ConfigFix = { ...fix, changes, ...(repaired ? { title: `${fix.title}, and ${describeChanges(changes.slice(fix.changes.length))}` } : {}) };
      return withDataNote(vetted, patched, baseline, result);
    }
    const touched = new Set(changes.map((c) => c.path));
    const repairs = introduced.flatMap((f) => f.fix?.changes ?? []).filter((c) => !touched.has(c.path));
    if (round >= REPAIR_ROUNDS || repairs.length === 0 || introduced.some((f) => !f.fix)) {
      return { ok: false, reason: `the fixed config would trip ${introduced.map((f) => `${f.code} (${f.configPath})`).join(', ')}` };
    }
    changes = [...changes, ...dedupe(repairs)];
  }
}

function withDataNote(fix: ConfigFix, text: string, before: LintResult, after: LintResult): VetResult {
  const windowsBefore = trainingWindowsOf(before);
  const windowsAfter = trainingWindowsOf(after);
  if (windowsBefore === undefined || windowsAfter === undefined || windowsBefore === windowsAfter) return { ok: true, fix, text };
  const trainingWindows = { before: windowsBefore, after: windowsAfter };
  const share = Math.abs(windowsAfter - windowsBefore) / Math.max(windowsBefore, 1);
  if (share <= DATA_CHANGE_SHARE) return { ok: true, fix, text, trainingWindows };
  const note = trainingWindowsNote(windowsBefore, windowsAfter);
  // A rule that already states the consequence in its own title is not repeated.
  return { ok: true, fix: fix.title.includes(note) ? fix : { ...fix, title: `${fix.title} (${note})` }, text, trainingWindows };
}

function trainingWindowsOf(result: LintResult): number | undefined {
  if (!result.parsed || !result.resolved) return undefined;
  return countTrainingWindows(createRuleContext(result.parsed, result.resolved, result.probe))?.train;
}

function describeChanges(changes: readonly ConfigChange[]): string {
  return changes.map((c) => `set ${c.path} to ${typeof c.value === 'string' ? c.value : JSON.stringify(c.value)}`).join(', ');
}

function dedupe(changes: readonly ConfigChange[]): ConfigChange[] {
  const byPath = new Map<string, ConfigChange>();
  for (const change of changes) if (!byPath.has(change.path)) byPath.set(change.path, change);
  return [...byPath.values()];
}
