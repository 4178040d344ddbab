// The runtime detectors (TSAE2xx) in the order they run, and the one entry point the trainer
// calls each epoch and at the end of a run.

import type { RunFinding } from '../run/types';
import { makeFinding } from './finding';
import type { Detector, DetectorInput } from './types';
import { meanCollapse } from './tsae201-mean-collapse';
import { deadLatentUnits } from './tsae202-dead-latent-units';
import { amplitudeLoss } from './tsae203-amplitude-loss';
import { lossPlateau } from './tsae204-loss-plateau';
import { nonFiniteLoss } from './tsae205-non-finite-loss';
import { gradientScale } from './tsae206-gradient-scale';
import { overfitting } from './tsae207-overfitting';
import { featuresNotReconstructed } from './tsae208-features-not-reconstructed';

export type { Blame, Detector, DetectorInput, DetectorKind, Symptom } from './types';

/** Every detector, in code order. Codes are never reused; a retired detector leaves a gap. */
export const DETECTORS: readonly Detector[] = [meanCollapse, deadLatentUnits, amplitudeLoss, lossPlateau, nonFiniteLoss, gradientScale, overfitting, featuresNotReconstructed];

export function detectorFor(code: string): Detector | undefined {
  return DETECTORS.find((d) => d.code === code);
}

/**
 * Runs every detector on `input`: each symptom becomes a finding blamed on the detector's most
 * likely cause, as a hypothesis. Never throws: a detector that fails is skipped (and reported
 * through `onError`, default a process warning) so that a detector bug cannot end a training run.
 */
export function runDetectors(input: DetectorInput, onError: (code: string, error: unknown) => void = warnDetectorFailure): RunFinding[] {
  const findings: RunFinding[] = [];
  for (const detector of DETECTORS) {
    try {
      const symptom = detector.detect(input);
      if (symptom) findings.push(makeFinding(detector, input, symptom, detector.blame(input, symptom)));
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

/** How the run ended, as far as the final pass of the detectors is concerned. */
export type FinalPass = { final: true; cancelled: boolean };

/**
 * Keeps one finding per code across a run. `add` returns the findings not seen before (to show
 * as they happen) and keeps the latest figures of repeated ones. On the final pass, a
 * `condition` finding (mean collapse, dead units, ...) that no longer holds is dropped, since
 * training cured it; an `event` (NaN loss, exploding gradients) stays part of the run's story.
 * A cancelled run keeps no condition at all: a model stopped by its user at epoch 2 of 40 says
 * nothing about the config's quality.
 */
export class FindingTracker {
  private readonly byCode = new Map<string, RunFinding>();

  add(findings: readonly RunFinding[], final = false, cancelled = false): RunFinding[] {
    const fresh = findings.filter((f) => !this.byCode.has(f.code));
    if (final) {
      const present = new Set(findings.map((f) => f.code));
      for (const [code] of this.byCode) {
        const condition = detectorFor(code)?.kind === 'condition';
        if (condition && (cancelled || !present.has(code))) this.byCode.delete(code);
      }
    }
    for (const finding of findings) {
      if (final && cancelled && detectorFor(finding.code)?.kind === 'condition') continue;
      this.byCode.set(finding.code, finding);
    }
    return final && cancelled ? fresh.filter((f) => detectorFor(f.code)?.kind !== 'condition') : fresh;
  }

  /** Runs the detectors and records the result; returns the new findings. */
  check(input: DetectorInput, cancelled = false): RunFinding[] {
    return this.add(runDetectors(input), input.final, cancelled);
  }

  all(): RunFinding[] {
    return [...this.byCode.values()];
  }
}
