// `npm run zoo -- --validate`: checks the zoo itself rather than TSAE. A good config, and a failing
// case with its own fix applied, must train to a genuinely healthy model within the zoo's epochs;
// otherwise the case measures the budget, not the diagnosis (a fix that cannot cure within the
// zoo's epochs makes every "fix cures" figure meaningless, and a "good" config that is a poor model
// makes a detector that fires on it look wrong when it is right).
//
// The bar (zoo/README.md): the run completes, its input-space nmse on the validation windows is
// at most HEALTHY_NMSE, and training reports no runtime warning or error.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ZooCase } from './cases';
import { train, trainFixed, type RunOptions, type RunRecord } from './runner';

/**
 * A healthy model's input-space nmse (1 = predicting each feature's validation mean) is at most
 * this: it explains at least 70 % of the variance of windows it never trained on. Measured on the
 * zoo's data: noise alone leaves 0.02 (sines) to 0.1 (NAB), the cured models reach 0.03-0.25, the
 * failing cases 0.4 and above; 0.3 keeps a margin on both sides.
 */
export const HEALTHY_NMSE = 0.3;

export interface Validation {
  id: string;
  kind: ZooCase['kind'];
  /** What was trained: the good config as it is, or the failing case with its fix. */
  trained: 'config' | 'case fix';
  run: RunRecord;
  healthy: boolean;
  /** Why not, one item per failed condition. */
  problems: string[];
}

const counted = (severity: string) => severity === 'error' || severity === 'warning';

/** Judges a run against the health bar. */
export function judgeHealth(run: RunRecord): string[] {
  const problems: string[] = [];
  if (run.status !== 'completed') problems.push(`run ${run.status}${run.message ? ` (${run.message})` : ''}`);
  if (run.nmse === null) problems.push('no finite input-space error');
  else if (run.nmse > HEALTHY_NMSE) problems.push(`nmse ${run.nmse.toPrecision(3)} > ${HEALTHY_NMSE}`);
  const findings = run.findings.filter((f) => counted(f.severity)).map((f) => f.code);
  if (findings.length > 0) problems.push(`findings ${findings.join(' ')}`);
  return problems;
}

/** The cases --validate trains: good configs, and failing cases that are trained (they have a fix). */
export function validatable(cases: readonly ZooCase[]): ZooCase[] {
  return cases.filter((c) => c.kind === 'good' || (c.expectRuntime !== undefined && c.fix.length > 0));
}

/** Trains one good config as it is, or one failing case with its own fix, without the diagnosis. */
export function validateCase(zooCase: ZooCase, options: RunOptions): Validation {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), `tsae-zoo-validate-${zooCase.id}-`));
  try {
    const run =
      zooCase.kind === 'good'
        ? train(zooCase.file, zooCase.epochs, work, options, false)
        : trainFixed(zooCase, fs.readFileSync(zooCase.file, 'utf8'), zooCase.fix, work, 'expected', options);
    const problems = judgeHealth(run);
    return { id: zooCase.id, kind: zooCase.kind, trained: zooCase.kind === 'good' ? 'config' : 'case fix', run, healthy: problems.length === 0, problems };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** Per-epoch relative change of the loss over the last three epochs (-0.05: 5 % lower per epoch). */
export function finalLossTrend(losses: readonly number[] | undefined): number | undefined {
  const last = (losses ?? []).filter(Number.isFinite).slice(-4);
  if (last.length < 2 || !(last[0] > 0) || !(last[last.length - 1] > 0)) return undefined;
  return Math.pow(last[last.length - 1] / last[0], 1 / (last.length - 1)) - 1;
}

export function formatValidation(results: readonly Validation[]): string {
  const lines = results.map((v) => {
    const trend = finalLossTrend(v.run.losses);
    const figures = `nmse ${v.run.nmse === null ? '-' : v.run.nmse.toPrecision(3)}, ${v.run.epochs} epochs, loss ${trend === undefined ? '?' : `${trend > 0 ? '+' : ''}${Math.round(trend * 100)} %/epoch`} at the end, ${v.run.wallSeconds} s`;
    return `${v.healthy ? 'ok  ' : 'SICK'} ${v.id.padEnd(34)} ${v.trained.padEnd(8)} ${figures}${v.healthy ? '' : `: ${v.problems.join('; ')}`}`;
  });
  const sick = results.filter((v) => !v.healthy);
  lines.push('', `${results.length - sick.length}/${results.length} healthy (bar: completed, input-space nmse <= ${HEALTHY_NMSE}, no runtime warning or error)`);
  if (sick.length > 0) lines.push(`not healthy: ${sick.map((v) => v.id).join(', ')}`);
  return lines.join('\n');
}
