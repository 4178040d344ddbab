// The runtime detectors (TSAE2xx) in the order they run, and the one entry point the trainer
// calls each epoch and at the end of a run.

import type { ResolvedConfig } from '../config/types';
import type { RunFinding } from '../run/types';
import type { Blame } from './finding';
import type { Detector, DetectorInput } from './types';
import { blameMeanCollapse, meanCollapse } from './tsae201-mean-collapse';
import { blameDeadUnits, deadLatentUnits } from './tsae202-dead-latent-units';
import { amplitudeLoss, blameAmplitudeLoss } from './tsae203-amplitude-loss';
import { blamePlateau, lossPlateau } from './tsae204-loss-plateau';
import { blameNonFinite, nonFiniteLoss } from './tsae205-non-finite-loss';
import { blameGradients, gradientScale } from './tsae206-gradient-scale';
import { blameOverfitting, overfitting } from './tsae207-overfitting';
import { blameFeaturesNotReconstructed, featuresNotReconstructed } from './tsae208-features-not-reconstructed';

export type { Detector, DetectorInput, DetectorKind } from './types';
export type { Blame } from './finding';

/** Every detector, in code order. Codes are never reused; a retired detector leaves a gap. */
export const DETECTORS: readonly Detector[] = [meanCollapse, deadLatentUnits, amplitudeLoss, lossPlateau, nonFiniteLoss, gradientScale, overfitting, featuresNotReconstructed];

export function detectorFor(code: string): Detector | undefined {
  return DETECTORS.find((d) => d.code === code);
}

/**
 * Runs every detector on `input`. Never throws: a detector that fails is skipped (and reported
 * through `onError`, default a process warning) so that a detector bug cannot end a training run.
 */
export function runDetectors(input: DetectorInput, onError: (code: string, error: unknown) => void = warnDetectorFailure): RunFinding[] {
  const findings: RunFinding[] = [];
  for (const detector of DETECTORS) {
    try {
      const found = detector.detect(input);
      if (Array.isArray(found)) findings.push(...found);
    } catch (error) {
      try {
        onError(detector.code, error);
      } catch {
        // A failing logger must not break the promise either.
      }
    }
  }
  return findings;
}

function warnDetectorFailure(code: string, error: unknown): void {
  process.emitWarning(`runtime detector ${code} skipped: ${error instanceof Error ? error.message : String(error)}`);
}

/**
 * The config key a detector blames for `config`, and the fix it proposes, without a run's
 * measurements (hovers and docs use this; a finding's own `configPath` may be sharper because
 * it also sees the data, e.g. TSAE204 measuring targets out of the output activation's range).
 */
export function blameFor(code: string, config: ResolvedConfig, input?: Partial<DetectorInput>): Blame | undefined {
  const withConfig = { ...input, config } as DetectorInput;
  switch (code) {
    case 'TSAE201':
      return blameMeanCollapse(withConfig);
    case 'TSAE202':
      return blameDeadUnits(config);
    case 'TSAE203':
      return blameAmplitudeLoss(withConfig);
    case 'TSAE204':
      return blamePlateau(config);
    case 'TSAE205':
      return blameNonFinite(config);
    case 'TSAE206':
      return blameGradients(config, 'exploding');
    case 'TSAE207':
      return blameOverfitting(config);
    case 'TSAE208':
      return blameFeaturesNotReconstructed(withConfig);
    default:
      return undefined;
  }
}

/**
 * Keeps one finding per code across a run. `add` returns the findings not seen before (to show
 * as they happen) and keeps the latest figures of repeated ones. On the final pass, a
 * `condition` finding (mean collapse, dead units, ...) that no longer holds is dropped, since
 * training cured it; an `event` (NaN loss, exploding gradients) stays part of the run's story.
 */
export class FindingTracker {
  private readonly byCode = new Map<string, RunFinding>();

  add(findings: readonly RunFinding[], final = false): RunFinding[] {
    const fresh = findings.filter((f) => !this.byCode.has(f.code));
    if (final) {
      const present = new Set(findings.map((f) => f.code));
      for (const [code] of this.byCode) {
        if (!present.has(code) && detectorFor(code)?.kind === 'condition') this.byCode.delete(code);
      }
    }
    for (const finding of findings) this.byCode.set(finding.code, finding);
    return fresh;
  }

  /** Runs the detectors and records the result; returns the new findings. */
  check(input: DetectorInput): RunFinding[] {
    return this.add(runDetectors(input), input.final);
  }

  all(): RunFinding[] {
    return [...this.byCode.values()];
  }
}
