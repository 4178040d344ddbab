// Scores of the zoo, computed from the cases' annotations and what was measured (runner.ts), so
// `npm run zoo -- --rescore` can score saved runs again after an annotation changes.
//
// - static recall / precision: expected TSAE1xx codes the linter reported / warning- and
//   error-level static findings that were expected (good configs count: any is a false positive);
// - runtime recall / precision: likewise for TSAE2xx codes after training; codes a case lists in
//   allow-runtime are neither hits nor false positives; static-only cases are not scored;
// - blame accuracy: of the cases whose expected runtime code fired, the share where that
//   finding blames one of the expected keys (and how many of those were verified by a trial);
// - fix cures (offered): of the same cases, the share where the fix that finding offered, applied
//   and retrained, cures: no expected runtime code left and the comparable error not worse;
// - case fix cures: the same test for the fix written in the case (checks the case itself);
// - "improves" (both fixes): the comparable error at least 20 % lower, symptoms aside, since a
//   short budget can leave a fixed model still under-trained enough for a detector to fire;
// - good configs clean: no static warning or error and no runtime finding;
// - healthy models: case fixes and good configs whose model meets the health bar of validate.ts
//   (a case whose fixed model is poor, or a "good" config that is a poor model, measures nothing).

import { runtimeCodes, type ZooCase } from './cases';
import type { CaseResult, RunRecord } from './runner';
import { judgeHealth } from './validate';

/** A fixed run's comparable error may be at most this much above the original's and still cure. */
export const CURE_TOLERANCE = 0.1;
/** A fix "improves" when the comparable error falls by at least this share (symptoms aside). */
export const IMPROVEMENT = 0.2;

export interface Ratio {
  hit: number;
  of: number;
}

export interface CaseScore {
  id: string;
  kind: ZooCase['kind'];
  klass: string;
  staticMissed: string[];
  staticExtra: string[];
  runtimeScored: boolean;
  runtimeMissed: string[];
  runtimeExtra: string[];
  /** The finding of the first expected runtime code that fired. */
  blamed?: { code: string; configPath: string; certainty?: string; right: boolean };
  offeredCure?: boolean;
  offeredImproves?: boolean;
  expectedCure?: boolean;
  expectedImproves?: boolean;
  /** Relative change of the comparable error with the case's fix (-0.5 = halved). */
  expectedFixErrorChange?: number;
  /** The case's fixed model, or the good config's model, meets the health bar (validate.ts). */
  healthy?: boolean;
  clean?: boolean;
  missingRun: boolean;
}

export interface ZooScores {
  staticRecall: Ratio;
  staticPrecision: Ratio;
  runtimeRecall: Ratio;
  runtimePrecision: Ratio;
  blameAccuracy: Ratio;
  blameVerified: Ratio;
  offeredFixCures: Ratio;
  offeredFixImproves: Ratio;
  expectedFixCures: Ratio;
  expectedFixImproves: Ratio;
  /** Case fixes and good configs whose model meets the health bar: the zoo's own validity. */
  healthy: Ratio;
  goodClean: Ratio;
  dataChecksPending: number;
  cases: CaseScore[];
}

const counted = (severity: string) => severity === 'error' || severity === 'warning';

export function cured(zooCase: ZooCase, before: RunRecord, after: RunRecord): boolean {
  if (after.status !== 'completed') return false;
  const expected = new Set(runtimeCodes(zooCase));
  if (after.findings.some((f) => expected.has(f.code) && counted(f.severity))) return false;
  if (after.nmse === null) return false;
  return before.nmse === null || after.nmse <= before.nmse * (1 + CURE_TOLERANCE);
}

/** The fixed run's comparable error is at least IMPROVEMENT lower (or finite where the original's was not). */
export function improved(before: RunRecord, after: RunRecord): boolean {
  if (after.status !== 'completed' || after.nmse === null) return false;
  return before.nmse === null || after.nmse <= before.nmse * (1 - IMPROVEMENT);
}

