// The one call site of the runtime detectors. The session fills a DetectorInput per epoch and
// once at the end; the detectors' FindingTracker keeps one finding per code (reported once, as it
// first fires, with its latest figures kept for the summary) and drops cured conditions at the end.

import { FindingTracker } from '../detectors/index';
import type { DetectorInput } from '../detectors/types';
import type { RunFinding } from '../run/types';

export class RunFindings {
  private readonly tracker = new FindingTracker();

  /**
   * Runs the detectors; returns the findings whose code was not reported before. On the final
   * pass of a cancelled run, conditions are dropped: an unfinished model is not a verdict.
   */
  check(input: DetectorInput, cancelled = false): RunFinding[] {
    return this.tracker.check(input, cancelled);
  }

  all(): RunFinding[] {
    return this.tracker.all();
  }
}
