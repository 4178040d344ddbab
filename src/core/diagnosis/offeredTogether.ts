// The fixes a diagnosed run offers, one per finding, taken together: a user who applies all of
// them must get a config that sets each key once and that the linter accepts. When two findings
// offer different values for the same key, the stronger finding's value wins (verified before
// hypothesis, then the order of the findings) and the weaker finding offers the stronger one's
// fix. The union is then vetted like any single fix (fixes/vetFix.ts); what cannot be made
// consistent is said in a note rather than silently offered.

import { vetFix } from '../fixes/vetFix';
import type { RunFinding } from '../run/types';
import type { ConfigChange } from '../types';
import type { ConfigSourceFile } from '../run/types';

export interface TogetherResult {
  findings: RunFinding[];
  /** Sentences for Diagnosis.notes: conflicts resolved and a union the linter rejects. */
  notes: string[];
}

const rank = (f: RunFinding): number => (f.certainty === 'verified' ? 0 : 1);
const show = (c: ConfigChange): string => `${c.path} = ${typeof c.value === 'string' ? c.value : JSON.stringify(c.value)}`;

export function offeredTogether(findings: readonly RunFinding[], source: ConfigSourceFile): TogetherResult {
  const notes: string[] = [];
  const order = findings.map((f, i) => ({ f, i })).sort((a, b) => rank(a.f) - rank(b.f) || a.i - b.i);
  const setBy = new Map<string, { change: ConfigChange; finding: RunFinding }>();
  const out = [...findings];
  for (const { f, i } of order) {
    if (!f.fix) continue;
    const conflict = f.fix.changes
      .map((c) => ({ c, earlier: setBy.get(c.path) }))
      .find(({ c, earlier }) => earlier && JSON.stringify(earlier.change.value) !== JSON.stringify(c.value));
    if (conflict?.earlier) {
      const stronger = conflict.earlier.finding;
      notes.push(`${f.code} offered ${show(conflict.c)} but ${stronger.code} offers ${show(conflict.earlier.change)}: both findings offer the latter`);
      out[i] = { ...f, fix: stronger.fix };
      continue;
    }
    for (const c of f.fix.changes) if (!setBy.has(c.path)) setBy.set(c.path, { change: c, finding: f });
  }
  const union = [...setBy.values()].map((s) => s.change);
  if (union.length > 1) {
    const vetted = vetFix(source.text, source.fileName, { title: 'every offered fix', safety: 'unsafe', changes: union });
    if (!vetted.ok) notes.push(`the offered fixes applied together are not consistent: ${vetted.reason}; apply them one at a time`);
    else if (vetted.fix.changes.length > union.length) {
      notes.push(`applied together, the offered fixes also need ${vetted.fix.changes.slice(union.length).map(show).join(', ')} (the linter's repair)`);
    }
  }
  return { findings: out, notes };
}