export function scoreCase(zooCase: ZooCase, result: CaseResult | undefined): CaseScore {
  const staticCodes = new Set((result?.static.findings ?? []).filter((f) => counted(f.severity)).map((f) => f.code));
  const allStatic = new Set((result?.static.findings ?? []).map((f) => f.code));
  const score: CaseScore = {
    id: zooCase.id,
    kind: zooCase.kind,
    klass: zooCase.klass,
    staticMissed: zooCase.expectStatic.filter((c) => !allStatic.has(c)),
    staticExtra: [...staticCodes].filter((c) => !zooCase.expectStatic.includes(c)),
    runtimeScored: false,
    runtimeMissed: [],
    runtimeExtra: [],
    missingRun: result === undefined,
  };
  const run = result?.run;
  if (zooCase.expectRuntime !== undefined && run) {
    const fired = run.findings.filter((f) => counted(f.severity));
    const codes = new Set(fired.map((f) => f.code));
    score.runtimeScored = true;
    const expected = runtimeCodes(zooCase);
    score.runtimeMissed = zooCase.expectRuntime.filter((entry) => !entry.split('|').some((c) => codes.has(c)));
    score.runtimeExtra = [...codes].filter((c) => !expected.includes(c) && !zooCase.allowRuntime.includes(c));
    const first = zooCase.expectRuntime.map((entry) => fired.find((f) => entry.split('|').includes(f.code))).find((f) => f !== undefined);
    if (first) {
      score.blamed = {
        code: first.code,
        configPath: first.configPath,
        ...(first.certainty ? { certainty: first.certainty } : {}),
        right: zooCase.blame.includes(first.configPath),
      };
      score.offeredCure = result?.offeredFix ? cured(zooCase, run, result.offeredFix.run) : false;
      score.offeredImproves = result?.offeredFix ? improved(run, result.offeredFix.run) : false;
    }
    if (result?.expectedFix) {
      score.expectedCure = cured(zooCase, run, result.expectedFix.run);
      score.expectedImproves = improved(run, result.expectedFix.run);
      score.healthy = judgeHealth(result.expectedFix.run).length === 0;
      if (run.nmse !== null && result.expectedFix.run.nmse !== null) score.expectedFixErrorChange = result.expectedFix.run.nmse / Math.max(run.nmse, 1e-12) - 1;
    }
  } else if (zooCase.expectRuntime !== undefined) {
    score.missingRun = true;
  }
  if (zooCase.kind === 'good') {
    score.clean = score.staticExtra.length === 0 && score.runtimeExtra.length === 0 && !score.missingRun;
    if (run) score.healthy = judgeHealth(run).length === 0;
  }
  return score;
}

export function scoreZoo(cases: readonly ZooCase[], results: ReadonlyMap<string, CaseResult>): ZooScores {
  const ratio = (): Ratio => ({ hit: 0, of: 0 });
  const s: ZooScores = {
    staticRecall: ratio(),
    staticPrecision: ratio(),
    runtimeRecall: ratio(),
    runtimePrecision: ratio(),
    blameAccuracy: ratio(),
    blameVerified: ratio(),
    offeredFixCures: ratio(),
    offeredFixImproves: ratio(),
    expectedFixCures: ratio(),
    expectedFixImproves: ratio(),
    healthy: ratio(),
    goodClean: ratio(),
    dataChecksPending: 0,
    cases: [],
  };
  for (const zooCase of cases) {
    const result = results.get(zooCase.id);
    const c = scoreCase(zooCase, result);
    s.cases.push(c);
    s.dataChecksPending += zooCase.dataChecks.length;
    if (!result) continue;
    const expectedStatic = zooCase.expectStatic.length;
    s.staticRecall.hit += expectedStatic - c.staticMissed.length;
    s.staticRecall.of += expectedStatic;
    const reportedStatic = new Set(result.static.findings.filter((f) => counted(f.severity)).map((f) => f.code)).size;
    s.staticPrecision.hit += reportedStatic - c.staticExtra.length;
    s.staticPrecision.of += reportedStatic;
    if (c.runtimeScored) {
      const expected = zooCase.expectRuntime!.length;
      s.runtimeRecall.hit += expected - c.runtimeMissed.length;
      s.runtimeRecall.of += expected;
      const reported = new Set(result.run!.findings.filter((f) => counted(f.severity)).map((f) => f.code));
      // An expected code is a hit; an allowed one is neither a hit nor a false positive.
      const hits = [...reported].filter((code) => runtimeCodes(zooCase).includes(code));
      const judged = hits.length + c.runtimeExtra.length;
      s.runtimePrecision.hit += hits.length;
      s.runtimePrecision.of += judged;
    }
    if (c.blamed) {
      s.blameAccuracy.of++;
      s.blameVerified.of++;
      if (c.blamed.right) s.blameAccuracy.hit++;
      if (c.blamed.right && c.blamed.certainty === 'verified') s.blameVerified.hit++;
      s.offeredFixCures.of++;
      if (c.offeredCure) s.offeredFixCures.hit++;
      s.offeredFixImproves.of++;
      if (c.offeredImproves) s.offeredFixImproves.hit++;
    }
    if (c.expectedCure !== undefined) {
      s.expectedFixCures.of++;
      if (c.expectedCure) s.expectedFixCures.hit++;
      s.expectedFixImproves.of++;
      if (c.expectedImproves) s.expectedFixImproves.hit++;
    }
    if (c.healthy !== undefined) {
      s.healthy.of++;
      if (c.healthy) s.healthy.hit++;
    }
    if (zooCase.kind === 'good') {
      s.goodClean.of++;
      if (c.clean) s.goodClean.hit++;
    }
  }
  return s;
}

