// Builds a RunFinding from a detector's metadata so code and severity cannot drift from it.

import type { RunFinding } from '../run/types';
import { lastEpoch } from './history';
import type { Detector, DetectorInput } from './types';

export interface Blame {
  configPath: string;
  /** Why this key is blamed, appended to the measurement in the message. */
  reason: string;
  fix?: RunFinding['fix'];
}

export function makeFinding(
  detector: Pick<Detector, 'code' | 'severity'>,
  input: DetectorInput,
  measurement: string,
  blame: Blame,
  data: Record<string, number | string | boolean>,
): RunFinding {
  const finding: RunFinding = {
    code: detector.code,
    severity: detector.severity,
    message: `${measurement}. ${blame.reason}`,
    configPath: blame.configPath,
    data: roundData(data),
  };
  // At the end the finding is about the trained model, not a moment of training.
  const epoch = input.final ? undefined : lastEpoch(input.history);
  if (epoch !== undefined) finding.epoch = epoch;
  if (blame.fix !== undefined) finding.fix = blame.fix;
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

export function featureCount(input: DetectorInput): number | undefined {
  const first = input.inputs?.[0]?.[0];
  if (Array.isArray(first) && first.length > 0) return first.length;
  const columns = input.config?.data?.columns;
  return Array.isArray(columns) && columns.length > 0 ? columns.length : undefined;
}
