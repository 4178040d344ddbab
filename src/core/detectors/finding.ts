// Builds a RunFinding from a detector's symptom and causes, and rebuilds its message when the
// diagnosis settles the cause, so code, severity and wording cannot drift between the two.

import type { Certainty, RunCause, RunFinding } from '../run/types';
import type { Severity } from '../types';
import { isTrainLonger } from './configFacts';
import { finiteLosses, lastEpoch, SLOPE_MIN_EPOCHS } from './history';
import type { Detector, DetectorInput, Symptom } from './types';

/**
 * A finding whose cause is not verified is at most a warning: an error must be certain. One whose
 * only suspect is "train longer" (or nothing at all) on a config without a static hazard, after a
 * run long enough to have a loss slope, is at most information: a healthy run that merely stopped
 * while still learning is not a failure until a trial shows that more epochs cure it. (A run of
 * one or two epochs says nothing about its health, so its symptoms stay warnings.)
 */
export function severityFor(detectorSeverity: Severity, certainty: Certainty, onlyGeneric = false): Severity {
  if (certainty === 'verified') return detectorSeverity;
  if (onlyGeneric) return detectorSeverity === 'hint' ? 'hint' : 'info';
  return detectorSeverity === 'error' ? 'warning' : detectorSeverity;
}

/**
 * "measurement. Likely cause (unverified hypothesis): reason (why no trial verified it)" or
 * "measurement. Verified by a trial: reason (trial figures)".
 */
export function findingMessage(measurement: string, cause: RunCause | undefined, certainty: Certainty, detail?: string): string {
  if (!cause) return causelessMessage(measurement, 'warning');
  if (certainty === 'verified') return `${measurement}. Verified by a trial: ${cause.reason}${detail ? ` (${detail})` : ''}`;
  return `${measurement}. Likely cause (unverified hypothesis): ${cause.reason}${detail ? ` (not verified: ${detail})` : ''}`;
}

/**
 * A finding no config key explains. Information (the symptom measured harmless, e.g. overfitting
 * whose best weights early stopping put back) asks for nothing: saying that no cause was found
 * would read as an unexplained failure.
 */
export function causelessMessage(measurement: string, severity: Severity): string {
  return severity === 'info' ? `${measurement}. Nothing in the config needs to change.` : `${measurement}. No cause in the config could be identified.`;
}

/** The severity a detector gives this symptom: its own, or less when the symptom measured harmless (Detector.severityOf). */
export function symptomSeverity(detector: Pick<Detector, 'severity' | 'severityOf'>, symptom: Symptom): Severity {
  return detector.severityOf?.(symptom) ?? detector.severity;
}

export function makeFinding(detector: Pick<Detector, 'code' | 'severity' | 'severityOf'>, input: DetectorInput, symptom: Symptom, causes: RunCause[]): RunFinding {
  const cause = causes[0];
  // Before a diagnosis the config's static hazards are not known here; a detector lists the
  // config causes it knows, so "train longer" alone means it found none.
  const onlyGeneric = causes.length > 0 && causes.every((c) => isTrainLonger(c.fix?.changes)) && finiteLosses(input.history).length >= SLOPE_MIN_EPOCHS;
  const severity = severityFor(symptomSeverity(detector, symptom), 'hypothesis', onlyGeneric);
  const finding: RunFinding = {
    code: detector.code,
    severity,
    message: cause ? findingMessage(symptom.measurement, cause, 'hypothesis') : causelessMessage(symptom.measurement, severity),
    measurement: symptom.measurement,
    configPath: cause?.configPath ?? '',
    data: roundData(symptom.data),
    certainty: 'hypothesis',
    causes,
  };
  // At the end the finding is about the trained model, not a moment of training.
  const epoch = input.final ? undefined : lastEpoch(input.history);
  if (epoch !== undefined) finding.epoch = epoch;
  if (cause?.fix !== undefined) finding.fix = cause.fix;
  return finding;
}

/** Four significant digits: enough to compare runs, short enough for a hover. */
function roundData(data: Record<string, number | string | boolean>): Record<string, number | string | boolean> {
  const out: Record<string, number | string | boolean> = {};
  for (const [k, v] of Object.entries(data)) out[k] = typeof v === 'number' && Number.isFinite(v) ? Number(v.toPrecision(4)) : v;
  return out;
}

export function percent(ratio: number): string {
  const p = ratio * 100;
  if (p === 0) return '0%';
  // Float noise around zero (3e-34%) reads as a bug; below a tenth of a percent the detail is moot.
  if (Math.abs(p) < 0.1) return 'under 0.1%';
  return Math.abs(p) < 1 ? `${p.toFixed(1)}%` : `${Math.round(p)}%`;
}

export function featureCount(input: Pick<DetectorInput, 'inputs' | 'config'>): number | undefined {
  const first = input.inputs?.[0]?.[0];
  if (Array.isArray(first) && first.length > 0) return first.length;
  const columns = input.config?.data?.columns;
  return Array.isArray(columns) && columns.length > 0 ? columns.length : undefined;
}
