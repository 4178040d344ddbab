// `npm run zoo -- --validate`: checks the zoo itself rather than TSAE. A good config, and a failing
// case with its own fix applied, must train to a genuinely healthy model within the zoo's epochs;
// otherwise the case measures the budget, not the diagnosis (a fix that cannot cure within the
// zoo's epochs makes every "fix cures" figure meaningless, and a "good" config that is a poor model
// makes a detector that fires on it look wrong when it is right).
//
// The bar (zoo/README.md): the run completes, its input-space nmse on the validation windows is
// at most HEALTHY_NMSE, and training reports no runtime warning or error.
//
// The converse: a failing case that expects a runtime code must, as written, train to a model that
// fails measurably, without looking at what the detectors say (that is what the zoo measures):
// not completed or not finite, or an nmse above the bar, or at least FAILING_FACTOR times the nmse
// of its own fix. A case whose model is as good as its fix is not a runtime failure (make it
// harder or static only), unless its header says why its failure is not the model's quality
// (`healthy-model:`, e.g. a reversed output compared with the forward window).

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runtimeCodes, type ZooCase } from './cases';
import { train, trainFixed, type RunOptions, type RunRecord } from './runner';

/**
 * A healthy model's input-space nmse (1 = predicting each feature's validation mean) is at most
 * this: it explains at least 70 % of the variance of windows it never trained on. Measured on the
 * zoo's data: noise alone leaves 0.02 (sines) to 0.1 (NAB), the cured models reach 0.03-0.25, the
 * failing cases 0.4 and above; 0.3 keeps a margin on both sides.
 */
export const HEALTHY_NMSE = 0.3;

/** A case's model at least this many times its fixed model's nmse has clearly lost to the same config without the hazard. */
export const FAILING_FACTOR = 1.5;

export interface Validation {
  id: string;
  kind: ZooCase['kind'];
  /** What was trained: the good config as it is, or the failing case with its fix. */
  trained: 'config' | 'case fix';
  run: RunRecord;
  healthy: boolean;
  /** Why not, one item per failed condition (the converse check's included). */
  problems: string[];
  /** A failing runtime case trained as written (no fix, no diagnosis): it must fail (see above). */
  asWritten?: RunRecord;
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

/** Why the model of a case as written does not fail measurably against its fixed model; empty when it does. */
export function judgeFailure(asWritten: RunRecord, fixed: RunRecord, zooCase: Pick<ZooCase, 'healthyModel'>): string[] {
  if (zooCase.healthyModel) return [];
  if (asWritten.status !== 'completed' || asWritten.nmse === null || !Number.isFinite(asWritten.nmse)) return [];
  if (asWritten.nmse > HEALTHY_NMSE) return [];
  if (fixed.nmse !== null && asWritten.nmse >= FAILING_FACTOR * fixed.nmse) return [];
  const against = fixed.nmse === null ? 'its fix has no finite error' : `its fix ${fixed.nmse.toPrecision(3)}`;
  return [`the case as written is a healthy model (nmse ${asWritten.nmse.toPrecision(3)} <= ${HEALTHY_NMSE}, ${against}): not a runtime failure`];
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
    const asWritten =
      zooCase.kind === 'failing' && runtimeCodes(zooCase).length > 0 ? train(zooCase.file, zooCase.epochs, path.join(work, 'as-written'), options, false) : undefined;
    if (asWritten) problems.push(...judgeFailure(asWritten, run, zooCase));
    return {
      id: zooCase.id,
      kind: zooCase.kind,
      trained: zooCase.kind === 'good' ? 'config' : 'case fix',
      run,
      healthy: problems.length === 0,
      problems,
      ...(asWritten ? { asWritten } : {}),
    };
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
    const written = v.asWritten ? `; as written nmse ${v.asWritten.nmse === null ? '-' : v.asWritten.nmse.toPrecision(3)}` : '';
    return `${v.healthy ? 'ok  ' : 'SICK'} ${v.id.padEnd(34)} ${v.trained.padEnd(8)} ${figures}${written}${v.healthy ? '' : `: ${v.problems.join('; ')}`}`;
  });
  const sick = results.filter((v) => !v.healthy);
  lines.push(
    '',
    `${results.length - sick.length}/${results.length} valid (bar: completed, input-space nmse <= ${HEALTHY_NMSE}, no runtime warning or error; a runtime case as written above the bar or ${FAILING_FACTOR}x its fix's nmse)`,
  );
  if (sick.length > 0) lines.push(`not healthy: ${sick.map((v) => v.id).join(', ')}`);
  return lines.join('\n');
}
