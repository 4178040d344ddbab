// What each window set's outputs are compared with: the inputs themselves, or the target windows
// of a seq2seq task. One place, so training, detectors, scores and trials compare the same things.

import type { Dataset, WindowSet, WindowSetName } from '../data';

export type ReferenceSets = Record<WindowSetName, WindowSet>;

export function referenceSets(dataset: Dataset): ReferenceSets {
  return {
    train: dataset.trainTargets ?? dataset.train,
    validation: dataset.validationTargets ?? dataset.validation,
    heldOut: dataset.heldOutTargets ?? dataset.heldOut,
  };
}

/** Whether the model reproduces its inputs or predicts other columns. */
export function referenceKind(dataset: Dataset): 'input' | 'target' {
  return dataset.trainTargets ? 'target' : 'input';
}
