// Applying a chosen kind of fix to a config until none is left: `tsae lint --fix` and the
// editor's "Fix all" both call this, so they produce the same text. A fix can move text other
// fixes point into, and one fix can change what another rule suggests (TSAE108's batch size
// depends on the stride), so each pass applies only non-overlapping fixes and the file is linted
// again; passes stop when nothing is left, or after a bound against fixes that undo each other.

import { lintText } from '../lint';
import type { Finding } from '../types';
import { applyNonOverlapping } from './textEdits';

const MAX_PASSES = 10;

export interface FixResult {
  text: string;
  /** Fixes applied over all passes. */
  applied: number;
  /** Findings of the final text. */
  findings: Finding[];
}

export const isSafeFix = (finding: Finding): boolean => finding.fix?.safety === 'safe';

export function applyFixes(text: string, fileName: string, select: (finding: Finding) => boolean = isSafeFix): FixResult {
  let current = text;
  let applied = 0;
  let findings = lintText(current, { fileName }).findings;
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const chosen = findings.filter((f) => select(f) && (f.fix?.edits.length ?? 0) > 0);
    if (chosen.length === 0) break;
    const next = applyNonOverlapping(
      current,
      chosen.map((f) => f.fix!.edits),
    );
    if (next.applied === 0 || next.text === current) break;
    current = next.text;
    applied += next.applied;
    findings = lintText(current, { fileName }).findings;
  }
  return { text: current, applied, findings };
}