export function percent(r: Ratio): string {
  return r.of === 0 ? '-' : `${Math.round((100 * r.hit) / r.of)} %`;
}

/** The table `npm run zoo` prints. */
export function formatScores(s: ZooScores, cases: readonly ZooCase[]): string {
  const failing = cases.filter((c) => c.kind === 'failing');
  const datasets = new Set(cases.map((c) => c.data).filter(Boolean));
  const rows: Array<[string, Ratio, string]> = [
    ['static recall', s.staticRecall, 'expected TSAE1xx codes the linter reported'],
    ['static precision', s.staticPrecision, 'static warnings/errors that were expected'],
    ['runtime recall', s.runtimeRecall, 'expected TSAE2xx codes training reported'],
    ['runtime precision', s.runtimePrecision, 'runtime findings that were expected'],
    ['blame accuracy', s.blameAccuracy, 'expected symptom blamed on the expected key'],
    ['  of which verified', s.blameVerified, 'right key and verified by a trial'],
    ['offered fix cures', s.offeredFixCures, 'the fix the diagnosis offered cures the symptom'],
    ['  offered fix improves', s.offeredFixImproves, 'its error at least 20 % lower, symptoms aside'],
    ['case fix cures', s.expectedFixCures, "the case's own fix cures it (validates the case)"],
    ['  case fix improves', s.expectedFixImproves, 'its error at least 20 % lower, symptoms aside'],
    ['good configs clean', s.goodClean, 'no static warning/error, no runtime finding'],
    ['healthy models', s.healthy, 'case fixes and good configs meeting the health bar (--validate)'],
  ];
  const lines = [`zoo: ${failing.length} failing cases, ${cases.length - failing.length} good configs, ${datasets.size} data sets`, ''];
  lines.push(`${'measure'.padEnd(22)} ${'rate'.padStart(6)} ${'count'.padStart(8)}  meaning`);
  for (const [name, r, meaning] of rows) lines.push(`${name.padEnd(22)} ${percent(r).padStart(6)} ${`${r.hit}/${r.of}`.padStart(8)}  ${meaning}`);
  if (s.dataChecksPending > 0) lines.push(`data checks without a rule yet: ${s.dataChecksPending} (expect-data-check lines, not scored)`);
  const missing = s.cases.filter((c) => c.missingRun).map((c) => c.id);
  if (missing.length > 0) lines.push(`not run yet: ${missing.join(', ')}`);
  return lines.join('\n');
}

/** One line per case that missed anything, for reading failures by cause. */
export function formatCaseLines(s: ZooScores): string {
  const lines: string[] = [];
  for (const c of s.cases) {
    const problems: string[] = [];
    if (c.staticMissed.length) problems.push(`static missed ${c.staticMissed.join(' ')}`);
    if (c.staticExtra.length) problems.push(`static extra ${c.staticExtra.join(' ')}`);
    if (c.runtimeMissed.length) problems.push(`runtime missed ${c.runtimeMissed.join(' ')}`);
    if (c.runtimeExtra.length) problems.push(`runtime extra ${c.runtimeExtra.join(' ')}`);
    if (c.blamed && !c.blamed.right) problems.push(`${c.blamed.code} blamed ${c.blamed.configPath || '(nothing)'}`);
    if (c.blamed && c.offeredCure === false) problems.push('offered fix did not cure');
    if (c.expectedCure === false) problems.push('case fix did not cure');
    if (c.healthy === false) problems.push(c.kind === 'good' ? 'model not healthy' : 'case fix not healthy');
    if (c.missingRun) problems.push('not run yet');
    else if (c.kind === 'good' && c.clean === false && !problems.length) problems.push('not clean');
    const figures = c.expectedFixErrorChange === undefined ? '' : ` [case fix error ${c.expectedFixErrorChange > 0 ? '+' : ''}${Math.round(c.expectedFixErrorChange * 100)} %]`;
    lines.push(`${problems.length ? 'MISS' : 'ok  '} ${c.id.padEnd(34)} ${problems.join('; ')}${figures}`);
  }
  return lines.join('\n');
}
