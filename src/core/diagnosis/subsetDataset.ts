// A dataset cut down to some of its windows, for short trials: the same windows for a trial and
// its control, chosen evenly over the series so the subset sees every part of it.

import type { Dataset, WindowSet, WindowSetName } from '../data';

function subsetSet(set: WindowSet, indices: readonly number[]): WindowSet {
  const size = set.length * set.features;
  const values = new Float32Array(indices.length * size);
  indices.forEach((w, i) => values.set(set.values.subarray(w * size, (w + 1) * size), i * size));
  return {
    count: indices.length,
    length: set.length,
    features: set.features,
    values,
    starts: indices.map((w) => set.starts[w]),
    ...(set.labels ? { labels: indices.map((w) => set.labels![w]) } : {}),
    ...(set.timestamps ? { timestamps: indices.map((w) => set.timestamps![w]) } : {}),
  };
}

/** `dataset` with only the given train and validation windows (indices into each set); held-out windows are dropped. */
export function subsetDataset(dataset: Dataset, trainIndices: readonly number[], validationIndices: readonly number[]): Dataset {
  const picks: Record<WindowSetName, readonly number[]> = { train: trainIndices, validation: validationIndices, heldOut: [] };
  const cut = (set: WindowSet | undefined, name: WindowSetName) => (set ? subsetSet(set, picks[name]) : undefined);
  return {
    ...dataset,
    train: subsetSet(dataset.train, trainIndices),
    validation: subsetSet(dataset.validation, validationIndices),
    heldOut: subsetSet(dataset.heldOut, []),
    ...(dataset.trainTargets
      ? {
          trainTargets: cut(dataset.trainTargets, 'train'),
          validationTargets: cut(dataset.validationTargets, 'validation'),
          heldOutTargets: cut(dataset.heldOutTargets, 'heldOut'),
        }
      : {}),
    // Window i of the subset is window picks[i] of the full set.
    toOriginal: (set, index, scaled, which) => dataset.toOriginal(set, picks[set][index], scaled, which),
  };
}
