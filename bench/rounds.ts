// Repeated, interleaved runs of the runners whose ratio the speed targets are about (PyTorch and
// TSAE fused). Machine speed drifts by 10-15 % over a minute here, and B sits close to parity:
// one pair of runs can land either side of 1.0 by chance. Alternating the two runners and taking
// each one's median over rounds keeps a slow minute from counting against only one of them.

import { quantile } from '../src/core/train/metrics';
import type { TrainOutcome } from './trainChild';

export function median(values: number[]): number {
  if (values.length === 0) throw new Error('median of no values');
  return quantile(values, 0.5);
}

/**
 * One outcome standing for several rounds of the same runner on the same workload: median
 * seconds per epoch and time to target (a round that missed the target counts as slowest),
 * the highest peak RSS, the first round's losses. Unavailable in any round means unavailable.
 */
export function combineRounds(rounds: TrainOutcome[]): TrainOutcome {
  if (rounds.length === 0) throw new Error('no rounds to combine');
  const [first] = rounds;
  if (rounds.length === 1) return first;
  const broken = rounds.find((r) => r.unavailable !== undefined || typeof r.secondsPerEpoch !== 'number');
  if (broken !== undefined) return broken;
  const perEpoch = rounds.map((r) => r.secondsPerEpoch as number);
  const toTarget = rounds.map((r) => r.secondsToTargetMse);
  const targetMedian = toTarget.includes(undefined) ? undefined : median(toTarget.map((t) => (t === null || t === undefined ? Infinity : t)));
  return {
    ...first,
    secondsPerEpoch: median(perEpoch),
    roundSecondsPerEpoch: perEpoch,
    secondsToTargetMse: targetMedian === undefined ? undefined : Number.isFinite(targetMedian) ? targetMedian : null,
    peakRssMb: Math.max(...rounds.map((r) => r.peakRssMb)),
    measuredAs: `${first.measuredAs ?? ''}, median of ${rounds.length} rounds`.replace(/^, /, ''),
  };
}

/** Per-round ratios to PyTorch (round k of the runner against round k of PyTorch), for the notes. */
export function roundRatioNotes(runs: TrainOutcome[], pytorch: TrainOutcome[]): string[] {
  const notes: string[] = [];
  for (const run of runs) {
    const reference = pytorch.find((p) => p.workload === run.workload);
    const mine = run.roundSecondsPerEpoch;
    const theirs = reference?.roundSecondsPerEpoch;
    if (mine === undefined || theirs === undefined || mine.length !== theirs.length) continue;
    const ratios = mine.map((s, k) => s / theirs[k]);
    notes.push(
      `${run.workload} ${run.backend}: per-round ratio to PyTorch ${ratios.map((r) => `${r.toFixed(2)}x`).join(', ')} ` +
        `(range ${Math.min(...ratios).toFixed(2)}-${Math.max(...ratios).toFixed(2)}x; the table's ratio is of the medians)`,
    );
  }
  return notes;
}
