// Measured facts that make a candidate cause more or less likely, read from what a run left
// behind: its loss curve, per-layer gradient statistics, the symptoms' own figures and the data
// probe. Each fact adds to a candidate's score and is shown as a sentence, so a ranking can be
// read and checked rather than trusted.

import type { DataProbe } from '../data/probe';
import { EXPLODING_NORM } from '../detectors/tsae206-gradient-scale';
import { finiteLosses, lossSlope, stillImproving } from '../detectors/history';
import type { EpochMetrics, RunFinding } from '../run/types';
import { formatNumber } from '../rules/facts';
import type { ConfigChange } from '../types';

export interface RunEvidence {
  history: readonly EpochMetrics[];
  symptoms: readonly RunFinding[];
  /** Largest |value| over the input columns the probe read, when it read any. */
  maxAbsInput?: number;
  /** Relative change of the training loss from the first to the last finite epoch (-0.9 = 90 % lower). */
  lossChange?: number;
  /** Per-epoch relative slope of the loss over the last epochs. */
  lossSlope?: number;
  stillImproving: boolean;
  /** Largest gradient norm of any layer in any batch. */
  maxGradient?: number;
  /**
   * The typical gradient norm of the whole model per batch: per epoch, the root of the sum over
   * layers of their mean batch norm squared; then the median over epochs.
   */
  gradientNorm?: number;
  /** Input columns the probe read (features per time step), when known. */
  inputFeatures?: number;
  diverged: boolean;
}

export interface EvidenceItem {
  weight: number;
  sentence: string;
}

export function gatherEvidence(history: readonly EpochMetrics[], symptoms: readonly RunFinding[], probe?: DataProbe, inputColumns?: readonly string[]): RunEvidence {
  const losses = finiteLosses(history);
  const maxGradient = history.reduce<number | undefined>((max, e) => {
    for (const s of Object.values(e?.gradStats ?? {})) if (Number.isFinite(s.max)) max = Math.max(max ?? 0, s.max);
    return max;
  }, undefined);
  const perEpoch = history
    .map((e) => Object.values(e?.gradStats ?? {}).reduce((sum, st) => (Number.isFinite(st.mean) ? sum + st.mean * st.mean : sum), 0))
    .filter((sq) => sq > 0)
    .map(Math.sqrt)
    .sort((a, b) => a - b);
  const gradientNorm = perEpoch.length > 0 ? perEpoch[Math.floor(perEpoch.length / 2)] : undefined;
  const columns = inputColumns ?? Object.keys(probe?.stats ?? {});
  const absMax = columns.reduce<number | undefined>((max, name) => {
    const stats = probe?.stats[name];
    if (!stats || !Number.isFinite(stats.min) || !Number.isFinite(stats.max)) return max;
    return Math.max(max ?? 0, Math.abs(stats.min), Math.abs(stats.max));
  }, undefined);
  return {
    history,
    symptoms,
    ...(absMax !== undefined ? { maxAbsInput: absMax } : {}),
    ...(losses.length >= 2 && losses[0] > 0 ? { lossChange: losses[losses.length - 1] / losses[0] - 1 } : {}),
    ...(lossSlope(history) !== undefined ? { lossSlope: lossSlope(history) } : {}),
    stillImproving: stillImproving(history),
    ...(maxGradient !== undefined ? { maxGradient } : {}),
    ...(gradientNorm !== undefined ? { gradientNorm } : {}),
    ...(columns.length > 0 ? { inputFeatures: columns.length } : {}),
    diverged: symptoms.some((s) => s.code === 'TSAE205') || history.some((e) => typeof e?.loss === 'number' && !Number.isFinite(e.loss)),
  };
}

const has = (evidence: RunEvidence, code: string) => evidence.symptoms.some((s) => s.code === code);
const exploding = (evidence: RunEvidence) =>
  evidence.diverged ||
  (evidence.maxGradient !== undefined && evidence.maxGradient > EXPLODING_NORM) ||
  evidence.symptoms.some((s) => s.code === 'TSAE206' && s.data?.direction === 'exploding');
const pct = (x: number) => `${Math.round(Math.abs(x) * 100)} %`;

/** The facts of `evidence` that bear on making `change`, with their weight (positive: more likely). */
export function evidenceFor(change: ConfigChange, current: unknown, evidence: RunEvidence): EvidenceItem[] {
  const items: EvidenceItem[] = [];
  const add = (weight: number, sentence: string) => items.push({ weight, sentence });
  switch (change.path) {
    case 'preprocessing.scaling':
      if (evidence.maxAbsInput !== undefined && evidence.maxAbsInput > 10) add(2, `input values reach ${formatNumber(evidence.maxAbsInput)} unscaled`);
      break;
    case 'training.learningRate': {
      const lower = typeof current === 'number' && typeof change.value === 'number' && change.value < current;
      if (lower && exploding(evidence)) add(1, 'the loss or the gradients blew up');
      if (!lower && evidence.lossChange !== undefined && Math.abs(evidence.lossChange) < 0.05) add(1.5, `the loss moved ${pct(evidence.lossChange)} over the whole run`);
      if (!lower && evidence.lossChange !== undefined && evidence.lossChange < -0.5) add(-1, `the loss already fell ${pct(evidence.lossChange)}`);
      break;
    }
    case 'training.epochs':
      if (evidence.stillImproving && evidence.lossSlope !== undefined) add(1, `the loss was still falling ${pct(evidence.lossSlope)} per epoch at the end`);
      break;
    case 'training.clipNorm':
      if (exploding(evidence)) add(0.5, 'the loss or the gradients blew up');
      break;
    case 'model.latent.activation':
      if (has(evidence, 'TSAE202')) add(1, 'latent units were measured dead');
      break;
    default:
      if (/^model\.(encoder|decoder)\.\d+\.activation$/.test(change.path) && exploding(evidence)) add(1, 'the loss or the gradients blew up');
  }
  return items;
}
