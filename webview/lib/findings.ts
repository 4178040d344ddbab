// Comparing the findings of two runs: which problems a change cured, which it caused.

import type { RunFinding } from '../../src/core/run/types';

export interface FindingsDiff {
  onlyA: RunFinding[];
  onlyB: RunFinding[];
  both: Array<{ a: RunFinding; b: RunFinding }>;
}

/** Findings match by code and blamed config path; the message may differ (it carries numbers). */
export function findingKey(f: Pick<RunFinding, 'code' | 'configPath'>): string {
  return `${f.code}\u0000${f.configPath}`;
}

export function diffFindings(a: readonly RunFinding[], b: readonly RunFinding[]): FindingsDiff {
  const inB = new Map<string, RunFinding>();
  for (const f of b) if (!inB.has(findingKey(f))) inB.set(findingKey(f), f);
  const seenA = new Set<string>();
  const diff: FindingsDiff = { onlyA: [], onlyB: [], both: [] };
  for (const f of a) {
    const key = findingKey(f);
    if (seenA.has(key)) continue;
    seenA.add(key);
    const match = inB.get(key);
    if (match) diff.both.push({ a: f, b: match });
    else diff.onlyA.push(f);
  }
  for (const [key, f] of inB) if (!seenA.has(key)) diff.onlyB.push(f);
  return diff;
}
